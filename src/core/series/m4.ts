import type { NonFinitePoint } from './api';
import { POINT_LAYOUT } from './logRange';
import { gather, giveArrays, inOrder, keptPoints, rawPoints, ROLES as ROLES_PER_COLUMN, takeArrays, type Decimated } from './m4Order';

/**
 * M4 decimation (Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", VLDB 2014):
 * per pixel column, the points with the least and greatest x (first, last) and the least and greatest
 * value (min, max), so that a line drawn through them covers the same pixels as the line through every
 * point: no spike or dip is lost at any zoom level. A column holding a non-finite value also keeps the
 * first of them, drawn as a gap (so a column has at most 5 points, 4 without a gap).
 *
 * Points are merged one at a time (a zoomed range read at full resolution) or as a bucket's summary
 * (each role of the bucket merged into the same role of its column).
 */

/** Roles, in the order of the arrays below; `ord` < 0 means the column has no such point yet. */
const FIRST = 0;
const LAST = 1;
const MIN = 2;
const MAX = 3;
const GAP = 4;
/** A local copy: through tsx (tests, benchmarks) an imported constant is a getter call on every use in a loop. */
const ROLES = ROLES_PER_COLUMN;

/** result()'s places of the points kept, reused: it runs to its end before another can start. */
let picks = new Int32Array(0);

/** A metric's bucket summaries (metricBuckets.ts) as mergeSummaries reads them, x on the chart's axis. */
export interface BucketSummaries {
  bucketPoints: number;
  /** Points of the metric: every bucket holds bucketPoints but the last. */
  count: number;
  /** The bucket's extent, and the x of its first, last, least, greatest and first non-finite point. */
  lo: Float64Array;
  hi: Float64Array;
  firstX: Float64Array;
  lastX: Float64Array;
  minX: Float64Array;
  maxX: Float64Array;
  nfX: Float64Array;
  firstV: Float64Array;
  lastV: Float64Array;
  minV: Float64Array;
  maxV: Float64Array;
  nfV: Float64Array;
  /** Places in the bucket of the least, greatest and first non-finite value, and how many values are not finite. */
  minK: Float64Array;
  maxK: Float64Array;
  nfK: Float64Array;
  nfCount: Float64Array;
}

export class M4Columns {
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly s: Float64Array;
  private readonly ord: Float64Array;
  private readonly width: number;
  /** Points merged one at a time (point, mergeBlock), and the first `rawLimit` of them as they are (x, y, ord, smoothed each). */
  private merged = 0;
  private rawLimit: number;
  /** Grown as points come (a zoom that decimates never fills it): 500 queries of a compare view allocated 64 MB up front. */
  private raw = new Float64Array(0);

  /** While at most `rawLimit` points are merged, result() gives them all, undecimated (a range with few points needs no decimation). */
  constructor(
    readonly columns: number,
    private readonly lo: number,
    hi: number,
    rawLimit = 0,
  ) {
    const n = columns * ROLES;
    const arrays = takeArrays(n);
    [this.x, this.y, this.s, this.ord] = arrays;
    this.ord.fill(-1);
    // Each role starts from the value any point beats, so that the loops below make the same comparisons for a column's
    // first point as for the others: a comparison a first run never made lacks type feedback, and the first point to
    // make it (the seventh zoom of a process) threw the compiled loop away, before a 100,000-point read.
    for (let i = 0; i < n; i += ROLES) {
      this.x[i + FIRST] = this.x[i + GAP] = Number.POSITIVE_INFINITY;
      this.x[i + LAST] = Number.NEGATIVE_INFINITY;
      this.y[i + MIN] = Number.POSITIVE_INFINITY;
      this.y[i + MAX] = Number.NEGATIVE_INFINITY;
    }
    this.width = hi > lo ? (hi - lo) / columns : 1;
    this.rawLimit = rawLimit;
  }

  /** Gives the arrays to the next query: after result(), whose answer is a copy, this is not used again. */
  release(): void {
    giveArrays([this.x, this.y, this.s, this.ord]);
  }

  /** From now on, result() decimates whatever was merged: bucket summaries were, or more points than rawLimit surely will be. */
  decimateAlways(): void {
    this.rawLimit = -1;
  }

