/**
 * One metric's bucket index: its points, in the order they were logged, cut into buckets of
 * `bucketPoints` points, each summarised by what a chart needs to draw it without its points
 * (first, last, finite min and max, the first non-finite value, each with its x on both axes)
 * and where in metrics.bin it starts, so that a zoom reads only the blocks that hold its range.
 * Stored as columns (one Float64Array per field), so that 10,000,000 points take about 7 MB.
 */

/** The fields of a bucket, in the order series.idx stores their columns (docs/run-format.md, series.idx). */
export const BUCKET_FIELDS = [
  /** Byte offset in metrics.bin of the block holding the bucket's first point. */
  'offset',
  /** Sequence number (in the log) of the bucket's first point. */
  'seq',
  /** x on the step axis (the step, or the point's number in the metric when it has none): least and greatest. */
  'xMin',
  'xMax',
  /** Wall time (ms since the epoch): least and greatest. */
  'tMin',
  'tMax',
  'firstV',
  'firstX',
  'firstT',
  'lastV',
  'lastX',
  'lastT',
  /** The least finite value (NaN when the bucket has none), its x, time and place in the bucket. */
  'minV',
  'minX',
  'minT',
  'minK',
  'maxV',
  'maxX',
  'maxT',
  'maxK',
  /** Non-finite values in the bucket, and the first of them (value, x, time, place in the bucket). */
  'nfCount',
  'nfV',
  'nfX',
  'nfT',
  'nfK',
] as const;

export type BucketField = (typeof BUCKET_FIELDS)[number];
const FIELD = Object.fromEntries(BUCKET_FIELDS.map((f, i) => [f, i])) as Record<BucketField, number>;
/** Local numbers for the writer's loop (addGroup): through tsx an object's field read in a loop is not folded away. */
const [OFFSET, SEQ, X_MIN, X_MAX, T_MIN, T_MAX, FIRST_V, FIRST_X, FIRST_T, LAST_V, LAST_X, LAST_T, MIN_V, MAX_V, NF_COUNT, NF_V] = (
  ['offset', 'seq', 'xMin', 'xMax', 'tMin', 'tMax', 'firstV', 'firstX', 'firstT', 'lastV', 'lastX', 'lastT', 'minV', 'maxV', 'nfCount', 'nfV'] as const
).map((f) => FIELD[f]);

/** Value, x, time and place of an extreme (or of the first non-finite value): four fields in a row from `at`. */
function setExtreme(s: Float64Array, at: number, value: number, x: number, time: number, k: number): void {
  s[at] = value;
  s[at + 1] = x;
  s[at + 2] = time;
  s[at + 3] = k;
}

/** Points per bucket unless a run's series.idx says otherwise: at 10,000,000 points, 39,063 buckets (about 7.8 MB). */
export const DEFAULT_BUCKET_POINTS = 256;

export class MetricBuckets {
  /** One column per BUCKET_FIELDS entry, `capacity` long; the first `bucketCount` entries are used. */
  columns: Float64Array[];
  bucketCount = 0;
  /** Points of the metric indexed: the last bucket holds count - (bucketCount - 1) * bucketPoints. */
  count = 0;
  /** Last step seen (NaN: the metric has none yet). */
  lastStep = Number.NaN;
  finiteMin = Number.NaN;
  finiteMax = Number.NaN;
  nonFinite = 0;
  /** Ids metrics.bin gives this name (one, unless damage made a writer define it again). */
  readonly ids: number[] = [];
  /** The summary of the bucket addGroup is filling, one entry per field. */
  private readonly open = new Float64Array(BUCKET_FIELDS.length);
  /**
   * Per axis (step, time): the least and greatest x of the buckets before `settled` (all but the last, which still
   * grows), and whether their extents ascend, so that a query finds its range's buckets by halving instead of a
   * pass over every bucket (39,063 at 10,000,000 points).
   */
  private readonly settled = [0, 0];
  private readonly span = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  private readonly ascending = [true, true];

  constructor(
    readonly name: string,
    readonly bucketPoints: number,
    capacity = 4,
  ) {
    this.columns = BUCKET_FIELDS.map(() => new Float64Array(capacity));
  }

  col(field: BucketField): Float64Array {
    return this.columns[FIELD[field]]!;
  }

  /** Points in bucket `b`. */
  countOf(b: number): number {
    return b < this.bucketCount - 1 ? this.bucketPoints : this.count - b * this.bucketPoints;
  }

  /** The last value stored (NaN when none). */
  get last(): number {
    return this.bucketCount > 0 ? this.col('lastV')[this.bucketCount - 1]! : Number.NaN;
  }

