import * as path from 'node:path';
import { METRICS_FILE, metricsFolder, readRunRecord } from '../store/runRecord';
import type { LogHealth, MetricEntry, RunSeriesReader, SeriesRequest, SeriesSlice, XAxis } from './api';
import { isConstant } from './ema';
import { loadSeriesIndex, saveSeriesIndex } from './indexFile';
import { indexTail, readMetricRange, readTasks } from './logRange';
import type { MetricBuckets } from './metricBuckets';
import { SeriesIndex } from './seriesIndex';
import { emptySlice, planQuery, type QueryContext, type QueryPlan } from './seriesQuery';

export interface OpenSeriesOptions {
  /** Points per bucket of an index built here (tests use small ones); an index read from series.idx keeps its own. */
  bucketPoints?: number;
  /** Write series.idx after building or catching up with a long stretch of log; default true. */
  persist?: boolean;
}

/** The reader writes series.idx again once it has indexed this much log since the file was written (and on close). */
const SAVE_EVERY_BYTES = 16 << 20;
/** A first pass over an old log lets other work in after about this much (openRunSeriesAsync). */
const SLICE_BYTES = 32 << 20;
/** Smoothed values kept per reader: for this many metric and weight pairs, up to SMOOTHED_VALUES each. */
const MAX_SMOOTHED = 16;
const SMOOTHED_VALUES = 100_000;
/** Points per chunk of `points()`: about 2 MB of columns. */
const EXPORT_CHUNK = 65_536;

/**
 * A run's series, read through its series index (series.idx, made here on first open when the run
 * has none): opening costs the index's size and the log written after it, a chart of any range
 * costs about its pixel columns plus the blocks holding the range's ends (or the whole range, when
 * it is narrow enough to read at full resolution). Synchronous: a first open of a long run without
 * an index reads its whole log (streaming, one block in memory); openRunSeriesAsync does that in slices.
 */
export function openRunSeries(runDir: string, options: OpenSeriesOptions = {}): RunSeriesReader {
  const reader = new IndexedSeriesReader(runDir, options);
  reader.catchUp(Number.POSITIVE_INFINITY);
  reader.saveIfBehind(0);
  return reader;
}

/** openRunSeries, letting the event loop turn between slices of a first pass over a long log. */
export async function openRunSeriesAsync(runDir: string, options: OpenSeriesOptions = {}): Promise<RunSeriesReader> {
  const reader = new IndexedSeriesReader(runDir, options);
  while (reader.catchUp(SLICE_BYTES)) await new Promise((resolve) => setImmediate(resolve));
  reader.saveIfBehind(0);
  return reader;
}

export class IndexedSeriesReader implements RunSeriesReader {
  private index: SeriesIndex;
  private readonly logFile: string;
  private readonly startTime: number | undefined;
  private tornBytes = 0;
  /** Where the log stood when series.idx was last written or read. */
  private savedBytes: number;
  private readonly smoothedValues = new Map<string, Map<number, number>>();
  private closed = false;
  private readonly context: QueryContext;
  private pending: { request: SeriesRequest; resolve: (slice: SeriesSlice) => void; reject: (err: unknown) => void }[] = [];

  /** The folder of the metrics version run.json says the views show, where its series.idx is kept too. */
  private readonly runDir: string;

  constructor(
    runDir: string,
    private readonly options: OpenSeriesOptions,
  ) {
    const record = readRunRecord(runDir);
    this.runDir = metricsFolder(runDir, record?.metricsVersion);
    this.logFile = path.join(this.runDir, METRICS_FILE);
    this.startTime = record?.startTime;
    const loaded = loadSeriesIndex(this.runDir, this.logFile);
    this.index = loaded ?? new SeriesIndex(options.bucketPoints);
    this.savedBytes = loaded ? loaded.logBytes : -1;
    this.context = {
      logFile: this.logFile,
      namesBefore: (offset) => this.index.namesBefore(offset),
      runStart: 0,
      smoothed: (m, w) => this.smoothedOf(m, w),
    };
  }

  /** Indexes the log written since; true when it stopped after `maxBytes` with more to read. */
  catchUp(maxBytes: number, changed?: Set<string>): boolean {
    const scan = indexTail(this.index, this.logFile, changed, maxBytes);
    if (scan.shrunk) {
      // The log was replaced or cut (the run deleted and made again): what the index says is of another log.
      for (const m of this.index.metrics) changed?.add(m.name);
      this.index = new SeriesIndex(this.options.bucketPoints);
      this.smoothedValues.clear();
      this.savedBytes = -1;
      return this.catchUp(maxBytes, changed);
    }
    if (!scan.more) this.tornBytes = scan.tornBytes;
    return scan.more === true;
  }

  /** Writes series.idx when the log it describes is `behind` bytes or more past the last one written. */
  saveIfBehind(behind: number): void {
    if (this.options.persist === false || this.index.logBytes === 0) return;
    if (this.index.logBytes - this.savedBytes < Math.max(behind, 1)) return;
    if (saveSeriesIndex(this.runDir, this.index)) this.savedBytes = this.index.logBytes;
  }

  metrics(): MetricEntry[] {
    return this.index.metrics.map((m) => {
      const entry: MetricEntry = { name: m.name, count: m.count, last: m.last, min: m.finiteMin, max: m.finiteMax };
      if (!Number.isNaN(m.lastStep)) entry.lastStep = m.lastStep;
      return entry;
    });
  }