  /** The pixel column of x (clamped into the chart). */
  columnOf(x: number): number {
    const c = Math.floor((x - this.lo) / this.width);
    return c < 0 ? 0 : c >= this.columns ? this.columns - 1 : c;
  }

  /** Merges one point (`s`: its smoothed value, NaN when there is none): a smoothed chart's points, each after its average's step. */
  point(x: number, y: number, ord: number, s: number): void {
    if (this.merged++ < this.rawLimit) this.keepRaw(x, y, ord, s);
    const c = this.columnOf(x);
    this.first(c, x, y, ord, s);
    this.last(c, x, y, ord, s);
    if (y - y === 0) {
      this.min(c, x, y, ord, s);
      this.max(c, x, y, ord, s);
    } else this.gap(c, x, y, ord, s);
  }

  /**
   * Merges the points of a block that a query takes when no smoothing is asked for: those at places `picked[0]` to
   * `picked[count - 1]` among the block's points (28-byte points in `view` from `pointsAt`, docs/run-format.md),
   * numbered in their metric from `ordinal`; x is their time (`time`) or their step (their number when they have none),
   * and points with x outside [lo, hi] are passed over. The first non-finite values go to `nonFinite`, up to `maxNonFinite`.
   * Returns how many points were in range.
   *
   * The hot path of a zoom and of a compare view: one loop that calls nothing per point and writes nothing after it.
   * Its first run in a process is compiled whole while it runs (a call per point boxed four numbers a point and ran
   * in the interpreter until each callee was compiled too), and it is not thrown away when it exits.
   */
  mergeBlock(
    view: DataView,
    pointsAt: number,
    picked: Uint32Array,
    count: number,
    ordinal: number,
    time: boolean,
    range: { lo: number; hi: number; nonFinite: NonFinitePoint[]; maxNonFinite: number },
  ): number {
    const { x: xs, y: ys, s: ss, ord: ords, columns, width, lo: x0 } = this;
    const { lo, hi, nonFinite, maxNonFinite } = range;
    const { stride, valueAt } = POINT_LAYOUT;
    const xAt = time ? POINT_LAYOUT.timeAt : POINT_LAYOUT.stepAt;
    let n = 0;
    for (let k = 0; k < count; k++) {
      const o = pointsAt + stride * picked[k]!;
      const ord = ordinal + k;
      const y = view.getFloat64(o + valueAt, true);
      let x = view.getFloat64(o + xAt, true);
      // A point with no step (NaN, which no comparison holds for) is at its number in the metric.
      if (!time && !(x >= Number.NEGATIVE_INFINITY)) x = ord;
      if (!(x >= lo && x <= hi)) continue;
      n++;
      // The column: x is in [lo, hi], so the quotient is at least 0 (and NaN only for an infinite x, put in the first).
      const q = (x - x0) / width;
      const b = ROLES * (q >= columns ? columns - 1 : q > 0 ? q | 0 : 0);
      let i = b + FIRST;
      let held = ords[i]!;
      if (x < xs[i]! || held < 0 || (x === xs[i]! && ord < held)) {
        xs[i] = x;
        ys[i] = y;
        ords[i] = ord;
        ss[i] = Number.NaN;
      }
      i = b + LAST;
      held = ords[i]!;
      if (x > xs[i]! || held < 0 || (x === xs[i]! && ord > held)) {
        xs[i] = x;
        ys[i] = y;
        ords[i] = ord;
        ss[i] = Number.NaN;
      }
      if (y - y === 0) {
        i = b + MIN;
        held = ords[i]!;
        if (y < ys[i]! || held < 0 || (y === ys[i]! && ord < held)) {
          xs[i] = x;
          ys[i] = y;
          ords[i] = ord;
          ss[i] = Number.NaN;
        }
        i = b + MAX;
        held = ords[i]!;
        if (y > ys[i]! || held < 0 || (y === ys[i]! && ord < held)) {
          xs[i] = x;
          ys[i] = y;
          ords[i] = ord;
          ss[i] = Number.NaN;
        }
      } else {
        if (nonFinite.length < maxNonFinite) nonFinite.push({ x, value: y });
        i = b + GAP;
        held = ords[i]!;
        if (x < xs[i]! || held < 0 || (x === xs[i]! && ord < held)) {
          xs[i] = x;
          ys[i] = y;
          ords[i] = ord;
          ss[i] = Number.NaN;
        }
      }
    }
    return n;
  }

