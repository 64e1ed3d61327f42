import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeDamage, MetricsLogWriter } from '../store/metricsLog';
import { METRICS_FILE, summarise, writeRunRecord, type RunRecord } from '../store/runRecord';
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
  private readonly writer: MetricsLogWriter;
  private readonly queues: DeliveryQueue[];
  private buffer: MetricPoint[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private recordTimer: NodeJS.Timeout | undefined;
  private finished = false;

  /** Processing of earlier batches still under way (an asynchronous processor): later batches wait behind it, in order. */
  private processing: Promise<void> | undefined;
  private readonly chain: ProcessorChain;

  private constructor(private readonly options: RunPipelineOptions, writer: MetricsLogWriter) {
    this.writer = writer;
    const processors = (options.processors ?? []).map((p, i): RunProcessor => (typeof p === 'function' ? { name: p.name || `processor ${i + 1}`, process: p } : p));
    this.chain = new ProcessorChain(processors, (_, message) => options.onProcessorError?.(new Error(message)));
    const cursors = new CursorStore(options.runDir);
    const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    const logFile = path.join(options.runDir, METRICS_FILE);
    this.queues = options.sinks.map(
      (sink) => new DeliveryQueue(sink, logFile, cursors, routeFilter(options.routes ?? [], sink.name), delivery, options.logger),
    );
    for (const q of this.queues) q.notify(writer.nextSeq);
  }

  /** Opens (or reopens, for recovery) the run folder and starts delivering what is already in its log. */
  static open(options: RunPipelineOptions): RunPipeline {
    fs.mkdirSync(path.join(options.runDir, 'artifacts'), { recursive: true });
    if (options.record.backends.length === 0) options.record.backends = options.sinks.map((s) => s.name);
    writeRunRecord(options.runDir, options.record);
    const writer = MetricsLogWriter.open(path.join(options.runDir, METRICS_FILE));
    if (writer.damage) options.logger.warn(`run ${options.record.id}: ${describeDamage(writer.damage)}`);
    return new RunPipeline(options, writer);
  }

  get record(): RunRecord {
    return this.options.record;
  }

  /** Points durable in the log so far. */
  get acknowledged(): number {
    return this.writer.nextSeq;
  }

  ingest(points: readonly MetricPoint[]): void {
    if (this.finished) throw new Error(`run ${this.record.id} has ended; it takes no more points`);
    for (const p of points) this.buffer.push(p);
    if (this.buffer.length >= (this.options.flushPoints ?? 8192)) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.options.flushDelayMs ?? 20);
  }

  /**
   * Runs buffered points through the processors and writes them to the log; returns the number of points
   * the log holds. With an asynchronous processor the write happens once it answers (see `settled`).
   */
  flush(): number {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.buffer.length === 0) return this.writer.nextSeq;
    const points = this.buffer;
    this.buffer = [];
    const out = this.processing ? this.processing.then(() => this.chain.run(points)) : this.chain.run(points);
    if (!(out instanceof Promise)) {
      this.append(out);
      return this.writer.nextSeq;
    }
    const done: Promise<void> = out
      .then((p) => this.append(p))
      .catch((err: unknown) => this.options.logger.error(`run ${this.record.id}: writing processed points failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (this.processing === done) this.processing = undefined;
      });
    this.processing = done;
    return this.writer.nextSeq;
  }

  /** Resolves once every batch flushed so far is in the log. */
  async settled(): Promise<void> {
    while (this.processing) await this.processing;
  }

  /** What each processor cost and whether it was switched off, in this run. */
  processorCosts(): ProcessorCost[] {
    return this.chain.report();
  }

  private append(points: MetricPoint[]): void {
    this.writer.append(points);
    summarise(this.record.metrics, points);
    for (const q of this.queues) q.notify(this.writer.nextSeq);
    this.scheduleRecordWrite();
  }

  logParams(params: Record<string, unknown>): void {
    Object.assign(this.record.params, params);
    writeRunRecord(this.options.runDir, this.record);
    for (const q of this.queues) q.sendParams(params);
  }

  /** Facts about the run from collectors (git, environment), kept in run.json. */
  setContext(key: string, value: unknown): void {
    this.record.context[key] = value;
    this.scheduleRecordWrite();
  }

  rename(name: string): void {
    this.record.name = name;
    writeRunRecord(this.options.runDir, this.record);
  }

  status(): PipelineStatus {
    return { acknowledged: this.writer.nextSeq, buffered: this.buffer.length, deliveries: this.queues.map((q) => q.status()) };
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
    this.finished = true;
    clearTimeout(this.recordTimer);
    Object.assign(this.record, { status, endTime: outcome.endTime ?? this.record.endTime ?? Date.now() });
    if (outcome.exitCode !== undefined) this.record.exitCode = outcome.exitCode;
    if (outcome.reason) this.record.statusReason = outcome.reason;
    this.record.pendingBackends = this.queues.map((q) => q.name);
    writeRunRecord(this.options.runDir, this.record);
    this.writer.close();
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
    writeRunRecord(this.options.runDir, this.record);
    if (behind.length > 0) this.options.logger.warn(`run ${this.record.id}: ${behind.join(', ')} still behind; the rest is kept in the run folder and sent after the next start`);
    return behind;
  }

  /** Stops without ending the run (window closing): everything logged stays in the log for recovery. */
  async suspend(): Promise<void> {
    this.flush();
    await this.settled();
    this.finished = true;
    clearTimeout(this.recordTimer);
    writeRunRecord(this.options.runDir, this.record);
    this.writer.close();
    await Promise.all(this.queues.map((q) => q.close()));
  }

  private scheduleRecordWrite(): void {
    if (this.recordTimer || this.finished) return;
    this.recordTimer = setTimeout(() => {
      this.recordTimer = undefined;
      if (!this.finished) writeRunRecord(this.options.runDir, this.record);
    }, 1000);
  }
}
