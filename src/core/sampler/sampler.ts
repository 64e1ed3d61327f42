import { Emitter } from '../events';
import type { CollectedValues } from '../plugin';
import type { Disposable } from '../types';
import { isDue, nextHealth, type Health } from './backoff';
import { monotonicMs, type Clock } from '../clock';
import { CostTracker } from './costTracker';
import type { CollectorReport, Sample, SamplerState, SampleSource } from './types';
import { errorText } from '../errors';

export interface SamplerOptions {
  intervalMs: number;
  /** The collectors to run, asked before every tick. */
  sources: () => readonly SampleSource[];
  clock?: Clock;
  /** Process CPU time so far in µs, as process.cpuUsage() gives it. */
  cpuUsage?: () => { user: number; system: number };
  /** Longest a failing or slow collector is skipped; default 5 minutes. */
  maxBackoffMs?: number;
}

interface Entry {
  collector: SampleSource['collector'];
  cost: CostTracker;
  health: Health;
  lastProblem: string | undefined;
  values: CollectedValues | undefined;
  valuesAt: number;
  /** An async collect() still running (it outlived its timeout); it is not called again until it settles. */
  inFlight: boolean;
}

type Outcome = { ok: true; values: unknown } | { ok: false; reason: string; values?: unknown };

function failed(err: unknown): Outcome {
  return { ok: false, reason: `failed: ${errorText(err)}` };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs collectors one after another at an interval. Ticks never overlap: the next
 * is scheduled only when the last has finished. Each collect() is timed (wall and
 * CPU); a collector that throws or takes longer than the interval is skipped for
 * a growing while (see backoff.ts), the others carry on.
 */
export class Sampler implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly sampled = new Emitter<Sample>();
  private readonly clock: Clock;
  private readonly cpuUsage: () => { user: number; system: number };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Sample> | undefined;
  private current: SamplerState = 'stopped';
  private interval: number;

  /** Fires after every tick. */
  readonly onDidSample = this.sampled.event;

  constructor(private readonly options: SamplerOptions) {
    this.interval = options.intervalMs;
    this.clock = options.clock ?? monotonicMs;
    this.cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  }

  get state(): SamplerState {
    return this.current;
  }

  get intervalMs(): number {
    return this.interval;
  }

  /** Starts ticking, the first tick right away. */
  start(): void {
    if (this.current === 'running') return;
    this.current = 'running';
    this.schedule(0);
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.clearTimer();
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.schedule(0);
  }

  stop(): void {
    this.current = 'stopped';
    this.clearTimer();
  }

  setIntervalMs(ms: number): void {
    if (ms === this.interval) return;
    this.interval = ms;
    if (this.current === 'running' && this.timer) this.schedule(ms);
  }

  /** Runs one tick now; while one is running, returns that one instead of starting another. */
  tick(): Promise<Sample> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  reports(): CollectorReport[] {
    return [...this.entries].map(([name, e]) => ({ name, health: e.health, cost: e.cost.summary(), lastProblem: e.lastProblem }));
  }

  dispose(): void {
    this.stop();
    this.sampled.dispose();
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().then((sample) => {
        if (this.current === 'running' && !this.timer) this.schedule(Math.max(this.interval - sample.durationMs, this.interval * 0.1));
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async runTick(): Promise<Sample> {
    const began = this.clock();
    const time = Date.now();
    const sources = this.options.sources();
    const names = new Set(sources.map((s) => s.name));
    for (const name of [...this.entries.keys()]) if (!names.has(name)) this.entries.delete(name);
    const fresh: string[] = [];
    for (const source of sources) {
      let entry = this.entries.get(source.name);
      if (!entry || entry.collector !== source.collector) {
        entry = {
          collector: source.collector,
          cost: new CostTracker(),
          health: { state: 'ok' },
          lastProblem: undefined,
          values: undefined,
          valuesAt: 0,
          inFlight: false,
        };
        this.entries.set(source.name, entry);
      }
      // Half an interval of slack: a pause of two intervals skips exactly one tick, whatever the jitter.
      if (entry.inFlight || !isDue(entry.health, began + this.interval / 2)) continue;
      if (await this.collectOne(entry)) fresh.push(source.name);
    }
    const now = this.clock();
    const values: Record<string, CollectedValues> = {};
    for (const [name, e] of this.entries) if (e.values && now - e.valuesAt <= 3 * this.interval) values[name] = e.values;
    const sample: Sample = { time, values, fresh, durationMs: now - began };
    this.sampled.fire(sample);
    return sample;
  }

  /** Calls one collector, records its cost and health; true when it returned values. */
  private async collectOne(entry: Entry): Promise<boolean> {
    const cpu0 = this.cpuUsage();
    const t0 = this.clock();
    const outcome = await this.call(entry);
    const wallMs = this.clock() - t0;
    const cpu1 = this.cpuUsage();
    entry.cost.record(wallMs, (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000);
    let verdict: Outcome = outcome;
    if (outcome.ok && wallMs > this.interval) {
      verdict = { ok: false, reason: `slow: collect() took ${wallMs.toFixed(0)} ms, longer than the ${this.interval} ms interval`, values: outcome.values };
    }
    entry.health = nextHealth(
      entry.health,
      verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason },
      this.clock(),
      this.interval,
      this.options.maxBackoffMs ?? 300_000,
    );
    if (!verdict.ok) entry.lastProblem = verdict.reason;
    const values = verdict.values;
    if (typeof values !== 'object' || values === null) return false;
    entry.values = values as CollectedValues;
    entry.valuesAt = this.clock();
    return true;
  }

  private async call(entry: Entry): Promise<Outcome> {
    let result: unknown;
    try {
      result = entry.collector.collect();
    } catch (err) {
      return failed(err);
    }
    if (!isThenable(result)) return { ok: true, values: result };
    entry.inFlight = true;
    // Never rejects, so a collect() that fails after its timeout leaves no unhandled rejection behind.
    const settled = Promise.resolve(result).then(
      (values): Outcome => ({ ok: true, values }),
      (err: unknown): Outcome => failed(err),
    );
    void settled.then(() => {
      entry.inFlight = false;
    });
    const timeoutMs = Math.max(this.interval, 1000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `slow: collect() did not finish within ${timeoutMs} ms` }), timeoutMs);
    });
    try {
      return await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
