import type { NameDefinition } from '../store/blockFormat';
import { Ema } from './ema';
import { readMetricRange } from './logRange';
import type { MetricBuckets } from './metricBuckets';

/**
 * One metric's smoothing at one weight, per bucket: the average's state where the bucket starts,
 * and the smoothed value at the bucket's first, last, least and greatest points. With it a chart of
 * the whole series draws its smoothed line from the buckets alone, and a zoom starts the average
 * exactly where its range starts. It costs one pass over the metric's points (the blocks that hold
 * them) the first time a weight is asked for, then only the points added since; it stays in memory
 * (48 bytes a bucket, about 1.9 MB for 10,000,000 points) and is never written to disk, as the
 * weight is the user's to change.
 */
export class EmaLayer {
  stateLast = new Float64Array(0);
  stateN = new Float64Array(0);
  sFirst = new Float64Array(0);
  sLast = new Float64Array(0);
  sMin = new Float64Array(0);
  sMax = new Float64Array(0);
  /** Points of the metric folded in so far. */
  private done = 0;
  private readonly ema: Ema;
  /** Whether the metric was constant when the layer was made: then a new value means making it again. */
  readonly constant: boolean;

  constructor(
    readonly weight: number,
    metric: MetricBuckets,
  ) {
    this.constant = isConstant(metric);
    this.ema = new Ema(weight, this.constant);
  }

  /** Whether it still describes the metric: a constant metric that stopped being one needs a new layer. */
  fits(metric: MetricBuckets): boolean {
    return this.constant === isConstant(metric);
  }

  /** Folds in the points the metric has gained since, reading them from the log. */
  extend(file: string, namesBefore: (offset: number) => readonly NameDefinition[], metric: MetricBuckets): void {
    if (this.done >= metric.count) return;
    this.grow(metric.bucketCount);
    const B = metric.bucketPoints;
    const first = Math.floor(this.done / B);
    const offset = metric.col('offset');
    const seq = metric.col('seq');
    const minK = metric.col('minK');
    const maxK = metric.col('maxK');
    const from = this.done;
    readMetricRange(
      file,
      namesBefore(offset[first]!),
      metric.ids,
      { offset: offset[first]!, seq: seq[first]!, ordinal: first * B },
      metric.count,
      (block, i, ord) => {
        if (ord < from) return;
        const b = Math.floor(ord / B);
        const k = ord - b * B;
        if (k === 0) {
          this.stateLast[b] = this.ema.last;
          this.stateN[b] = this.ema.n;
        }
        const s = this.ema.next(block.values[i]!);
        if (k === 0) this.sFirst[b] = s;
        this.sLast[b] = s;
        if (k === minK[b]) this.sMin[b] = s;
        if (k === maxK[b]) this.sMax[b] = s;
        this.done = ord + 1;
      },
    );
  }

  private grow(buckets: number): void {
    if (this.sFirst.length >= buckets) return;
    const size = Math.max(buckets, this.sFirst.length * 2, 16);
    const grown = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.stateLast = grown(this.stateLast);
    this.stateN = grown(this.stateN);
    this.sFirst = grown(this.sFirst);
    this.sLast = grown(this.sLast);
    this.sMin = grown(this.sMin);
    this.sMax = grown(this.sMax);
  }
}

/** TensorBoard's isConstant: every value equal (a non-finite value makes a series not constant, as NaN equals nothing). */
export function isConstant(metric: MetricBuckets): boolean {
  return metric.count > 0 && metric.nonFinite === 0 && metric.finiteMin === metric.finiteMax;
}
