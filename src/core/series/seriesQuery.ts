import type { NameDefinition } from '../store/blockFormat';
import type { NonFinitePoint, SeriesRequest, SeriesSlice } from './api';
import { Ema, isConstant, warmUpValues } from './ema';
import { POINT_LAYOUT, type BlockPoints, type RangeTask } from './logRange';
import { M4Columns, type BucketSummaries } from './m4';
import type { MetricBuckets } from './metricBuckets';

/** What a query needs besides the metric: the log, the names a read starts with, the run's start, and what smoothing keeps between queries. */
export interface QueryContext {
  logFile: string;
  namesBefore(offset: number): NameDefinition[];
  /** Wall time the `relative` axis counts from. */
  runStart: number;
  /** Smoothed values already worked out for the metric at `weight`, by the point's number in the metric (they never change as points are appended, while the metric stays constant or not). */
  smoothed(metric: MetricBuckets, weight: number): Map<number, number>;
}

/**
 * Above this many points per pixel column, whole buckets are merged as summaries (a bucket is then at
 * most half a column wide, so a column's edges move by at most a quarter of a column); below it the
 * range is read from the log at full resolution and decimated exactly.
 */
const BUCKETS_PER_COLUMN = 2;
const MAX_NON_FINITE = 1000;
/** Local copies: through tsx (tests, benchmarks) an imported constant is a getter call on every use in a loop. */
const { stride: STRIDE, valueAt: VALUE_AT, stepAt: STEP_AT, timeAt: TIME_AT } = POINT_LAYOUT;

/** The x columns of a metric on an axis: step (the step, or the point's number in the metric) or wall time. */
function axisOf(m: MetricBuckets, time: boolean) {
  return time
    ? { lo: m.col('tMin'), hi: m.col('tMax'), first: m.col('firstT'), last: m.col('lastT'), min: m.col('minT'), max: m.col('maxT'), nf: m.col('nfT') }
    : { lo: m.col('xMin'), hi: m.col('xMax'), first: m.col('firstX'), last: m.col('lastX'), min: m.col('minX'), max: m.col('maxX'), nf: m.col('nfX') };
}

export function emptySlice(request: SeriesRequest, total = 0, extent?: readonly [number, number]): SeriesSlice {
  return { metric: request.metric, x: request.x, xs: new Float64Array(0), ys: new Float64Array(0), inRange: 0, total, extent, nonFinite: [] };
}

/** The smoothing weight asked for, or 0 for none. */
export function weightOf(request: SeriesRequest): number {
  const w = request.smoothing;
  return typeof w === 'number' && w > 0 && w < 1 ? w : 0;
}

/**
 * A query planned: the stretches of log it needs read (run them with readTasks, alone or with other queries'), then
 * those it needs read once they are (the warm-ups of a smoothed chart drawn from the buckets: where they lie
 * depends on the points the first read keeps), then its answer.
 */
export interface QueryPlan {
  tasks: RangeTask[];
  afterRead(): RangeTask[];
  finish(): SeriesSlice;
}

/**
 * One metric over a range, decimated per pixel column (M4). Reads the log only for what the buckets
 * cannot answer: a range narrow enough to read whole, or the buckets that straddle its ends.
 */