  /**
   * Adds the metric's next points, in log order: those at places `order[from]` to `order[to - 1]` of a block's columns
   * (`values`, `steps` with NaN for none, `times`); the block starts at `offset` in the log and its point at place i has
   * sequence number `firstSeq + i` (`firstSeq + places[i]` when the block's columns skipped points).
   *
   * The writer's hot path (every point it stores): one loop over typed arrays with the open bucket's summary in a small
   * array of its own, copied into the columns when the bucket fills and at the end, instead of a call per point that
   * read and wrote a dozen columns (75 ns a point, `npm run bench -- pipeline`).
   */
  addGroup(
    values: Float64Array,
    steps: Float64Array,
    times: Float64Array,
    order: Int32Array,
    from: number,
    to: number,
    firstSeq: number,
    places: Uint32Array | undefined,
    offset: number,
  ): void {
    if (from >= to) return;
    const B = this.bucketPoints;
    const s = this.open;
    let n = this.count;
    let b = this.bucketCount - 1;
    if (n % B !== 0) this.load(b);
    let lastStep = this.lastStep;
    let least = this.finiteMin;
    let greatest = this.finiteMax;
    let nonFinite = 0;
    for (let j = from; j < to; j++) {
      const i = order[j]!;
      const value = values[i]!;
      const step = steps[i]!;
      const time = times[i]!;
      const k = n % B;
      const stepless = Number.isNaN(step);
      const x = stepless ? n : step;
      if (!stepless) lastStep = step;
      if (k === 0) {
        if (n > this.count) this.store(b);
        b = this.openBucket(firstSeq + (places ? places[i]! : i), offset);
        s.fill(0);
        s[X_MIN] = s[X_MAX] = s[FIRST_X] = x;
        s[T_MIN] = s[T_MAX] = s[FIRST_T] = time;
        s[FIRST_V] = value;
        s[MIN_V] = s[MAX_V] = s[NF_V] = Number.NaN;
      } else {
        if (x < s[X_MIN]!) s[X_MIN] = x;
        if (x > s[X_MAX]!) s[X_MAX] = x;
        // A NaN time (a hand-made log) stays out of the extent: comparisons with NaN are false.
        if (time < s[T_MIN]! || Number.isNaN(s[T_MIN]!)) s[T_MIN] = time;
        if (time > s[T_MAX]! || Number.isNaN(s[T_MAX]!)) s[T_MAX] = time;
      }
      s[LAST_V] = value;
      s[LAST_X] = x;
      s[LAST_T] = time;
      if (value - value === 0) {
        // Strict comparisons: the first of equal values is the one kept.
        if (Number.isNaN(s[MIN_V]!) || value < s[MIN_V]!) setExtreme(s, MIN_V, value, x, time, k);
        if (Number.isNaN(s[MAX_V]!) || value > s[MAX_V]!) setExtreme(s, MAX_V, value, x, time, k);
        if (!(value >= least)) least = value;
        if (!(value <= greatest)) greatest = value;
      } else {
        if (s[NF_COUNT] === 0) setExtreme(s, NF_V, value, x, time, k);
        s[NF_COUNT]! += 1;
        nonFinite++;
      }
      n++;
    }
    this.store(b);
    this.count = n;
    this.lastStep = lastStep;
    this.finiteMin = least;
    this.finiteMax = greatest;
    this.nonFinite += nonFinite;
  }

  /** The summary of bucket `b` into `open`, to go on with it. */
  private load(b: number): void {
    for (let f = 0; f < this.columns.length; f++) this.open[f] = this.columns[f]![b]!;
  }

  /** `open` into bucket `b`'s summary; its offset and sequence number were set when it was opened. */
  private store(b: number): void {
    for (let f = X_MIN; f < this.columns.length; f++) this.columns[f]![b] = this.open[f]!;
  }

  private openBucket(seq: number, offset: number): number {
    if (this.bucketCount === this.columns[0]!.length) this.grow(this.bucketCount * 2);
    const b = this.bucketCount++;
    this.columns[OFFSET]![b] = offset;
    this.columns[SEQ]![b] = seq;
    return b;
  }

  private grow(capacity: number): void {
    this.columns = this.columns.map((old) => {
      const next = new Float64Array(Math.max(4, capacity));
      next.set(old.subarray(0, this.bucketCount));
      return next;
    });
  }

  /** The least and greatest x on an axis (in stored units), or undefined when no point has one. */
  extent(time: boolean): [number, number] | undefined {
    const [lo, hi] = this.axis(time);
    const a = Math.min(this.span[time ? 2 : 0]!, lo[this.bucketCount - 1] ?? Number.POSITIVE_INFINITY);
    const b = Math.max(this.span[time ? 3 : 1]!, hi[this.bucketCount - 1] ?? Number.NEGATIVE_INFINITY);
    return a <= b ? [a, b] : undefined;
  }

