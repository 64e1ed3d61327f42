import type { MetricBuckets } from './metricBuckets';

/**
 * TensorBoard's scalar smoothing (classic TensorBoard's line chart, `resmoothDataset`): a debiased
 * exponential moving average over the finite values, from the series' first point:
 *
 *   last = last * w + (1 - w) * v;  n += 1;  smoothed = last / (1 - w^n)
 *
 * A non-finite value is shown as it is and neither feeds nor resets the average; a series whose
 * values are all equal is shown unsmoothed (TensorBoard's `isConstant`, which keeps rounding from
 * making a flat line wobble).
 */
export class Ema {
  /** The undebiased average and the finite values folded into it. */
  constructor(
    private readonly weight: number,
    private readonly constant = false,
    public last = 0,
    public n = 0,
  ) {}

  next(v: number): number {
    if (this.constant || !Number.isFinite(v)) return v;
    this.last = this.last * this.weight + (1 - this.weight) * v;
    this.n++;
    return this.weight === 0 ? v : this.last / (1 - this.weight ** this.n);
  }
}

/**
 * Finite values before a point whose weight in its smoothed value is below 1e-16 of the whole:
 * starting the average that many values before a range, from 0, gives the range the same smoothed
 * values as starting from the series' first point, to the last bit or so. w = 0.6: 73; 0.9: 350;
 * 0.99: 3,666; 0.999: 36,825.
 */
export function warmUpValues(weight: number): number {
  if (weight <= 0) return 0;
  return Math.ceil(Math.log(1e-16) / Math.log(weight));
}

/** TensorBoard's isConstant: every value equal (a non-finite value makes a series not constant, as NaN equals nothing). */
export function isConstant(metric: MetricBuckets): boolean {
  return metric.count > 0 && metric.nonFinite === 0 && metric.finiteMin === metric.finiteMax;
}
