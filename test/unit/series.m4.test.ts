import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { Ema, warmUpValues } from '../../src/core/series/ema';
import { openRunSeries } from '../../src/core/series/runSeries';
import type { MetricPoint } from '../../src/core/types';
import { rng, storedSeries, T0, tempRun, tensorBoardSmoothing, writeRun } from './seriesHelpers';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A noisy series of `n` steps with random spikes and dips, logged with a second metric between, in random block sizes. */
function spiky(seed: number, n: number): { dir: string } {
  const r = rng(seed);
  const dir = tempRun();
  dirs.push(dir);
  const batches: MetricPoint[][] = [];
  let batch: MetricPoint[] = [];
  for (let step = 0; step < n; step++) {
    let value = Math.sin(step / 50) + r() * 0.1;
    if (r() < 0.01) value += (r() - 0.5) * 100;
    batch.push({ name: 'loss', value, step, time: T0 + step * 10 });
    if (step % 3 === 0) batch.push({ name: 'other', value: r(), step, time: T0 + step * 10 });
    if (batch.length > 50 + r() * 400) {
      batches.push(batch);
      batch = [];
    }
  }
  batches.push(batch);
  writeRun(dir, batches);
  return { dir };
}

describe('series query: M4 decimation', () => {
  it('keeps, in every pixel column, the first, last, least and greatest point of a brute-force pass (full-resolution ranges)', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const { dir } = spiky(seed, 3000);
      // Buckets of 64 points: a range of up to 3,100 points in 20 or more columns is read at full resolution.
      const reader = openRunSeries(dir, { bucketPoints: 64 });
      const all = storedSeries(dir, 'loss');
      const r = rng(seed * 7);
      for (let q = 0; q < 8; q++) {
        const a = Math.floor(r() * 2500);
        const b = a + 100 + Math.floor(r() * (3000 - a));
        const columns = 20 + Math.floor(r() * 30);
        const slice = await reader.query({ metric: 'loss', x: 'step', range: [a, b], columns });
        const inRange = all.filter((p) => p.x >= a && p.x <= b);
        assert.equal(slice.inRange, inRange.length, `seed ${seed} query ${q}`);
        assert.ok(slice.xs.length <= 4 * columns, 'at most 4 points per column without gaps');
        for (let i = 1; i < slice.xs.length; i++) assert.ok(slice.xs[i]! >= slice.xs[i - 1]!, 'xs ascend');
        const width = (b - a) / columns;
        const col = (x: number): number => Math.min(columns - 1, Math.floor((x - a) / width));
        const kept = new Map<number, number>();
        slice.xs.forEach((x, i) => kept.set(x, slice.ys[i]!));
        for (let c = 0; c < columns; c++) {
          const pts = inRange.filter((p) => col(p.x) === c);
          if (pts.length === 0) continue;
          const max = pts.reduce((m, p) => (p.value > m.value ? p : m));
          const min = pts.reduce((m, p) => (p.value < m.value ? p : m));
          for (const p of [pts[0]!, pts[pts.length - 1]!, max, min]) assert.equal(kept.get(p.x), p.value, `seed ${seed} query ${q} column ${c} x ${p.x}`);
        }
      }
      reader.close();
    }
  });

  it('finds a range in a series whose steps go back (a run resumed from an earlier checkpoint) and whose clock jumps back, as a brute-force pass does', async () => {
    const dir = tempRun();
    dirs.push(dir);
    const points: MetricPoint[] = [];
    // Steps 0-5,999, then again from 3,000: the buckets' step extents stop ascending; times go back once at the resume too.
    for (let i = 0; i < 9000; i++) {
      const step = i < 6000 ? i : i - 3000;
      points.push({ name: 'loss', value: Math.sin(i / 40) + (i % 1777 === 0 ? 9 : 0), step, time: T0 + (i < 6000 ? i : i - 4000) * 10 });
    }
    writeRun(dir, [points.slice(0, 2500), points.slice(2500, 6100), points.slice(6100)]);
    const reader = openRunSeries(dir, { bucketPoints: 16 });
    for (const [x, range] of [
      ['step', [3500, 3600]],
      ['step', [0, 5999]],
      ['wall', [T0 + 25_000, T0 + 26_000]],
    ] as const) {
      const slice = await reader.query({ metric: 'loss', x, range, columns: 400 });
      const at = (p: MetricPoint): number => (x === 'step' ? p.step! : p.time);
      const inRange = points.filter((p) => at(p) >= range[0] && at(p) <= range[1]);
      assert.equal(slice.inRange, inRange.length, `${x} ${range}`);
      assert.equal(Math.max(...slice.ys), Math.max(...inRange.map((p) => p.value)), `${x} ${range}: the greatest value is drawn`);
    }
    reader.close();
  });

  it('over the buckets (a long range), every point lies within the drawn band of its neighbourhood, and the extremes are exact', async () => {
    for (const seed of [5, 6]) {
      const { dir } = spiky(seed, 20_000);
      const reader = openRunSeries(dir, { bucketPoints: 16 });
      const all = storedSeries(dir, 'loss');
      for (const [range, columns] of [
        [undefined, 40],
        [[1234.5, 17_000] as const, 60],
      ] as const) {
        const slice = await reader.query({ metric: 'loss', x: 'step', range, columns });
        const [a, b] = range ?? [0, 19_999];
        const inRange = all.filter((p) => p.x >= a && p.x <= b);
        assert.equal(slice.inRange, inRange.length);
        assert.ok(slice.xs.length < inRange.length / 10, 'decimated from the buckets');
        const width = (b - a) / columns;
        for (const p of inRange) {
          let hi = Number.NEGATIVE_INFINITY;
          let lo = Number.POSITIVE_INFINITY;
          slice.xs.forEach((x, i) => {
            if (Math.abs(x - p.x) <= 1.5 * width) {
              hi = Math.max(hi, slice.ys[i]!);
              lo = Math.min(lo, slice.ys[i]!);
            }
          });
          assert.ok(hi >= p.value && lo <= p.value, `seed ${seed}: point at ${p.x} (${p.value}) outside the band [${lo}, ${hi}]`);
        }
        const values = inRange.map((p) => p.value);
        assert.equal(Math.max(...slice.ys), Math.max(...values));
        assert.equal(Math.min(...slice.ys), Math.min(...values));
      }
      reader.close();
    }
  });

  it('smooths a zoomed range exactly as smoothing the whole series and cutting it (before and after the whole series at that weight)', async () => {
    const { dir } = spiky(9, 12_000);
    const all = storedSeries(dir, 'loss');
    for (const weight of [0.6, 0.95, 0.999]) {
      const whole = tensorBoardSmoothing(
        all.map((p) => p.value),
        weight,
      );
      const byX = new Map(all.map((p, i) => [p.x, whole[i]!]));
      const reader = openRunSeries(dir, { bucketPoints: 16 });
      const check = (slice: { xs: Float64Array; smoothed?: Float64Array }, what: string): void => {
        assert.ok(slice.smoothed && slice.smoothed.length === slice.xs.length, what);
        slice.xs.forEach((x, i) => {
          const want = byX.get(x)!;
          assert.ok(Math.abs(slice.smoothed![i]! - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: at ${x} ${slice.smoothed![i]} vs ${want}`);
        });
      };
      // First a zoom with no layer yet (the average warmed up from before the range), then the whole series (which makes the layer), then zooms again.
      check(await reader.query({ metric: 'loss', x: 'step', range: [9000, 9400], columns: 50, smoothing: weight }), `w ${weight} zoom, warm-up`);
      check(await reader.query({ metric: 'loss', x: 'step', columns: 50, smoothing: weight }), `w ${weight} whole`);
      check(await reader.query({ metric: 'loss', x: 'step', range: [5000.5, 5600], columns: 50, smoothing: weight }), `w ${weight} zoom, layer`);
      check(await reader.query({ metric: 'loss', x: 'step', range: [100, 11_000], columns: 30, smoothing: weight }), `w ${weight} wide`);
      reader.close();
    }
  });

  it('shows NaN and ±Infinity as gaps and names them; a constant series is not smoothed into wobbles', async () => {
    const dir = tempRun();
    dirs.push(dir);
    const odd = new Map([
      [10, Number.NaN],
      [11, Number.POSITIVE_INFINITY],
      [500, Number.NEGATIVE_INFINITY],
    ]);
    const points: MetricPoint[] = [];
    for (let step = 0; step < 1000; step++) {
      points.push({ name: 'loss', value: odd.get(step) ?? 1 / (step + 1), step, time: T0 + step });
      points.push({ name: 'flat', value: 0.1, step, time: T0 + step });
    }
    writeRun(dir, [points.slice(0, 700), points.slice(700)]);
    const reader = openRunSeries(dir, { bucketPoints: 8 });
    for (const columns of [10, 2000]) {
      const slice = await reader.query({ metric: 'loss', x: 'step', columns, smoothing: 0.5 });
      assert.deepEqual(
        slice.nonFinite.map((p) => [p.x, p.value]),
        [
          [10, Number.NaN],
          [11, Number.POSITIVE_INFINITY],
          [500, Number.NEGATIVE_INFINITY],
        ].filter((p) => columns !== 10 || p[0] !== 11),
        // Over the buckets (10 columns), each bucket names its first non-finite value: steps 10 and 11 share one.
        `${columns} columns`,
      );
      for (const x of columns === 10 ? [10, 500] : [10, 11, 500]) {
        const i = slice.xs.indexOf(x);
        assert.ok(i >= 0 && Number.isNaN(slice.ys[i]!) && Number.isNaN(slice.smoothed![i]!), `a gap at ${x}, ${columns} columns`);
      }
      assert.ok(
        slice.ys.some((y) => y === 1),
        'the finite maximum is drawn',
      );
    }
    const flat = await reader.query({ metric: 'flat', x: 'step', columns: 10, smoothing: 0.9 });
    assert.ok(flat.smoothed!.every((s) => s === 0.1));
    const entry = reader.metrics().find((m) => m.name === 'loss')!;
    assert.deepEqual([entry.count, entry.max, entry.min], [1000, 1, 1 / 1000]);
  });

  it('draws a metric with one point, and answers for a metric that is not there', async () => {
    const dir = tempRun();
    dirs.push(dir);
    writeRun(dir, [[{ name: 'once', value: 3, step: 7, time: T0 + 5 }]]);
    const reader = openRunSeries(dir);
    for (const x of ['step', 'wall', 'relative'] as const) {
      const slice = await reader.query({ metric: 'once', x, columns: 100, smoothing: 0.6 });
      const at = x === 'step' ? 7 : x === 'wall' ? T0 + 5 : 5;
      assert.deepEqual([[...slice.xs], [...slice.ys], [...slice.smoothed!], slice.extent, slice.inRange, slice.total], [[at], [3], [3], [at, at], 1, 1], x);
    }
    const missing = await reader.query({ metric: 'nope', x: 'step', columns: 10 });
    assert.deepEqual([missing.xs.length, missing.total, missing.extent], [0, 0, undefined]);
    assert.equal((await reader.query({ metric: 'once', x: 'step', range: [8, 9], columns: 10 })).inRange, 0);
  });

  it('puts points without a step at their number in the metric, and reads wall and relative time', async () => {
    const dir = tempRun();
    dirs.push(dir);
    const points: MetricPoint[] = Array.from({ length: 5000 }, (_, i) => ({ name: 'cpu', value: i % 97, time: T0 + 1000 + i * 2 }));
    writeRun(dir, [points.slice(0, 1234), points.slice(1234)]);
    const reader = openRunSeries(dir, { bucketPoints: 32 });
    const zoom = await reader.query({ metric: 'cpu', x: 'step', range: [1000, 1100], columns: 1000 });
    assert.deepEqual(
      [...zoom.xs],
      Array.from({ length: 101 }, (_, i) => 1000 + i),
    );
    assert.deepEqual(
      [...zoom.ys],
      Array.from({ length: 101 }, (_, i) => (1000 + i) % 97),
    );
    const relative = await reader.query({ metric: 'cpu', x: 'relative', range: [1000, 1010], columns: 1000 });
    assert.deepEqual([...relative.xs], [1000, 1002, 1004, 1006, 1008, 1010]);
    const wall = await reader.query({ metric: 'cpu', x: 'wall', columns: 10 });
    assert.deepEqual(wall.extent, [T0 + 1000, T0 + 1000 + 9998]);
    assert.equal(reader.metrics()[0]!.lastStep, undefined);
    const exported: number[] = [];
    for await (const chunk of reader.points('cpu', 'step', [10, 4000])) {
      exported.push(...chunk.ys);
      assert.ok(chunk.steps.every(Number.isNaN));
    }
    assert.deepEqual(
      exported,
      points.slice(10, 4001).map((p) => p.value),
    );
  });

  it('lists 10,000 metric names in the order they appeared, and queries any of them', async () => {
    const dir = tempRun();
    dirs.push(dir);
    const points: MetricPoint[] = [];
    for (let step = 0; step < 3; step++) for (let k = 0; k < 10_000; k++) points.push({ name: `layer/${k}/grad`, value: k + step, step, time: T0 + step });
    writeRun(dir, [points.slice(0, 12_345), points.slice(12_345)]);
    const reader = openRunSeries(dir);
    const metrics = reader.metrics();
    assert.equal(metrics.length, 10_000);
    assert.deepEqual(
      metrics.slice(0, 3).map((m) => [m.name, m.count, m.last]),
      [
        ['layer/0/grad', 3, 2],
        ['layer/1/grad', 3, 3],
        ['layer/2/grad', 3, 4],
      ],
    );
    const slice = await reader.query({ metric: 'layer/9999/grad', x: 'step', columns: 10 });
    assert.deepEqual([...slice.ys], [9999, 10_000, 10_001]);
  });
});

describe('smoothing: the warm-up bound', () => {
  it('an average started at 0, warmUpValues finite values before a point, gives its value to within 1e-15 of the whole series', () => {
    for (const weight of [0.3, 0.6, 0.9, 0.99, 0.999]) {
      const r = rng(Math.round(weight * 1000));
      const W = warmUpValues(weight);
      // Values up to 1e6, a few NaN and Infinity among them (they neither feed nor count), far more than W before the point.
      const values = Array.from({ length: 3 * W + 500 }, () => (r() < 0.01 ? (r() < 0.5 ? Number.NaN : Number.POSITIVE_INFINITY) : (r() - 0.5) * 2e6));
      const whole = tensorBoardSmoothing(values, weight);
      const scale = Math.max(...values.filter(Number.isFinite).map(Math.abs));
      for (const at of [W + 10, 2 * W, 3 * W + 499]) {
        // Start where W finite values lie between the start and the point, with the count of finite values before it.
        let start = at;
        for (let finite = 0; finite < W && start > 0; ) if (Number.isFinite(values[--start]!)) finite++;
        const ema = new Ema(weight, false, 0, values.slice(0, start).filter(Number.isFinite).length);
        let s = Number.NaN;
        for (let i = start; i <= at; i++) s = ema.next(values[i]!);
        if (!Number.isFinite(values[at]!)) continue;
        assert.ok(Math.abs(s - whole[at]!) <= 1e-15 * scale * 4, `w ${weight} at ${at}: ${s} vs ${whole[at]} (scale ${scale})`);
      }
    }
  });

  it('a whole series smoothed at a new weight (warm-ups around the kept points, no pass over the series) equals the brute force, NaN runs included', async () => {
    const dir = tempRun();
    dirs.push(dir);
    const r = rng(77);
    const points: MetricPoint[] = [];
    for (let step = 0; step < 30_000; step++) {
      // A long run of non-finite values: a warm-up counted in points rather than finite values would fall short across it.
      const value = step >= 12_000 && step < 14_000 ? Number.NaN : Math.sin(step / 300) * 100 + r() * 10;
      points.push({ name: 'loss', value, step, time: T0 + step });
    }
    writeRun(dir, [points.slice(0, 9000), points.slice(9000, 20_000), points.slice(20_000)]);
    const all = storedSeries(dir, 'loss');
    const reader = openRunSeries(dir, { bucketPoints: 16 });
    for (const weight of [0.6, 0.99, 0.6]) {
      const whole = tensorBoardSmoothing(
        all.map((p) => p.value),
        weight,
      );
      for (const range of [undefined, [13_900, 29_000] as const]) {
        const slice = await reader.query({ metric: 'loss', x: 'step', columns: 40, smoothing: weight, range });
        assert.ok(slice.xs.length < slice.inRange / 10, 'drawn from the buckets');
        slice.xs.forEach((x, i) => {
          const want = whole[x]!;
          const got = slice.smoothed![i]!;
          if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `w ${weight} at ${x}: a gap`);
          else assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `w ${weight} at ${x}: ${got} vs ${want}`);
        });
      }
    }
    reader.close();
  });
});
