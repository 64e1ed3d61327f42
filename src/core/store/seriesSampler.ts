import type { MetricPoint } from '../types';

/**
 * Keeps the first and last point and, for each of the buckets between, the
 * lowest and highest value in time order, so spikes survive downsampling.
 */
export function downsample(points: readonly MetricPoint[], maxPoints: number): MetricPoint[] {
  const sampler = new SeriesSampler(points.length, maxPoints);
  for (const p of points) sampler.push(p.value, p.step ?? NaN, p.time, p.name, p);
  return sampler.points;
}

/**
 * downsample() for a series that streams by, point after point, once its length is known:
 * it holds only the points it keeps.
 */
export class SeriesSampler {
  readonly points: MetricPoint[] = [];
  /** How many points to keep from the start, when there is no downsampling to do. */
  private readonly keepFirst: number | undefined;
  private readonly buckets: number;
  private index = 0;
  private bucket = 0;
  /** Index where the current bucket ends. */
  private bucketEnd = 0;
  private lo: MetricPoint | undefined;
  private hi: MetricPoint | undefined;
  private loAt = 0;
  private hiAt = 0;

  constructor(
    private readonly total: number,
    maxPoints: number,
  ) {
    this.keepFirst = !Number.isFinite(maxPoints) || total <= maxPoints || maxPoints < 4 ? Math.max(maxPoints, 0) || total : undefined;
    this.buckets = Math.floor((maxPoints - 2) / 2);
  }

  /** The series' next point (NaN step: none); `original`, when there is one, is what is kept rather than a copy. */
  push(value: number, step: number, time: number, name: string, original?: MetricPoint): void {
    const i = this.index++;
    if (this.keepFirst !== undefined) {
      if (i < this.keepFirst) this.points.push(original ?? point(name, value, step, time));
      return;
    }
    if (i === 0 || i === this.total - 1) {
      if (i > 0) this.closeBucket();
      this.points.push(original ?? point(name, value, step, time));
      if (i === 0) this.bucketEnd = this.boundary(1);
      return;
    }
    while (i >= this.bucketEnd) {
      this.closeBucket();
      this.bucket++;
      this.bucketEnd = this.boundary(this.bucket + 1);
    }
    // Strict comparisons from the bucket's first point on: the first of equal values stays, and NaN replaces nothing.
    const starts = this.lo === undefined;
    if (starts || value < this.lo!.value) [this.lo, this.loAt] = [original ?? point(name, value, step, time), i];
    if (starts) [this.hi, this.hiAt] = [this.lo, i];
    else if (value > this.hi!.value) [this.hi, this.hiAt] = [original ?? point(name, value, step, time), i];
  }

  /** Start of bucket `b` among the points between the first and the last. */
  private boundary(b: number): number {
    return 1 + Math.floor((b * (this.total - 2)) / this.buckets);
  }

  private closeBucket(): void {
    const { lo, hi } = this;
    if (!lo || !hi) return;
    if (this.loAt === this.hiAt) this.points.push(lo);
    else this.points.push(...(this.loAt < this.hiAt ? [lo, hi] : [hi, lo]));
    this.lo = this.hi = undefined;
  }
}

function point(name: string, value: number, step: number, time: number): MetricPoint {
  const p: MetricPoint = { name, value, time };
  if (!Number.isNaN(step)) p.step = step;
  return p;
}
