import * as fs from 'node:fs';
import * as path from 'node:path';
import { PluginBase, type PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint, PluginStatus } from '../../core/types';
import { findFiles, pollingWatch, type PollingWatch } from '../tailing/pollingWatch';
import { MetricsCsvTail } from './metricsCsvTail';

export interface MetricsCsvWatchOptions {
  intervalMs?: number;
  /** Files last changed before this time (ms since the epoch) are left alone: earlier versions' files. */
  ignoreOlderThan?: number;
  onError?: (err: unknown) => void;
}

/**
 * Tails `metrics.csv` files: `target` is the file itself, or a folder searched for
 * them (Lightning's `lightning_logs/version_N/metrics.csv`). Either may not exist yet.
 */
export function watchMetricsCsv(target: string, onPoints: (points: MetricPoint[]) => void, options: MetricsCsvWatchOptions = {}): PollingWatch {
  const isFile = target.toLowerCase().endsWith('.csv');
  const tails = new Map<string, MetricsCsvTail>();
  const ignored = new Set<string>();
  const onError = options.onError ?? (() => undefined);
  const check = async (): Promise<void> => {
    const files = isFile ? (fs.existsSync(target) ? [target] : []) : await findFiles(target, (name) => name === 'metrics.csv', 4);
    for (const file of files) {
      if (ignored.has(file)) continue;
      let tail = tails.get(file);
      if (!tail) {
        const stat = await fs.promises.stat(file).catch(() => undefined);
        if (!stat) continue;
        if (options.ignoreOlderThan !== undefined && stat.mtimeMs < options.ignoreOlderThan) {
          ignored.add(file);
          continue;
        }
        tail = new MetricsCsvTail(file);
        tails.set(file, tail);
      }
      try {
        const points = await tail.read();
        if (points.length > 0) onPoints(points);
      } catch (err) {
        onError(new Error(`lightning-csv: ${file}: ${(err as Error).message}`));
      }
    }
  };
  return pollingWatch(isFile ? path.dirname(target) : target, check, options.intervalMs ?? 1000, onError, !isFile);
}

/** A `framework` source: PyTorch Lightning's CSVLogger output as run metrics. */
export class LightningCsvSource extends PluginBase {
  private readonly watches = new Set<PollingWatch>();
  private points = 0;
  private lastError: string | undefined;

  getMetadata(): PluginMetadataInput {
    return {
      name: 'lightning-csv',
      version: '0.1.0',
      description: "Reads PyTorch Lightning CSVLogger metrics.csv files (lightning_logs/version_N/) as run metrics.",
      author: 'Tracelet',
      pluginType: 'framework',
      entryPoint: 'builtin:lightning-csv',
      dependencies: [],
      configSchema: {
        type: 'object',
        properties: {
          pollIntervalMs: { type: 'integer', minimum: 50, default: 1000, description: 'How often metrics.csv files are checked for new rows (besides file-change events).' },
        },
        additionalProperties: false,
      },
    };
  }

  start(): void {}

  stop(): void {
    for (const w of this.watches) w.dispose();
    this.watches.clear();
  }

  getStatus(): PluginStatus {
    return { watching: this.watches.size, points: this.points, lastError: this.lastError };
  }

  /** Tails `target` (a metrics.csv, or a folder holding some) until disposed; poll() before dispose() reads the last rows. */
  watch(target: string, onPoints: (points: MetricPoint[]) => void, options: { ignoreOlderThan?: number } = {}): PollingWatch {
    const intervalMs = typeof this.config.pollIntervalMs === 'number' ? this.config.pollIntervalMs : 1000;
    const watch = watchMetricsCsv(
      target,
      (points) => {
        this.points += points.length;
        onPoints(points);
      },
      {
        intervalMs,
        ...options,
        onError: (err) => {
          this.lastError = (err as Error).message;
          this.context?.logger.warn(this.lastError);
        },
      },
    );
    this.watches.add(watch);
    return {
      poll: () => watch.poll(),
      dispose: () => {
        watch.dispose();
        this.watches.delete(watch);
      },
    };
  }
}
