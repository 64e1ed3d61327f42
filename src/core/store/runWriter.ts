import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger, MetricPoint } from '../types';
import type { FsyncPolicy } from './fsyncPolicy';
import { SeriesIndexWriter } from '../series/indexWriter';
import { describeDamage, MetricsLogWriter } from './metricsLog';
import { METRICS_FILE, summarise, writeRunRecord, type RunRecord } from './runRecord';

export interface RunWriterOptions {
  runDir: string;
  record: RunRecord;
  logger: Logger;
  /** Points buffered before a block is written; default 8192. */
  flushPoints?: number;
  /** Longest a point waits in memory before it is written; default 20 ms. */
  flushDelayMs?: number;
  fsync?: FsyncPolicy;
  /** Where a flushed batch goes on its way to `append` (the pipeline's processors); default straight there. */
  process?: (points: MetricPoint[], origin: PointOrigin) => void;
  /** Told the number of points in the log after each block it writes. */
  onStored?: (logEnd: number) => void;
  /** Keep the run's series.idx (the charts' index, src/core/series) up to date as blocks are written; default true (false: a reader indexes the log itself). */
  seriesIndex?: boolean;
}

/**
 * Where points come from: the run's output (what a re-parse reads again), or a sampler or file source (what a
 * re-parse carries over). Each flush hands the two on as separate batches, so that the names a source's points
 * have after the processors are known (run.json's sourceSeries).
 */
export type PointOrigin = 'output' | 'source';

/** How often run.json is rewritten while points arrive. */
const RECORD_SAVE_DELAY_MS = 1000;

/**
 * The one writer of a run folder (docs/run-format.md): creates it, keeps run.json with its
 * per-metric summaries, and appends points to metrics.bin in blocks of at most `flushPoints`
 * points, written at most `flushDelayMs` after the first of them arrived. The run pipeline and
 * the `local` backend both write through it.
 */
export class RunWriter {
  private buffer: MetricPoint[] = [];
  private sourceBuffer: MetricPoint[] = [];
  private readonly sourceSeries: Set<string>;
  private flushTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private ended = false;

  private constructor(
    private readonly options: RunWriterOptions,
    private readonly log: MetricsLogWriter,
    private readonly seriesIndex: SeriesIndexWriter | undefined,
  ) {
    // A run.json edited by hand may hold anything there; the writer keeps a list it can add to.
    if (!Array.isArray(options.record.sourceSeries)) delete options.record.sourceSeries;
    this.sourceSeries = new Set(options.record.sourceSeries);
  }

  /** Creates (or reopens, for recovery) the run folder, writes run.json and opens the log, reporting damage in it. */
  static open(options: RunWriterOptions): RunWriter {
    const { runDir, record, logger } = options;
    fs.mkdirSync(path.join(runDir, 'artifacts'), { recursive: true });
    writeRunRecord(runDir, record);
    // Bound once the log is open (and a torn tail cut), so that the index goes on from the log as it is.
    let seriesIndex: SeriesIndexWriter | undefined;
    const log = MetricsLogWriter.open(path.join(runDir, METRICS_FILE), {
      fsync: options.fsync,
      onPoints: (points, block) => seriesIndex?.pointsWritten(points, block),
      onSyncError: (err) =>
        logger.warn(
          `run ${record.id}: metrics.bin could not be flushed to the disk (${err.message}); its points are written, but a power loss could take them`,
        ),
    });
    if (log.damage) logger.warn(`run ${record.id}: ${describeDamage(log.damage)}`);
    if (options.seriesIndex !== false) seriesIndex = SeriesIndexWriter.open(runDir);
    return new RunWriter(options, log, seriesIndex);
  }

  get record(): RunRecord {
    return this.options.record;
  }

  /** Points in the log: they survive a crash of this process. */
  get stored(): number {
    return this.log.nextSeq;
  }

  get buffered(): number {
    return this.buffer.length + this.sourceBuffer.length;
  }

  add(points: readonly MetricPoint[], origin: PointOrigin = 'output'): void {
    if (this.ended) throw new Error(`run ${this.record.id} has ended; it takes no more points`);
    const buffer = origin === 'source' ? this.sourceBuffer : this.buffer;
    for (const p of points) buffer.push(p);
    if (this.buffered >= (this.options.flushPoints ?? 8192)) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.options.flushDelayMs ?? 20);
  }

  /** Hands the buffered points on to the log now; returns the number of points the log holds. */
  flush(): number {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const output = this.buffer;
    const sources = this.sourceBuffer;
    this.buffer = [];
    this.sourceBuffer = [];
    if (output.length > 0) this.handOn(output, 'output');
    if (sources.length > 0) this.handOn(sources, 'source');
    return this.log.nextSeq;
  }

  private handOn(points: MetricPoint[], origin: PointOrigin): void {
    if (this.options.process) this.options.process(points, origin);
    else this.append(points, origin);
  }

  /** Writes the points to the log now, ahead of anything buffered, and folds them into run.json's summaries. */
  append(points: readonly MetricPoint[], origin: PointOrigin = 'output'): number {
    this.log.append(points);
    summarise(this.record.metrics, points);
    if (origin === 'source') this.noteSourceSeries(points);
    this.options.onStored?.(this.log.nextSeq);
    this.saveRecordSoon();
    return this.log.nextSeq;
  }

  private noteSourceSeries(points: readonly MetricPoint[]): void {
    for (const p of points) {
      if (this.sourceSeries.has(p.name)) continue;
      this.sourceSeries.add(p.name);
      (this.record.sourceSeries ??= []).push(p.name);
    }
  }

  /** Writes run.json now; once the run has ended, durably (unless fsync is off). */
  saveRecord(): void {
    writeRunRecord(this.options.runDir, this.record, { durable: this.ended && this.options.fsync !== 'off' });
  }

  /** Writes run.json within a second, once for everything that changes meanwhile. */
  saveRecordSoon(): void {
    if (this.saveTimer || this.ended) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      if (!this.ended) this.saveRecord();
    }, RECORD_SAVE_DELAY_MS);
  }

  /** Writes what is buffered, closes the log (flushed to the disk unless fsync is off) and saves run.json; saveRecord works after. */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    clearTimeout(this.saveTimer);
    this.log.close();
    this.seriesIndex?.close();
    this.saveRecord();
  }
}