  /**
   * Merges whole buckets' summaries (bucket numbers ascending), each role of a bucket into the same role of the column
   * of its middle; the first non-finite values go to `nonFinite`, up to `maxNonFinite`. Returns the points the buckets
   * hold. Like mergeBlock, one loop that calls nothing per bucket: a whole 10,000,000-point series is 39,063 of them.
   */
  mergeSummaries(buckets: readonly number[], sum: BucketSummaries, nonFinite: NonFinitePoint[], maxNonFinite: number): number {
    const { x: xs, y: ys, s: ss, ord: ords, columns, width, lo: x0 } = this;
    const { bucketPoints: B, count: total, lo, hi, firstX, lastX, minX, maxX, nfX, firstV, lastV, minV, maxV, nfV, minK, maxK, nfK, nfCount } = sum;
    const lastBucket = Math.ceil(total / B) - 1;
    let n = 0;
    for (let k = 0; k < buckets.length; k++) {
      const b = buckets[k]!;
      const count = b < lastBucket ? B : total - b * B;
      const start = b * B;
      n += count;
      const q = ((lo[b]! + hi[b]!) / 2 - x0) / width;
      const c = ROLES * (q >= columns ? columns - 1 : q > 0 ? q | 0 : 0);
      let i = c + FIRST;
      let x = firstX[b]!;
      let y = firstV[b]!;
      let ord = start;
      let held = ords[i]!;
      if (x < xs[i]! || held < 0 || (x === xs[i]! && ord < held)) {
        xs[i] = x;
        ys[i] = y;
        ords[i] = ord;
        ss[i] = Number.NaN;
      }
      i = c + LAST;
      x = lastX[b]!;
      y = lastV[b]!;
      ord = start + count - 1;
      held = ords[i]!;
      if (x > xs[i]! || held < 0 || (x === xs[i]! && ord > held)) {
        xs[i] = x;
        ys[i] = y;
        ords[i] = ord;
        ss[i] = Number.NaN;
      }
      // A bucket with no finite value has no least or greatest (NaN).
      y = minV[b]!;
      if (y - y === 0) {
        i = c + MIN;
        x = minX[b]!;
        ord = start + minK[b]!;
        held = ords[i]!;
        if (y < ys[i]! || held < 0 || (y === ys[i]! && ord < held)) {
          xs[i] = x;
          ys[i] = y;
          ords[i] = ord;
          ss[i] = Number.NaN;
        }
        i = c + MAX;
        x = maxX[b]!;
        y = maxV[b]!;
        ord = start + maxK[b]!;
        held = ords[i]!;
        if (y > ys[i]! || held < 0 || (y === ys[i]! && ord < held)) {
          xs[i] = x;
          ys[i] = y;
          ords[i] = ord;
          ss[i] = Number.NaN;
        }
      }
      if (nfCount[b]! > 0) {
        i = c + GAP;
        x = nfX[b]!;
        y = nfV[b]!;
        ord = start + nfK[b]!;
        if (nonFinite.length < maxNonFinite) nonFinite.push({ x, value: y });
        held = ords[i]!;
        if (x < xs[i]! || held < 0 || (x === xs[i]! && ord < held)) {
          xs[i] = x;
          ys[i] = y;
          ords[i] = ord;
          ss[i] = Number.NaN;
        }
      }
    }
    return n;
  }

  /** Whether the points merged so far are few enough to be drawn as they are: then mergeBlock's points go to keepBlock first. */
  get keeping(): boolean {
    return this.merged < this.rawLimit;
  }

