import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newRunRecord } from '../../src/core/store/runRecord';
import { RunWriter } from '../../src/core/store/runWriter';
import { readAllPoints } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';

export const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
export const T0 = 1_700_000_000_000;

/** A fresh run folder under the system's temporary folder. */
export function tempRun(prefix = 'tracelet-series-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes the batches to the run folder through RunWriter (one block each), as the pipeline does, and ends the run.
 * Without a series index by default, so that a reader builds one with the bucket size a test picks.
 */
export function writeRun(runDir: string, batches: MetricPoint[][], options: { end?: boolean; seriesIndex?: boolean } = {}): RunWriter {
  const writer = RunWriter.open({
    runDir,
    record: newRunRecord({
      id: path.basename(runDir),
      name: 'test',
      command: 'python train.py',
      cwd: runDir,
      startTime: T0,
      host: 'box',
      user: 'ann',
      tags: {},
    }),
    logger: quiet,
    fsync: 'off',
    seriesIndex: options.seriesIndex ?? false,
  });
  for (const b of batches) writer.append(b);
  if (options.end !== false) writer.end();
  return writer;
}

/** A seeded pseudo-random generator (mulberry32), so a failing property names its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every stored point of one metric, in logging order, with its x on the step axis (the step, or its number in the metric). */
export function storedSeries(runDir: string, metric: string): { x: number; value: number; time: number; step: number | undefined }[] {
  const out: { x: number; value: number; time: number; step: number | undefined }[] = [];
  for (const p of readAllPoints(path.join(runDir, 'metrics.bin')).points) {
    if (p.name !== metric) continue;
    out.push({ x: p.step ?? out.length, value: p.value, time: p.time, step: p.step });
  }
  return out;
}

/** TensorBoard's smoothing over a whole series (the reference the reader must match on any range). */
export function tensorBoardSmoothing(values: readonly number[], weight: number): number[] {
  const constant = values.every((v) => v === values[0]);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (constant || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}
