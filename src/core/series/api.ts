/**
 * What the run views ask of the run store, and what they get: the contract between the series
 * reader (src/core/series) and the views that draw it (src/vscode/views, webview/charts).
 * A chart never receives more than a few points per pixel column, however long the series, and
 * never loses a spike: each column keeps its first, last, minimum and maximum point (M4).
 */

/** What a chart's x axis shows: the point's step (its sequence number in the metric when it has none), wall-clock time (ms since the epoch), or ms since the run started. */
export type XAxis = 'step' | 'wall' | 'relative';

export interface SeriesRequest {
  metric: string;
  x: XAxis;
  /** The x range wanted, inclusive, in the axis's unit; the whole series when absent. */
  range?: readonly [number, number];
  /** Pixel columns the chart has; the answer holds at most 4 points per column (first, min, max, last), and a fifth, the column's first non-finite value as a gap, when it has one. */
  columns: number;
  /** TensorBoard's debiased EMA weight in [0, 1), computed on the full-resolution series from its first point, then decimated like the raw line; 0 or absent: none. */
  smoothing?: number;
}

/** A point whose value no axis can draw, named in the hover (NaN, ±Infinity), at its x. */
export interface NonFinitePoint {
  x: number;
  value: number;
}

export interface SeriesSlice {
  metric: string;
  x: XAxis;
  /** x of each point kept, ascending. */
  xs: Float64Array;
  /** The raw value at each x; NaN where the series has a gap (a non-finite value, drawn as a break). */
  ys: Float64Array;
  /** The smoothed value at each x, when smoothing was asked for. */
  smoothed?: Float64Array;
  /** Points of the series in `range` at full resolution; `xs.length < inRange` means it was decimated. */
  inRange: number;
  /** Points the series has in all. */
  total: number;
  /** The series' whole x extent, for the zoom-out button and the shared x range. */
  extent: readonly [number, number] | undefined;
  /** Non-finite values in range (at most 1,000, the first ones); over a range drawn from the index's buckets, the first of each bucket. */
  nonFinite: NonFinitePoint[];
}

/** One metric of a run, as the chart grid lists it. */
export interface MetricEntry {
  name: string;
  count: number;
  last: number;
  min: number;
  max: number;
  /** Last step seen, when the metric has steps. */
  lastStep?: number;
}

/** What was wrong with the run's log when it was read: shown above the charts, never silently. */
export interface LogHealth {
  /** Bytes of a torn tail at the end (a write cut short): the points before it are shown. */
  tornBytes: number;
  /** Stretches of damaged bytes skipped in the middle of the log. */
  damaged: { offset: number; bytes: number; lostPoints: number }[];
  /** Points skipped because the block naming their metric was damaged. */
  unnamedPoints: number;
}

/** A run's series, opened for reading while it may still be written to (a tracked run grows). */
export interface RunSeriesReader {
  /** Every metric, in the order it first appeared; cheap (from the index). */
  metrics(): MetricEntry[];
  /** One metric's series over a range, decimated per pixel column (M4). */
  query(request: SeriesRequest): Promise<SeriesSlice>;
  /** Every stored point of `metric` with x in `range` (all when absent), in order, at full resolution, a block at a time: for CSV export. */
  points(
    metric: string,
    x: XAxis,
    range?: readonly [number, number],
  ): AsyncIterable<{ xs: Float64Array; ys: Float64Array; steps: Float64Array; times: Float64Array }>;
  /** Reads what was appended since the last call (a live run) and says which metrics got new points. */
  refresh(): Promise<{ changed: string[] }>;
  health(): LogHealth;
  close(): void;
}