  /**
   * Keeps the block's points in range as they are (mergeBlock's arguments), counting them, while no more than rawLimit
   * were merged. Called apart from mergeBlock, so that its loop has no branch only narrow ranges take: taken first by
   * the seventh zoom of a process, such a branch threw mergeBlock's compiled code away before a 100,000-point read.
   */
  keepBlock(view: DataView, pointsAt: number, picked: Uint32Array, count: number, ordinal: number, time: boolean, range: { lo: number; hi: number }): void {
    const { stride, valueAt } = POINT_LAYOUT;
    const xAt = time ? POINT_LAYOUT.timeAt : POINT_LAYOUT.stepAt;
    for (let k = 0; k < count; k++) {
      const o = pointsAt + stride * picked[k]!;
      let x = view.getFloat64(o + xAt, true);
      if (!time && !(x >= Number.NEGATIVE_INFINITY)) x = ordinal + k;
      if (x >= range.lo && x <= range.hi && this.merged++ < this.rawLimit) this.keepRaw(x, view.getFloat64(o + valueAt, true), ordinal + k, Number.NaN);
    }
  }

  private keepRaw(x: number, y: number, ord: number, s: number): void {
    const r = 4 * (this.merged - 1);
    if (r === this.raw.length) {
      const grown = new Float64Array(Math.min(4 * this.rawLimit, Math.max(256, 2 * r)));
      grown.set(this.raw);
      this.raw = grown;
    }
    this.raw[r] = x;
    this.raw[r + 1] = y;
    this.raw[r + 2] = ord;
    this.raw[r + 3] = s;
  }

  first(c: number, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + FIRST;
    const o = this.ord[i]!;
    if (o < 0 || x < this.x[i]! || (x === this.x[i]! && ord < o)) this.set(i, x, y, ord, s);
  }

  last(c: number, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + LAST;
    const o = this.ord[i]!;
    if (o < 0 || x > this.x[i]! || (x === this.x[i]! && ord > o)) this.set(i, x, y, ord, s);
  }

  /** A finite least (MIN) or greatest (MAX) value; of equal ones, the earliest stays. */
  extreme(c: number, role: typeof MIN | typeof MAX, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + role;
    const o = this.ord[i]!;
    const better = role === MIN ? y < this.y[i]! : y > this.y[i]!;
    if (o < 0 || better || (y === this.y[i]! && ord < o)) this.set(i, x, y, ord, s);
  }

  min(c: number, x: number, y: number, ord: number, s: number): void {
    this.extreme(c, MIN, x, y, ord, s);
  }

  max(c: number, x: number, y: number, ord: number, s: number): void {
    this.extreme(c, MAX, x, y, ord, s);
  }

  /** The first non-finite value of the column (by x). */
  gap(c: number, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + GAP;
    const o = this.ord[i]!;
    if (o < 0 || x < this.x[i]! || (x === this.x[i]! && ord < o)) this.set(i, x, y, ord, s);
  }

  private set(i: number, x: number, y: number, ord: number, s: number): void {
    this.x[i] = x;
    this.y[i] = y;
    this.ord[i] = ord;
    this.s[i] = s;
  }

  /** The metric numbers of the kept points with no smoothed value yet and a finite value (merged from bucket summaries). */
  unsmoothed(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.ord.length; i++) {
      const y = this.y[i]!;
      if (this.ord[i]! >= 0 && Number.isNaN(this.s[i]!) && y - y === 0) out.push(this.ord[i]!);
    }
    return out;
  }

  /** Gives the kept points with no smoothed value the one `smoothed` has for them (by metric number and value). */
  smoothWith(smoothed: (ord: number, y: number) => number | undefined): void {
    for (let i = 0; i < this.ord.length; i++) {
      if (this.ord[i]! < 0 || !Number.isNaN(this.s[i]!)) continue;
      const s = smoothed(this.ord[i]!, this.y[i]!);
      if (s !== undefined) this.s[i] = s;
    }
  }

  /** The points kept, each once, in x order (then logging order); x shifted by `-shift` (relative time). Every point merged, when there were at most rawLimit. */
  result(shift = 0): Decimated {
    if (this.merged <= this.rawLimit) return rawPoints(this.raw, this.merged, shift);
    const { x, ord } = this;
    if (picks.length < this.columns * ROLES) picks = new Int32Array(this.columns * ROLES);
    const picked = picks;
    const order = picked.subarray(0, keptPoints(x, ord, this.columns, picked));
    // Columns follow x, but a bucket merged whole may reach a little into the column before it: then one sort settles it.
    if (!inOrder(x, ord, order)) order.set(Array.from(order).sort((a, b) => x[a]! - x[b]! || ord[a]! - ord[b]!));
    return gather(order, x, this.y, this.s, shift);
  }
}
