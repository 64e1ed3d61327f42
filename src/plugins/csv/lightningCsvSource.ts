import { LIGHTNING_CSV } from '../frameworkDeclarations';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint } from '../../core/types';
import { FileSourcePlugin, type TailOptions } from '../tailing/fileSourcePlugin';
import { findFiles, pollingWatch, type PollingWatch } from '../tailing/pollingWatch';
import { tailFiles } from '../tailing/tailFiles';
import { MetricsCsvTail } from './metricsCsvTail';
import { errorText } from '../../core/errors';

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
  const onError = options.onError ?? (() => undefined);
  const check = tailFiles(
    async () => (isFile ? (fs.existsSync(target) ? [target] : []) : findFiles(target, (name) => name === 'metrics.csv', 4)),
    (file) => new MetricsCsvTail(file),
    (_file, points) => onPoints(points),
    (err, file) => onError(new Error(`lightning-csv: ${file}: ${errorText(err)}`)),
    options.ignoreOlderThan,
  );
  return pollingWatch(isFile ? path.dirname(target) : target, check, options.intervalMs ?? 1000, onError, !isFile);
}

/** A `framework` source: PyTorch Lightning's CSVLogger output as run metrics. */
export class LightningCsvSource extends FileSourcePlugin {
  getMetadata(): PluginMetadataInput {
    return { ...LIGHTNING_CSV };
  }

  /** `target` is a metrics.csv, or a folder holding some. */
  protected tail(target: string, onPoints: (points: MetricPoint[]) => void, options: TailOptions): PollingWatch {
    return watchMetricsCsv(target, onPoints, options);
  }
}