export function planQuery(m: MetricBuckets, request: SeriesRequest, ctx: QueryContext): QueryPlan {
  const time = request.x !== 'step';
  const shift = request.x === 'relative' ? ctx.runStart : 0;
  const stored = m.extent(time);
  const extent: [number, number] | undefined = stored && [stored[0] - shift, stored[1] - shift];
  if (!stored) return { tasks: [], afterRead: () => [], finish: () => emptySlice(request, m.count, extent) };
  const columns = Math.max(1, Math.floor(request.columns) || 1);
  const wanted = request.range?.every(Number.isFinite) ? request.range : undefined;
  const lo = wanted ? Math.min(wanted[0], wanted[1]) + shift : stored[0];
  const hi = wanted ? Math.max(wanted[0], wanted[1]) + shift : stored[1];
  const weight = weightOf(request);
  const axis = axisOf(m, time);
  // Buckets inside the range, and those that reach across one of its ends (or whose extent is unknown).
  const inside: number[] = [];
  const edges: number[] = [];
  const [firstBucket, lastBucket] = m.bucketsIn(time, lo, hi);
  sortBuckets(axis.lo, axis.hi, firstBucket, lastBucket, lo, hi, inside, edges);
  const estimate = pointsIn(m, inside) + pointsIn(m, edges);
  // Up to 4 points a column, the points in range are drawn as they are.
  const out: Accumulated = { inRange: 0, nonFinite: [], m4: new M4Columns(columns, lo, hi, 4 * columns) };
  // Points of the buckets wholly inside the range alone are more than the chart draws: no point list is kept.
  if (pointsIn(m, inside) > 4 * columns) out.m4.decimateAlways();
  const tasks: RangeTask[] = [];
  let fromBuckets = false;
  if (estimate > 0) {
    if (estimate < BUCKETS_PER_COLUMN * m.bucketPoints * columns) {
      const first = Math.min(inside[0] ?? Infinity, edges[0] ?? Infinity);
      const last = Math.max(inside[inside.length - 1] ?? -1, edges[edges.length - 1] ?? -1);
      tasks.push(spanTask(m, first, last, { lo, hi, time, weight }, out));
    } else {
      mergeBuckets(m, inside, axis, out);
      for (const [first, last] of runsOf(edges)) tasks.push(spanTask(m, first, last, { lo, hi, time, weight }, out));
      fromBuckets = true;
    }
  }
  let smoothing: { tasks: RangeTask[]; done(): void } | undefined;
  const afterRead = (): RangeTask[] => {
    if (fromBuckets && weight > 0) smoothing = smoothKept(m, weight, out.m4, ctx);
    return smoothing?.tasks ?? [];
  };
  const finish = (): SeriesSlice => {
    smoothing?.done();
    const kept = out.m4.result(shift);
    out.m4.release();
    const slice: SeriesSlice = { metric: request.metric, x: request.x, xs: kept.xs, ys: kept.ys, inRange: out.inRange, total: m.count, extent, nonFinite: [] };
    if (weight > 0) slice.smoothed = kept.smoothed;
    slice.nonFinite = out.nonFinite
      .sort((a, b) => a.x - b.x)
      .slice(0, MAX_NON_FINITE)
      .map((p) => ({ x: p.x - shift, value: p.value }));
    return slice;
  };
  return { tasks, afterRead, finish };
}

/**
 * Buckets `first` to `last` wholly within [lo, hi] into `inside`, those across one of its ends into `edges`. A loop
 * alone in its function with nothing after it: planQuery's code after such a loop, compiled before it had run, threw
 * the compiled loop away at each query (a 39,063-bucket series gone through in the interpreter again each time).
 */
function sortBuckets(los: Float64Array, his: Float64Array, first: number, last: number, lo: number, hi: number, inside: number[], edges: number[]): void {
  for (let b = first; b <= last; b++) {
    const a = los[b]!;
    const z = his[b]!;
    if (z < lo || a > hi) continue;
    if (a >= lo && z <= hi) inside.push(b);
    else edges.push(b);
  }
}

/** Points in the buckets (ascending): all are full but the metric's last. */
function pointsIn(m: MetricBuckets, buckets: readonly number[]): number {
  const n = buckets.length;
  return n === 0 ? 0 : (n - 1) * m.bucketPoints + m.countOf(buckets[n - 1]!);
}

interface Accumulated {
  inRange: number;
  nonFinite: NonFinitePoint[];
  m4: M4Columns;
}

