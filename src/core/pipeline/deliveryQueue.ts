import { MetricsLogReader } from '../store/metricsLog';
import type { Logger, MetricPoint } from '../types';
import type { BackendSink } from './backendSink';
import type { CursorStore } from './cursorStore';

export interface DeliveryOptions {
  /** Points per call to the backend. */
  batchSize: number;
  /** How long a partial batch may wait for more points. */
  maxDelayMs: number;
  /** First retry delay; doubles on each failure up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface DeliveryStatus {
  backend: string;
  /** Points of the log this backend has acknowledged (routed-away points count as acknowledged). */
  acknowledged: number;
  pending: number;
  failures: number;
  retrying: boolean;
  lastError: string | undefined;
}

/**
 * Delivers one backend's share of a run's metrics log, in order, from its saved
 * cursor. Memory holds at most one batch: everything else waits in the log on
 * disk, so a slow or stopped backend never drops a point nor grows the heap.
 * A failed batch is retried whole, with back-off, until it goes through.
 */
export class DeliveryQueue {
  private readonly reader: MetricsLogReader;
  private logEnd = 0;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private consecutiveFailures = 0;
  private lastError: string | undefined;
  private retrying = false;
  private closed = false;
  private readonly caughtUp: (() => void)[] = [];
  private pendingParams: Record<string, unknown> | undefined;

  constructor(
    private readonly sink: BackendSink,
    logFile: string,
    private readonly cursors: CursorStore,
    private readonly accepts: (metric: string) => boolean,
    private readonly options: DeliveryOptions,
    private readonly logger: Logger,
  ) {
    this.reader = new MetricsLogReader(logFile);
    const saved = cursors.get(sink.name);
    this.reader.resumeAt(saved.offset);
  }

  get name(): string {
    return this.sink.name;
  }

  status(): DeliveryStatus {
    const acknowledged = this.reader.nextSeq;
    return {
      backend: this.sink.name,
      acknowledged,
      pending: Math.max(0, this.logEnd - acknowledged),
      failures: this.failures,
      retrying: this.retrying,
      lastError: this.lastError,
    };
  }

  /** Tells the queue the log now holds `logEnd` points. */
  notify(logEnd: number): void {
    this.logEnd = Math.max(this.logEnd, logEnd);
    if (this.closed || this.inFlight || this.retrying) return;
    const pending = this.logEnd - this.reader.nextSeq;
    if (pending <= 0) return;
    if (pending >= this.options.batchSize) this.kick(0);
    else if (!this.timer) this.kick(this.options.maxDelayMs);
  }

  /** Queues params for the backend; they go before the next points and are retried like them. */
  sendParams(params: Record<string, unknown>): void {
    this.pendingParams = { ...this.pendingParams, ...params };
    if (!this.retrying) this.kick(0);
  }

  /** Resolves true once everything logged so far is delivered, false if `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.isCaughtUp()) return Promise.resolve(true);
    this.kick(0);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.caughtUp.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stops delivering; what is not delivered stays in the log for recovery. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private kick(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.inFlight) this.inFlight = this.pump().finally(() => (this.inFlight = undefined));
    }, delayMs);
  }

  /** Sends batches until caught up or a send fails (then a retry is scheduled). */
  private isCaughtUp(): boolean {
    return this.pendingParams === undefined && this.reader.nextSeq >= this.logEnd;
  }

  private async pump(): Promise<void> {
    if (this.pendingParams && !this.closed) {
      const params = this.pendingParams;
      try {
        await this.sink.logParams(params);
        if (this.pendingParams === params) this.pendingParams = undefined;
        this.consecutiveFailures = 0;
        this.retrying = false;
      } catch (err) {
        this.onFailure(err);
        return;
      }
    }
    while (!this.closed && this.reader.nextSeq < this.logEnd) {
      const offsetBefore = this.reader.offset;
      const seqBefore = this.reader.nextSeq;
      const batch = this.reader.read(this.options.batchSize);
      if (batch.points.length === 0) break;
      const points: MetricPoint[] = batch.points.filter((p) => this.accepts(p.name));
      try {
        if (points.length > 0) await this.sink.send(points);
      } catch (err) {
        this.reader.rewind(offsetBefore, seqBefore);
        this.onFailure(err);
        return;
      }
      this.consecutiveFailures = 0;
      this.retrying = false;
      this.cursors.set(this.sink.name, { offset: this.reader.offset, seq: this.reader.nextSeq });
    }
    if (this.isCaughtUp()) for (const done of this.caughtUp.splice(0)) done();
  }

  private onFailure(err: unknown): void {
    this.failures += 1;
    this.consecutiveFailures += 1;
    this.lastError = err instanceof Error ? err.message : String(err);
    const delay = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (this.consecutiveFailures - 1));
    if (this.consecutiveFailures === 1 || this.consecutiveFailures % 10 === 0) {
      this.logger.warn(`${this.lastError}; ${this.logEnd - this.reader.nextSeq} points wait on disk, retrying in ${delay} ms`);
    }
    this.retrying = true;
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.inFlight) this.inFlight = this.pump().finally(() => (this.inFlight = undefined));
    }, delay);
  }
}
