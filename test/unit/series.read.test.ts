import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { POINT_LAYOUT, readTasks, type RangeTask } from '../../src/core/series/logRange';
import { openRunSeries } from '../../src/core/series/runSeries';
import { SeriesIndex } from '../../src/core/series/seriesIndex';
import { indexTail } from '../../src/core/series/logRange';
import type { MetricPoint } from '../../src/core/types';
import { rng, storedSeries, T0, tempRun, writeRun } from './seriesHelpers';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const NAMES = Array.from({ length: 12 }, (_, k) => `m/${k}`);

/** 12 metrics logged in turn at random, in random block sizes. */
function grid(seed: number): string {
  const r = rng(seed);
  const dir = tempRun();
  dirs.push(dir);
  const batches: MetricPoint[][] = [];
  let batch: MetricPoint[] = [];
  for (let i = 0; i < 40_000; i++) {
    const name = NAMES[Math.floor(r() * NAMES.length)]!;
    batch.push({ name, value: r() < 0.005 ? Number.NaN : Math.sin(i / 77) + r(), step: i, time: T0 + i });
    if (batch.length > 100 + r() * 3000) {
      batches.push(batch);
      batch = [];
    }
  }
  batches.push(batch);
  writeRun(dir, batches);
  return dir;
}

/** Every point a task is handed, as [ordinal, value]. */
function recorder(ids: number[], start: RangeTask['start'], endOrdinal: number, got: [number, number][]): RangeTask {
  return {
    ids,
    start,
    endOrdinal,
    lastBlock: Number.POSITIVE_INFINITY,
    visit(block, picked, count, ordinal) {
      for (let k = 0; k < count; k++)
        got.push([ordinal + k, block.view.getFloat64(block.pointsAt + POINT_LAYOUT.stride * picked[k]! + POINT_LAYOUT.valueAt, true)]);
    },
  };
}

describe('reading stretches of the log (readTasks)', () => {
  it('hands many tasks at once (several per metric, overlapping) the same points as each read alone and as a brute-force pass', () => {
    const dir = grid(3);
    const log = path.join(dir, 'metrics.bin');
    const index = new SeriesIndex(64);
    indexTail(index, log);
    const r = rng(4);
    const tasks: { task: RangeTask; got: [number, number][]; want: [number, number][] }[] = [];
    for (const name of NAMES) {
      const m = index.metric(name)!;
      const all = storedSeries(dir, name);
      // Three stretches per metric, some overlapping: 36 tasks, read through the shared look-up.
      for (let t = 0; t < 3; t++) {
        const b = Math.floor(r() * m.bucketCount);
        const end = Math.min(m.count, b * 64 + 1 + Math.floor(r() * 2000));
        const got: [number, number][] = [];
        const start = { offset: m.col('offset')[b]!, seq: m.col('seq')[b]!, ordinal: b * 64 };
        const want = all.slice(b * 64, end).map((p, k): [number, number] => [b * 64 + k, p.value]);
        tasks.push({ task: recorder(m.ids, start, end, got), got, want });
      }
    }
    readTasks(
      log,
      (offset) => index.namesBefore(offset),
      tasks.map((t) => t.task),
    );
    for (const [k, t] of tasks.entries()) assert.deepEqual(t.got, t.want, `task ${k}, together`);
    for (const [k, t] of tasks.entries()) {
      const alone: [number, number][] = [];
      readTasks(log, (offset) => index.namesBefore(offset), [recorder(t.task.ids as number[], t.task.start, t.task.endOrdinal, alone)]);
      assert.deepEqual(alone, t.want, `task ${k}, alone`);
    }
  });

  it('takes the points of every id a task has, in log order (a metric whose name was defined again after damage)', () => {
    const dir = grid(5);
    const log = path.join(dir, 'metrics.bin');
    const index = new SeriesIndex();
    indexTail(index, log);
    const [a, b] = [index.metric('m/1')!, index.metric('m/2')!];
    const got: [number, number][] = [];
    readTasks(log, (offset) => index.namesBefore(offset), [recorder([...a.ids, ...b.ids], { offset: 0, seq: 0, ordinal: 0 }, a.count + b.count, got)]);
    // m/1 and m/2 interleaved as logged: the brute force over the log in order.
    assert.deepEqual(
      got.map(([, v]) => v),
      storedInOrder(dir, ['m/1', 'm/2']),
    );
    assert.deepEqual(
      got.map(([ord]) => ord),
      got.map((_, k) => k),
    );
  });

  it('answers a grid of 12 charts asked for together as each asked for alone', async () => {
    const dir = grid(7);
    const reader = openRunSeries(dir, { bucketPoints: 32 });
    const requests = NAMES.map((metric, k) => ({
      metric,
      x: 'step' as const,
      columns: 50 + k,
      range: [k * 1000, 30_000 - k * 700] as const,
      smoothing: k % 3 ? 0.9 : 0,
    }));
    const together = await Promise.all(requests.map((q) => reader.query(q)));
    for (const [k, q] of requests.entries()) assert.deepEqual(together[k], await reader.query(q), q.metric);
    reader.close();
  });
});

/** The values of the named metrics, interleaved in log order. */
function storedInOrder(dir: string, names: string[]): number[] {
  const byName = names.map((n) => storedSeries(dir, n));
  const all = byName.flatMap((series) => series.map((p) => ({ x: p.x, value: p.value })));
  // Every point has its own step (one point a step across metrics): the step is the log order.
  return all.sort((p, q) => p.x - q.x).map((p) => p.value);
}