/** Consecutive bucket numbers as [first, last] runs. */
function runsOf(buckets: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const b of buckets) {
    const run = runs[runs.length - 1];
    if (run && run[1] === b - 1) run[1] = b;
    else runs.push([b, b]);
  }
  return runs;
}

/** Whole buckets merged as their summaries, each into the column of its middle. */
function mergeBuckets(m: MetricBuckets, buckets: number[], axis: ReturnType<typeof axisOf>, out: Accumulated): void {
  // Buckets hold far more points than a chart draws: no point list is kept.
  out.m4.decimateAlways();
  const summaries: BucketSummaries = {
    bucketPoints: m.bucketPoints,
    count: m.count,
    lo: axis.lo,
    hi: axis.hi,
    firstX: axis.first,
    lastX: axis.last,
    minX: axis.min,
    maxX: axis.max,
    nfX: axis.nf,
    firstV: m.col('firstV'),
    lastV: m.col('lastV'),
    minV: m.col('minV'),
    maxV: m.col('maxV'),
    nfV: m.col('nfV'),
    minK: m.col('minK'),
    maxK: m.col('maxK'),
    nfK: m.col('nfK'),
    nfCount: m.col('nfCount'),
  };
  out.inRange += out.m4.mergeSummaries(buckets, summaries, out.nonFinite, MAX_NON_FINITE);
}

/**
 * The task of reading buckets `first` to `last` from the log at full resolution and merging the points in range.
 * Smoothing starts from far enough before the range (warmUpFrom) that the values in range come out the same
 * as when smoothing from the series' first point.
 */
function spanTask(m: MetricBuckets, first: number, last: number, opts: { lo: number; hi: number; time: boolean; weight: number }, out: Accumulated): RangeTask {
  const B = m.bucketPoints;
  const { lo, hi, time, weight } = opts;
  let from = first;
  let ema: Ema | undefined;
  if (weight > 0) {
    from = warmUpFrom(m, first, weight);
    ema = new Ema(weight, isConstant(m), 0, finiteBefore(m, from));
  }
  const startOrd = first * B;
  const endOrd = Math.min(m.count, (last + 1) * B);
  const { m4, nonFinite } = out;
  const start = { offset: m.col('offset')[from]!, seq: m.col('seq')[from]!, ordinal: from * B };
  const lastBlock = last + 1 < m.bucketCount ? m.col('offset')[last + 1]! : Number.POSITIVE_INFINITY;
  if (!ema) {
    const range = { lo, hi, nonFinite, maxNonFinite: MAX_NON_FINITE };
    const merge = (block: BlockPoints, picked: Uint32Array, count: number, ordinal: number): void => {
      if (m4.keeping) m4.keepBlock(block.view, block.pointsAt, picked, count, ordinal, time, range);
      out.inRange += m4.mergeBlock(block.view, block.pointsAt, picked, count, ordinal, time, range);
    };
    return { ids: m.ids, start, endOrdinal: endOrd, lastBlock, visit: merge };
  }
  const smoothing = ema;
  const visit = (block: BlockPoints, picked: Uint32Array, count: number, ordinal: number): void => {
    const { view, pointsAt } = block;
    for (let k = 0; k < count; k++) {
      const o = pointsAt + STRIDE * picked[k]!;
      const ord = ordinal + k;
      const v = view.getFloat64(o + VALUE_AT, true);
      const s = smoothing.next(v);
      if (ord < startOrd) continue;
      let x: number;
      if (time) x = view.getFloat64(o + TIME_AT, true);
      else {
        const step = view.getFloat64(o + STEP_AT, true);
        x = Number.isNaN(step) ? ord : step;
      }
      if (!(x >= lo && x <= hi)) continue;
      out.inRange++;
      m4.point(x, v, ord, s);
      if (v - v !== 0 && nonFinite.length < MAX_NON_FINITE) nonFinite.push({ x, value: v });
    }
  };
  return { ids: m.ids, start, endOrdinal: endOrd, lastBlock, visit };
}