  /** The queries, answered now, reading the log once for all of them (query() batches the ones asked for together). */
  queryAll(requests: readonly SeriesRequest[]): SeriesSlice[] {
    this.context.runStart = this.runStart();
    const plans: QueryPlan[] = requests.map((request) => {
      const m = this.closed ? undefined : this.index.metric(request.metric);
      return m ? planQuery(m, request, this.context) : { tasks: [], afterRead: () => [], finish: () => emptySlice(request) };
    });
    const namesBefore = (offset: number) => this.index.namesBefore(offset);
    readTasks(
      this.logFile,
      namesBefore,
      plans.flatMap((p) => p.tasks),
    );
    readTasks(
      this.logFile,
      namesBefore,
      plans.flatMap((p) => p.afterRead()),
    );
    return plans.map((p) => p.finish());
  }

  /**
   * Queries asked for in the same turn of the event loop (a grid of charts, a compare view's runs × metrics)
   * are answered together, after it: their reads of the log become one pass.
   */
  query(request: SeriesRequest): Promise<SeriesSlice> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (this.pending.length === 1) queueMicrotask(() => this.answerPending());
    });
  }

  private answerPending(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      const slices = this.queryAll(batch.map((p) => p.request));
      batch.forEach((p, i) => p.resolve(slices[i]!));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  async *points(
    metric: string,
    x: XAxis,
    range?: readonly [number, number],
  ): AsyncIterable<{ xs: Float64Array; ys: Float64Array; steps: Float64Array; times: Float64Array }> {
    const m = this.index.metric(metric);
    if (!m) return;
    const shift = x === 'relative' ? this.runStart() : 0;
    const lo = range ? Math.min(range[0], range[1]) + shift : Number.NEGATIVE_INFINITY;
    const hi = range ? Math.max(range[0], range[1]) + shift : Number.POSITIVE_INFINITY;
    const time = x !== 'step';
    const [xLo, xHi] = time ? [m.col('tMin'), m.col('tMax')] : [m.col('xMin'), m.col('xMax')];
    let first = 0;
    while (first < m.bucketCount && (xHi[first]! < lo || xLo[first]! > hi)) first++;
    let last = m.bucketCount - 1;
    while (last >= first && (xHi[last]! < lo || xLo[last]! > hi)) last--;
    const end = Math.min(m.count, (last + 1) * m.bucketPoints);
    for (let next = first * m.bucketPoints; next < end && !this.closed; ) {
      const chunk = this.readChunk(m, next, end, lo, hi, time, shift);
      next = chunk.next;
      if (chunk.xs.length > 0) yield chunk;
    }
  }

  /** Up to EXPORT_CHUNK points in range from ordinal `from`, and the ordinal to go on from. */
  private readChunk(m: MetricBuckets, from: number, end: number, lo: number, hi: number, time: boolean, shift: number) {
    const b = Math.floor(from / m.bucketPoints);
    const offset = m.col('offset')[b]!;
    const xs: number[] = [];
    const ys: number[] = [];
    const steps: number[] = [];
    const times: number[] = [];
    let next = end;
    readMetricRange(
      this.logFile,
      this.index.namesBefore(offset),
      m.ids,
      { offset, seq: m.col('seq')[b]!, ordinal: b * m.bucketPoints },
      end,
      (block, i, ord) => {
        if (ord < from) return true;
        if (xs.length >= EXPORT_CHUNK) {
          next = ord;
          return false;
        }
        next = ord + 1;
        const step = block.steps[i]!;
        const t = block.times[i]!;
        const xv = time ? t : Number.isNaN(step) ? ord : step;
        if (xv >= lo && xv <= hi) {
          xs.push(xv - shift);
          ys.push(block.values[i]!);
          steps.push(step);
          times.push(t);
        }
        return true;
      },
    );
    return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), steps: Float64Array.from(steps), times: Float64Array.from(times), next };
  }

  async refresh(): Promise<{ changed: string[] }> {
    return { changed: this.refreshSync() };
  }

  /** Indexes what was appended since (by this process or another) and says which metrics got points. */
  refreshSync(): string[] {
    if (this.closed) return [];
    const changed = new Set<string>();
    this.catchUp(Number.POSITIVE_INFINITY, changed);
    this.saveIfBehind(SAVE_EVERY_BYTES);
    return [...changed];
  }

  health(): LogHealth {
    const { ranges, unnamedPoints } = this.index.damage;
    return { tornBytes: this.tornBytes, damaged: ranges.map((r) => ({ ...r })), unnamedPoints };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.saveIfBehind(1);
    this.smoothedValues.clear();
  }

  /** Bytes the index and the smoothed values kept hold, about. */
  get memoryBytes(): number {
    let bytes = this.index.memoryBytes;
    for (const values of this.smoothedValues.values()) bytes += 40 * values.size;
    return bytes;
  }

  /** The run's start from run.json, else the earliest point of the log. */
  private runStart(): number {
    if (this.startTime !== undefined && Number.isFinite(this.startTime)) return this.startTime;
    let start = Number.POSITIVE_INFINITY;
    for (const m of this.index.metrics) if (m.bucketCount > 0 && m.col('tMin')[0]! < start) start = m.col('tMin')[0]!;
    return Number.isFinite(start) ? start : 0;
  }

  /** The smoothed values kept for the metric at `weight` (a metric that stops being constant gets new ones: its earlier values were shown unsmoothed). */
  private smoothedOf(m: MetricBuckets, weight: number): Map<number, number> {
    const key = `${weight}\0${isConstant(m)}\0${m.name}`;
    let values = this.smoothedValues.get(key);
    this.smoothedValues.delete(key);
    if (!values || values.size > SMOOTHED_VALUES) values = new Map();
    this.smoothedValues.set(key, values);
    if (this.smoothedValues.size > MAX_SMOOTHED) this.smoothedValues.delete(this.smoothedValues.keys().next().value!);
    return values;
  }
}
