import type { NameDefinition } from '../store/blockFormat';
import type { PointColumns } from '../store/blockColumns';
import type { NonFinitePoint, SeriesRequest, SeriesSlice } from './api';
import { Ema, warmUpValues } from './ema';
import { isConstant, type EmaLayer } from './emaLayer';
import type { RangeTask } from './logRange';
import { M4Columns, undecimated, type Decimated } from './m4';
import type { MetricBuckets } from './metricBuckets';

/** What a query needs besides the metric: the log, the names a read starts with, the run's start, and the smoothing layer when one is wanted. */
export interface QueryContext {
  logFile: string;
  namesBefore(offset: number): NameDefinition[];
  /** Wall time the `relative` axis counts from. */
  runStart: number;
  /** The metric's smoothing layer at `weight`, brought up to date (it may cost a pass over the metric). */
  layer(metric: MetricBuckets, weight: number): EmaLayer;
  /** The layer if one is at hand (zooms use it, and do without it). */
  cachedLayer(metric: MetricBuckets, weight: number): EmaLayer | undefined;
}

/**
 * Above this many points per pixel column, whole buckets are merged as summaries (a bucket is then at
 * most half a column wide, so a column's edges move by at most a quarter of a column); below it the
 * range is read from the log at full resolution and decimated exactly.
 */
const BUCKETS_PER_COLUMN = 2;
const MAX_NON_FINITE = 1000;

/** The x columns of a metric on an axis: step (the step, or the point's number in the metric) or wall time. */
function axisOf(m: MetricBuckets, time: boolean) {
  return time
    ? { lo: m.col('tMin'), hi: m.col('tMax'), first: m.col('firstT'), last: m.col('lastT'), min: m.col('minT'), max: m.col('maxT'), nf: m.col('nfT') }
    : { lo: m.col('xMin'), hi: m.col('xMax'), first: m.col('firstX'), last: m.col('lastX'), min: m.col('minX'), max: m.col('maxX'), nf: m.col('nfX') };
}

/** The metric's x extent on an axis, in stored units. */
export function extentOf(m: MetricBuckets, time: boolean): [number, number] | undefined {
  const { lo, hi } = axisOf(m, time);
  let a = Number.POSITIVE_INFINITY;
  let b = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m.bucketCount; i++) {
    if (lo[i]! < a) a = lo[i]!;
    if (hi[i]! > b) b = hi[i]!;
  }
  return a <= b ? [a, b] : undefined;
}

export function emptySlice(request: SeriesRequest, total = 0, extent?: readonly [number, number]): SeriesSlice {
  return { metric: request.metric, x: request.x, xs: new Float64Array(0), ys: new Float64Array(0), inRange: 0, total, extent, nonFinite: [] };
}

/** The smoothing weight asked for, or 0 for none. */
export function weightOf(request: SeriesRequest): number {
  const w = request.smoothing;
  return typeof w === 'number' && w > 0 && w < 1 ? w : 0;
}

/** A query planned: the stretches of log it needs read (run them with readTasks, alone or with other queries'), then its answer. */
export interface QueryPlan {
  tasks: RangeTask[];
  finish(): SeriesSlice;
}

/**
 * One metric over a range, decimated per pixel column (M4). Reads the log only for what the buckets
 * cannot answer: a range narrow enough to read whole, or the buckets that straddle its ends.
 */
export function planQuery(m: MetricBuckets, request: SeriesRequest, ctx: QueryContext): QueryPlan {
  const time = request.x !== 'step';
  const shift = request.x === 'relative' ? ctx.runStart : 0;
  const stored = extentOf(m, time);
  const extent: [number, number] | undefined = stored && [stored[0] - shift, stored[1] - shift];
  if (!stored) return { tasks: [], finish: () => emptySlice(request, m.count, extent) };
  const columns = Math.max(1, Math.floor(request.columns) || 1);
  const wanted = request.range?.every(Number.isFinite) ? request.range : undefined;
  const lo = wanted ? Math.min(wanted[0], wanted[1]) + shift : stored[0];
  const hi = wanted ? Math.max(wanted[0], wanted[1]) + shift : stored[1];
  const weight = weightOf(request);
  const axis = axisOf(m, time);
  // Buckets inside the range, and those that reach across one of its ends (or whose extent is unknown).
  const inside: number[] = [];
  const edges: number[] = [];
  let estimate = 0;
  for (let b = 0; b < m.bucketCount; b++) {
    const a = axis.lo[b]!;
    const z = axis.hi[b]!;
    if (z < lo || a > hi) continue;
    if (a >= lo && z <= hi) inside.push(b);
    else edges.push(b);
    estimate += m.countOf(b);
  }
  const out: Accumulated = { inRange: 0, nonFinite: [], m4: new M4Columns(columns, lo, hi), raw: { xs: [], ys: [], ss: [], ords: [] }, rawLimit: 4 * columns };
  const tasks: RangeTask[] = [];
  if (estimate > 0) {
    if (estimate < BUCKETS_PER_COLUMN * m.bucketPoints * columns) {
      const first = Math.min(inside[0] ?? Infinity, edges[0] ?? Infinity);
      const last = Math.max(inside[inside.length - 1] ?? -1, edges[edges.length - 1] ?? -1);
      tasks.push(spanTask(m, first, last, { lo, hi, time, weight }, ctx, out));
    } else {
      const layer = weight > 0 ? ctx.layer(m, weight) : undefined;
      mergeBuckets(m, inside, axis, layer, out);
      for (const [first, last] of runsOf(edges)) tasks.push(spanTask(m, first, last, { lo, hi, time, weight, layer }, ctx, out));
    }
  }
  const finish = (): SeriesSlice => {
    const kept: Decimated = out.inRange <= out.rawLimit ? undecimated(out.raw.xs, out.raw.ys, out.raw.ss, out.raw.ords, shift) : out.m4.result(shift);
    const slice: SeriesSlice = { metric: request.metric, x: request.x, xs: kept.xs, ys: kept.ys, inRange: out.inRange, total: m.count, extent, nonFinite: [] };
    if (weight > 0) slice.smoothed = kept.smoothed;
    slice.nonFinite = out.nonFinite
      .sort((a, b) => a.x - b.x)
      .slice(0, MAX_NON_FINITE)
      .map((p) => ({ x: p.x - shift, value: p.value }));
    return slice;
  };
  return { tasks, finish };
}