  /** The first and last bucket that can hold a point with x in [lo, hi] on an axis: every bucket, unless their extents ascend. */
  bucketsIn(time: boolean, lo: number, hi: number): [number, number] {
    const n = this.bucketCount;
    const [los, his] = this.axis(time);
    const last = n - 1;
    if (!(this.ascending[time ? 1 : 0]! && (n < 2 || (los[last]! >= los[last - 1]! && his[last]! >= his[last - 1]!)))) return [0, last];
    // The first bucket reaching lo, and the last starting at or before hi.
    let a = 0;
    for (let z = n; a < z; ) {
      const mid = (a + z) >>> 1;
      if (his[mid]! < lo) a = mid + 1;
      else z = mid;
    }
    let z = n;
    for (let b = a; b < z; ) {
      const mid = (b + z) >>> 1;
      if (los[mid]! <= hi) b = mid + 1;
      else z = mid;
    }
    return [a, z - 1];
  }

  /** The x columns of an axis, with the closed buckets' extents settled. */
  private axis(time: boolean): [Float64Array, Float64Array] {
    const lo = this.col(time ? 'tMin' : 'xMin');
    const hi = this.col(time ? 'tMax' : 'xMax');
    const axis = time ? 1 : 0;
    if (this.settled[axis]! < this.bucketCount - 1) this.settle(axis, lo, hi);
    return [lo, hi];
  }

  private settle(axis: number, lo: Float64Array, hi: Float64Array): void {
    let least = this.span[2 * axis]!;
    let greatest = this.span[2 * axis + 1]!;
    let ascending = this.ascending[axis]!;
    for (let b = this.settled[axis]!; b < this.bucketCount - 1; b++) {
      if (lo[b]! < least) least = lo[b]!;
      if (hi[b]! > greatest) greatest = hi[b]!;
      // A NaN (a time a hand-made log left out) fails the comparison: such a metric is scanned whole.
      if (b > 0 && !(lo[b]! >= lo[b - 1]! && hi[b]! >= hi[b - 1]!)) ascending = false;
    }
    this.span[2 * axis] = least;
    this.span[2 * axis + 1] = greatest;
    this.ascending[axis] = ascending;
    this.settled[axis] = this.bucketCount - 1;
  }

  /** Takes columns read from series.idx (each `bucketCount` long) and the figures derived from them. */
  static restore(name: string, bucketPoints: number, ids: number[], count: number, lastStep: number, columns: Float64Array[]): MetricBuckets {
    const m = new MetricBuckets(name, bucketPoints, 0);
    m.columns = columns;
    m.bucketCount = columns[0]!.length;
    m.count = count;
    m.lastStep = lastStep;
    m.ids.push(...ids);
    const minV = m.col('minV');
    const maxV = m.col('maxV');
    const nf = m.col('nfCount');
    for (let b = 0; b < m.bucketCount; b++) {
      if (!(minV[b]! >= m.finiteMin)) m.finiteMin = Number.isNaN(minV[b]!) ? m.finiteMin : minV[b]!;
      if (!(maxV[b]! <= m.finiteMax)) m.finiteMax = Number.isNaN(maxV[b]!) ? m.finiteMax : maxV[b]!;
      m.nonFinite += nf[b]!;
    }
    return m;
  }

  /** Whether the figures hang together: bucket counts fill `count`, offsets and seqs never go back, places fit a bucket. */
  consistent(logBytes: number, nextSeq: number): boolean {
    const n = this.bucketCount;
    if (!Number.isSafeInteger(this.count) || this.count < 0 || n !== Math.ceil(this.count / this.bucketPoints)) return false;
    const offset = this.col('offset');
    const seq = this.col('seq');
    const nf = this.col('nfCount');
    const minK = this.col('minK');
    const maxK = this.col('maxK');
    const nfK = this.col('nfK');
    for (let b = 0; b < n; b++) {
      if (!Number.isSafeInteger(offset[b]!) || offset[b]! < 0 || offset[b]! >= logBytes) return false;
      if (!Number.isSafeInteger(seq[b]!) || seq[b]! < 0 || seq[b]! >= nextSeq) return false;
      if (b > 0 && (offset[b]! < offset[b - 1]! || seq[b]! <= seq[b - 1]!)) return false;
      if (!(nf[b]! >= 0 && nf[b]! <= this.countOf(b))) return false;
      const inBucket = this.countOf(b);
      if (!(placeIn(minK[b]!, inBucket) && placeIn(maxK[b]!, inBucket) && placeIn(nfK[b]!, inBucket))) return false;
    }
    return true;
  }
}

/** Whether `k` is a place in a bucket of `count` points. */
function placeIn(k: number, count: number): boolean {
  return k >= 0 && k < count && Number.isInteger(k);
}
