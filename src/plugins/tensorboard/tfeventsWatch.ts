import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricPoint } from '../../core/types';
import { findFiles, pollingWatch, type PollingWatch } from '../tailing/pollingWatch';
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
  const tails = new Map<string, EventFileTail>();
  const ignored = new Set<string>();
  const onError = options.onError ?? (() => undefined);
  const check = async (): Promise<void> => {
    for (const file of await findFiles(dir, isEventFile, 4)) {
      if (ignored.has(file)) continue;
      let tail = tails.get(file);
      if (!tail) {
        const stat = await fs.promises.stat(file).catch(() => undefined);
        if (!stat) continue;
        if (options.ignoreOlderThan !== undefined && stat.mtimeMs < options.ignoreOlderThan) {
          ignored.add(file);
          continue;
        }
        tail = new EventFileTail(file);
        tails.set(file, tail);
      }
      const rel = file === dir ? '' : path.relative(dir, path.dirname(file)).split(path.sep).filter(Boolean).join('/');
      try {
        const scalars = await tail.read();
        if (scalars.length > 0) onPoints(scalars.map((s) => ({ name: rel ? `${rel}/${s.tag}` : s.tag, value: s.value, step: s.step, time: s.time })));
      } catch (err) {
        onError(err);
      }
    }
  };
  return pollingWatch(dir, check, options.intervalMs ?? 1000, onError, true);
}
