import * as path from 'node:path';
import type { MetricPoint } from '../../core/types';
import { findFiles, pollingWatch, type PollingWatch } from '../tailing/pollingWatch';
import { tailFiles } from '../tailing/tailFiles';
import { EventFileTail } from './eventFileTail';

export interface TfEventsWatchOptions {
  /** How often to look for new files and bytes besides fs.watch events; default 1000 ms. */
  intervalMs?: number;
  /** Files last changed before this time (ms since the epoch) are left alone: earlier runs' files in the same folder. */
  ignoreOlderThan?: number;
  /** A file that cannot be read; default: ignored. */
  onError?: (err: unknown) => void;
}

/** TensorBoard's test for an event file: "tfevents" in the base name. */
export function isEventFile(name: string): boolean {
  return name.includes('tfevents');
}

/**
 * Tails every event file under `dir` (the folder a SummaryWriter writes to) and hands
 * their scalars to `onPoints`. Tags of files directly in `dir` are the metric names;
 * files in sub-folders (add_scalars writes one per series) give `<sub-folder>/<tag>`.
 */
export function watchTfEvents(dir: string, onPoints: (points: MetricPoint[]) => void, options: TfEventsWatchOptions = {}): PollingWatch {
  const onError = options.onError ?? (() => undefined);
  const check = tailFiles(
    () => findFiles(dir, isEventFile, 4),
    (file) => new EventFileTail(file),
    (file, scalars) => {
      const rel = file === dir ? '' : path.relative(dir, path.dirname(file)).split(path.sep).filter(Boolean).join('/');
      onPoints(scalars.map((s) => ({ name: rel ? `${rel}/${s.tag}` : s.tag, value: s.value, step: s.step, time: s.time })));
    },
    (err) => onError(err),
    options.ignoreOlderThan,
  );
  return pollingWatch(dir, check, options.intervalMs ?? 1000, onError, true);
}
