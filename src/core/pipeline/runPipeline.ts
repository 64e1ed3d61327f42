import * as path from 'node:path';
import type { FsyncPolicy } from '../store/fsyncPolicy';
import { METRICS_FILE, type RunRecord } from '../store/runRecord';
import { type PointOrigin, RunWriter } from '../store/runWriter';
import type { Logger, MetricPoint, RunStatus } from '../types';
import type { BackendSink } from './backendSink';
import { CursorStore } from './cursorStore';
import { DeliveryQueue, type DeliveryOptions, type DeliveryStatus } from './deliveryQueue';
import { ProcessorChain, type ProcessorCost, type RunProcessor } from './processors';
import { routeFilter, type RouteRule } from './routing';

/** A processor as a function: turns a batch of points into another (filter, rename, transform); it must not reorder what it keeps. */
export type PointProcessor = (points: MetricPoint[]) => MetricPoint[];

export interface RunPipelineOptions {
  runDir: string;
  record: RunRecord;
  sinks: readonly BackendSink[];
  routes?: readonly RouteRule[];
  /** Run before the log, in order (processors.ts): plugin instances by name, or plain functions. */
  processors?: readonly (PointProcessor | RunProcessor)[];
  /** Points buffered before a write to the log; default 8192. */
  flushPoints?: number;
  /** Longest a point waits in memory before it is written to the log; default 20 ms. */
  flushDelayMs?: number;
  /** When the log is flushed to the disk itself (tracelet.run.fsync); default DEFAULT_FSYNC. */
  fsync?: FsyncPolicy;
  delivery?: Partial<DeliveryOptions>;
  logger: Logger;
  /** Reports a processor switched off for the run (it threw, rejected or ran over); its batch goes on unprocessed rather than being lost. */
  onProcessorError?: (error: Error) => void;
}

const DEFAULT_DELIVERY: DeliveryOptions = { batchSize: 1000, maxDelayMs: 200, retryInitialMs: 500, retryMaxMs: 30_000 };

export interface PipelineStatus {
  /** Points written to the run's log: durable, and what "logged" means. */
  acknowledged: number;
  buffered: number;
  deliveries: DeliveryStatus[];
}

/**
 * One run's data path: sources ingest points, processors transform them, the
 * run's metrics log stores them (this is the local store and the write-ahead
 * log at once), and one delivery queue per backend forwards them from the log.
 */
export class RunPipeline {
  private readonly run: RunWriter;
  private readonly queues: DeliveryQueue[];

  /** Processing of earlier batches still under way (an asynchronous processor): later batches wait behind it, in order. */
  private processing: Promise<void> | undefined;
  private readonly chain: ProcessorChain;

  private constructor(private readonly options: RunPipelineOptions) {
    const processors = (options.processors ?? []).map(
      (p, i): RunProcessor => (typeof p === 'function' ? { name: p.name || `processor ${i + 1}`, process: p } : p),
    );
    this.chain = new ProcessorChain(processors, (_, message) => options.onProcessorError?.(new Error(message)));
    const { runDir, record, logger, flushPoints, flushDelayMs, fsync } = options;
    // The log is opened first: it refuses a metrics.bin that is a link, before any queue reads through one.
    this.run = RunWriter.open({
      runDir,
      record,
      logger,
      flushPoints,
      flushDelayMs,
      fsync,
      process: (points, origin) => this.process(points, origin),
      onStored: (logEnd) => {
        for (const q of this.queues) q.notify(logEnd);
      },
    });
    const cursors = new CursorStore(runDir);
    const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    const logFile = path.join(runDir, METRICS_FILE);
    this.queues = options.sinks.map((sink) => new DeliveryQueue(sink, logFile, cursors, routeFilter(options.routes ?? [], sink.name), delivery, logger));
    for (const q of this.queues) q.notify(this.run.stored);
  }

  /** Opens (or reopens, for recovery) the run folder and starts delivering what is already in its log. */
  static open(options: RunPipelineOptions): RunPipeline {
    if (options.record.backends.length === 0) options.record.backends = options.sinks.map((s) => s.name);
    return new RunPipeline(options);
  }

