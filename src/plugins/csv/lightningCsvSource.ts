import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint } from '../../core/types';
import { FileSourcePlugin, pollIntervalSchema, type TailOptions } from '../tailing/fileSourcePlugin';
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
export class LightningCsvSource extends FileSourcePlugin {
  getMetadata(): PluginMetadataInput {
    return {
      name: 'lightning-csv',
      version: '0.1.0',
      description: "Reads PyTorch Lightning CSVLogger metrics.csv files (lightning_logs/version_N/) as run metrics.",
      author: 'Tracelet',
      pluginType: 'framework',
      entryPoint: 'builtin:lightning-csv',
      dependencies: [],
      configSchema: pollIntervalSchema('metrics.csv files'),
    };
  }

  /** `target` is a metrics.csv, or a folder holding some. */
  protected tail(target: string, onPoints: (points: MetricPoint[]) => void, options: TailOptions): PollingWatch {
    return watchMetricsCsv(target, onPoints, options);
  }
}