interface Accumulated {
  inRange: number;
  nonFinite: NonFinitePoint[];
  m4: M4Columns;
  /** Every point in range, while there are at most rawLimit: then nothing is decimated. */
  raw: { xs: number[]; ys: number[]; ss: number[]; ords: number[] };
  rawLimit: number;
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
function mergeBuckets(m: MetricBuckets, buckets: number[], axis: ReturnType<typeof axisOf>, layer: EmaLayer | undefined, out: Accumulated): void {
  const B = m.bucketPoints;
  const [firstV, lastV, minV, maxV, minK, maxK, nfCount, nfV, nfK] = (
    ['firstV', 'lastV', 'minV', 'maxV', 'minK', 'maxK', 'nfCount', 'nfV', 'nfK'] as const
  ).map((f) => m.col(f)) as Float64Array[] as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const m4 = out.m4;
  for (const b of buckets) {
    const count = m.countOf(b);
    const base = b * B;
    const c = m4.columnOf((axis.lo[b]! + axis.hi[b]!) / 2);
    m4.first(c, axis.first[b]!, firstV[b]!, base, layer ? layer.sFirst[b]! : Number.NaN);
    m4.last(c, axis.last[b]!, lastV[b]!, base + count - 1, layer ? layer.sLast[b]! : Number.NaN);
    if (!Number.isNaN(minV[b]!)) {
      m4.min(c, axis.min[b]!, minV[b]!, base + minK[b]!, layer ? layer.sMin[b]! : Number.NaN);
      m4.max(c, axis.max[b]!, maxV[b]!, base + maxK[b]!, layer ? layer.sMax[b]! : Number.NaN);
    }
    if (nfCount[b]! > 0) {
      m4.gap(c, axis.nf[b]!, nfV[b]!, base + nfK[b]!, Number.NaN);
      if (out.nonFinite.length < MAX_NON_FINITE) out.nonFinite.push({ x: axis.nf[b]!, value: nfV[b]! });
    }
    out.inRange += count;
  }
  // Buckets hold far more points than a chart draws: no point list is kept.
  out.rawLimit = -1;
}

/**
 * The task of reading buckets `first` to `last` from the log at full resolution and merging the points in range.
 * Smoothing starts from the layer's state at the first bucket when there is a layer; else from far
 * enough before the range (warmUpValues) that the values in range come out the same.
 */
function spanTask(
  m: MetricBuckets,
  first: number,
  last: number,
  opts: { lo: number; hi: number; time: boolean; weight: number; layer?: EmaLayer | undefined },
  ctx: QueryContext,
  out: Accumulated,
): RangeTask {
  const B = m.bucketPoints;
  const { lo, hi, time, weight } = opts;
  let from = first;
  let ema: Ema | undefined;
  if (weight > 0) {
    const constant = isConstant(m);
    const layer = opts.layer ?? ctx.cachedLayer(m, weight);
    if (layer) ema = new Ema(weight, constant, layer.stateLast[first]!, layer.stateN[first]!);
    else {
      from = Math.max(0, first - Math.ceil(warmUpValues(weight) / B) - 1);
      const nf = m.col('nfCount');
      let finiteBefore = from * B;
      for (let b = 0; b < from; b++) finiteBefore -= nf[b]!;
      ema = new Ema(weight, constant, 0, finiteBefore);
    }
  }
  const startOrd = first * B;
  const endOrd = Math.min(m.count, (last + 1) * B);
  const { m4, raw, nonFinite } = out;
  const start = { offset: m.col('offset')[from]!, seq: m.col('seq')[from]!, ordinal: from * B };
  const visit = (block: PointColumns, i: number, ord: number): void => {
    const v = block.values[i]!;
    const s = ema ? ema.next(v) : Number.NaN;
    if (ord < startOrd) return;
    let x: number;
    if (time) x = block.times[i]!;
    else {
      const step = block.steps[i]!;
      x = Number.isNaN(step) ? ord : step;
    }
    if (!(x >= lo && x <= hi)) return;
    out.inRange++;
    m4.point(x, v, ord, s);
    if (!Number.isFinite(v) && nonFinite.length < MAX_NON_FINITE) nonFinite.push({ x, value: v });
    if (out.inRange <= out.rawLimit) {
      raw.xs.push(x);
      raw.ys.push(v);
      raw.ss.push(s);
      raw.ords.push(ord);
    }
  };
  return { ids: m.ids, start, endOrdinal: endOrd, visit };
}