  get record(): RunRecord {
    return this.options.record;
  }

  /** Points durable in the log so far. */
  get acknowledged(): number {
    return this.run.stored;
  }

  /** Takes points from the run's output, or (origin 'source') from one of its samplers or file sources. */
  ingest(points: readonly MetricPoint[], origin: PointOrigin = 'output'): void {
    this.run.add(points, origin);
  }

  /**
   * Runs buffered points through the processors and writes them to the log; returns the number of points
   * the log holds. With an asynchronous processor the write happens once it answers (see `settled`).
   */
  flush(): number {
    return this.run.flush();
  }

  /** A batch the run writer flushed, through the processors and into the log. */
  private process(points: MetricPoint[], origin: PointOrigin): void {
    const out = this.processing ? this.processing.then(() => this.chain.run(points)) : this.chain.run(points);
    if (!(out instanceof Promise)) {
      this.run.append(out, origin);
      return;
    }
    const done: Promise<void> = out
      .then((p) => void this.run.append(p, origin))
      .catch((err: unknown) =>
        this.options.logger.error(`run ${this.record.id}: writing processed points failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        if (this.processing === done) this.processing = undefined;
      });
    this.processing = done;
  }

  /** Resolves once every batch flushed so far is in the log. */
  async settled(): Promise<void> {
    while (this.processing) await this.processing;
  }

  /** What each processor cost and whether it was switched off, in this run. */
  processorCosts(): ProcessorCost[] {
    return this.chain.report();
  }

  logParams(params: Record<string, unknown>): void {
    Object.assign(this.record.params, params);
    this.run.saveRecord();
    for (const q of this.queues) q.sendParams(params);
  }

  /** Facts about the run from collectors (git, environment), kept in run.json. */
  setContext(key: string, value: unknown): void {
    this.record.context[key] = value;
    this.run.saveRecordSoon();
  }

  /** Records a part of the run's output that never reached it, and why (run.json's outputNotes); false if already noted. */
  noteOutput(note: string): boolean {
    const notes = (this.record.outputNotes ??= []);
    if (notes.includes(note)) return false;
    notes.push(note);
    this.run.saveRecord();
    return true;
  }

  rename(name: string): void {
    this.record.name = name;
    this.run.saveRecord();
  }

  status(): PipelineStatus {
    return { acknowledged: this.run.stored, buffered: this.run.buffered, deliveries: this.queues.map((q) => q.status()) };
  }

  /**
   * Ends the run: writes what is buffered, records the outcome, waits up to
   * `drainTimeoutMs` for each backend to catch up and then finishes it. A
   * backend that does not catch up keeps its points in the log, and recovery
   * delivers and finishes them later. Resolves to the names of such backends.
   */
  async finish(status: RunStatus, outcome: { endTime?: number; exitCode?: number | null; reason?: string } = {}, drainTimeoutMs = 10_000): Promise<string[]> {
    this.flush();
    await this.settled();
    Object.assign(this.record, { status, endTime: outcome.endTime ?? this.record.endTime ?? Date.now() });
    if (outcome.exitCode !== undefined) this.record.exitCode = outcome.exitCode;
    if (outcome.reason) this.record.statusReason = outcome.reason;
    this.record.pendingBackends = this.queues.map((q) => q.name);
    this.run.end();
    const behind: string[] = [];
    await Promise.all(
      this.queues.map(async (q, i) => {
        const drained = await q.drain(drainTimeoutMs);
        await q.close();
        if (!drained) {
          behind.push(q.name);
          return;
        }
        try {
          await this.options.sinks[i]!.finish(status, this.record.endTime!);
        } catch (err) {
          this.options.logger.warn(`could not finish the run in ${q.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
    this.record.pendingBackends = behind;
    this.run.saveRecord();
    if (behind.length > 0)
      this.options.logger.warn(`run ${this.record.id}: ${behind.join(', ')} still behind; the rest is kept in the run folder and sent after the next start`);
    return behind;
  }

  /** Stops without ending the run (window closing): everything logged stays in the log for recovery. */
  async suspend(): Promise<void> {
    this.flush();
    await this.settled();
    this.run.end();
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