/**
 * The bucket to start the average from, at 0, so that from bucket `b` on it gives the values smoothing from the
 * series' first point gives: the first bucket with at least warmUpValues(weight) finite values between it and `b`
 * (the weight of everything before it in a value is then below 1e-16 of the whole; see ema.ts), or the first bucket.
 */
export function warmUpFrom(m: MetricBuckets, b: number, weight: number): number {
  const need = warmUpValues(weight);
  const nf = m.col('nfCount');
  let have = 0;
  let from = b;
  while (from > 0 && have < need) {
    from--;
    have += m.countOf(from) - nf[from]!;
  }
  return from;
}

/** Finite values of the metric before bucket `b`: the count the debiasing goes on from. */
function finiteBefore(m: MetricBuckets, b: number): number {
  const nf = m.col('nfCount');
  let n = b * m.bucketPoints;
  for (let k = 0; k < b; k++) n -= nf[k]!;
  return n;
}

/**
 * Smoothed values for the points a chart drawn from the buckets keeps (a few per pixel column, the bucket
 * summaries' first, last, least and greatest points): each worked out from a warm-up before its bucket
 * (warmUpFrom), the warm-ups of nearby points read as one stretch, so that a new weight costs the stretches
 * around the kept points rather than a pass over the whole series. Values worked out once are kept (ctx.smoothed).
 */
function smoothKept(m: MetricBuckets, weight: number, m4: M4Columns, ctx: QueryContext): { tasks: RangeTask[]; done(): void } {
  if (isConstant(m)) return { tasks: [], done: () => m4.smoothWith((_, y) => y) };
  const known = ctx.smoothed(m, weight);
  // A point can hold several roles of its column (its first and its least, say): each is worked out once.
  const missing = [...new Set(m4.unsmoothed().filter((ord) => !known.has(ord)))].sort((a, b) => a - b);
  const tasks: RangeTask[] = [];
  if (missing.length > 0) {
    const B = m.bucketPoints;
    // Stretches [from, to] of buckets: each needed point's bucket and its warm-up, overlapping ones joined.
    const spans: { from: number; to: number; ords: number[] }[] = [];
    for (const ord of missing) {
      const b = Math.floor(ord / B);
      const span = spans[spans.length - 1];
      if (span && span.to >= b) span.ords.push(ord);
      else {
        const from = warmUpFrom(m, b, weight);
        if (span && from <= span.to + 1) {
          span.to = b;
          span.ords.push(ord);
        } else spans.push({ from, to: b, ords: [ord] });
      }
    }
    const offset = m.col('offset');
    const seq = m.col('seq');
    // Non-finite values before each bucket, for the finite count each stretch's average starts from.
    const nf = m.col('nfCount');
    const nfBefore = new Float64Array(spans[spans.length - 1]!.from + 1);
    for (let b = 1; b < nfBefore.length; b++) nfBefore[b] = nfBefore[b - 1]! + nf[b - 1]!;
    for (const { from, to, ords } of spans) {
      const ema = new Ema(weight, false, 0, from * B - nfBefore[from]!);
      let next = 0;
      tasks.push({
        ids: m.ids,
        start: { offset: offset[from]!, seq: seq[from]!, ordinal: from * B },
        endOrdinal: ords[ords.length - 1]! + 1,
        lastBlock: to + 1 < m.bucketCount ? offset[to + 1]! : Number.POSITIVE_INFINITY,
        visit(block, picked, count, ordinal) {
          const { view, pointsAt } = block;
          for (let k = 0; k < count; k++) {
            const s = ema.next(view.getFloat64(pointsAt + STRIDE * picked[k]! + VALUE_AT, true));
            if (ordinal + k === ords[next]) known.set(ords[next++]!, s);
          }
        },
      });
    }
  }
  return { tasks, done: () => m4.smoothWith((ord) => known.get(ord)) };
}
