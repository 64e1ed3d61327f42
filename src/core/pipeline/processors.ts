import type { Awaitable, MetricPoint } from '../types';
import { errorText } from '../errors';

/** One processor of a run: a plugin's per-run instance, by name. */
export interface RunProcessor {
  name: string;
  process(points: readonly MetricPoint[]): Awaitable<MetricPoint[]>;
}

/** What one processor cost and did in a run, for the Plugins view. */
export interface ProcessorCost {
  name: string;
  points: number;
  ms: number;
  /** Set once the processor was switched off for the run, and why. */
  off?: string;
}

/** Longest one processor call may take before the processor is switched off for the run. */
export const PROCESSOR_BUDGET_MS = 250;

function isPoints(value: unknown): value is MetricPoint[] {
  return (
    Array.isArray(value) &&
    value.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        typeof p.name === 'string' &&
        p.name !== '' &&
        typeof p.value === 'number' &&
        typeof p.time === 'number' &&
        (p.step === undefined || typeof p.step === 'number'),
    )
  );
}

const late = Symbol('late');

/**
 * Runs a run's points through its processors, in order, before they are logged. A processor that
 * throws, rejects, returns something other than points, or takes longer than `budgetMs` is switched
 * off for the run, named in `onError`, and its input goes on unchanged: no point is ever lost because
 * a processor failed. Synchronous processors keep the whole chain synchronous.
 */
export class ProcessorChain {
  private readonly costs: ProcessorCost[];

  constructor(
    private readonly processors: readonly RunProcessor[],
    private readonly onError: (name: string, message: string) => void,
    private readonly budgetMs = PROCESSOR_BUDGET_MS,
  ) {
    this.costs = processors.map((p) => ({ name: p.name, points: 0, ms: 0 }));
  }

  get empty(): boolean {
    return this.processors.length === 0;
  }

  /** The processed points; a promise only when a processor answered with one. */
  run(points: MetricPoint[]): MetricPoint[] | Promise<MetricPoint[]> {
    return this.from(0, points);
  }

  /** Each processor's cost so far in this run. */
  report(): ProcessorCost[] {
    return this.costs.map((c) => ({ ...c }));
  }

  private from(index: number, points: MetricPoint[]): MetricPoint[] | Promise<MetricPoint[]> {
    for (let i = index; i < this.processors.length; i++) {
      const cost = this.costs[i]!;
      if (cost.off) continue;
      const began = performance.now();
      let out: Awaitable<MetricPoint[]>;
      try {
        out = this.processors[i]!.process(points);
      } catch (err) {
        this.switchOff(i, `threw: ${errorText(err)}`);
        continue;
      }
      if (out instanceof Promise) return this.settle(i, points, out, began).then((next) => this.from(i + 1, next));
      points = this.accept(i, points, out, performance.now() - began);
    }
    return points;
  }

  private async settle(i: number, input: MetricPoint[], pending: Promise<MetricPoint[]>, began: number): Promise<MetricPoint[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof late>((resolve) => (timer = setTimeout(() => resolve(late), this.budgetMs)));
    try {
      const out = await Promise.race([pending, deadline]);
      if (out === late) {
        this.switchOff(i, `did not answer within ${this.budgetMs} ms`);
        return input;
      }
      return this.accept(i, input, out, performance.now() - began);
    } catch (err) {
      this.switchOff(i, `rejected: ${errorText(err)}`);
      return input;
    } finally {
      clearTimeout(timer);
    }
  }

  private accept(i: number, input: MetricPoint[], out: unknown, ms: number): MetricPoint[] {
    const cost = this.costs[i]!;
    cost.points += input.length;
    cost.ms += ms;
    if (ms > this.budgetMs) {
      this.switchOff(i, `took ${ms.toFixed(0)} ms for ${input.length} points (the budget is ${this.budgetMs} ms)`);
      return input;
    }
    if (!isPoints(out)) {
      this.switchOff(i, 'returned something other than a list of points ({ name, value, time, step? })');
      return input;
    }
    return out;
  }

  private switchOff(i: number, why: string): void {
    const cost = this.costs[i]!;
    cost.off = why;
    this.onError(cost.name, `processor ${cost.name} ${why}; it is switched off for this run and its points go on unchanged`);
  }
}

/** A processor's cost over the runs of this window, for the Plugins view. */
export interface ProcessorCostSummary {
  points: number;
  ms: number;
  runs: number;
  /** Why it was last switched off in a run, if it was. */
  lastOff?: string;
}

/** Adds up what each processor cost in each run. */
export class ProcessorMeter {
  private readonly totals = new Map<string, ProcessorCostSummary>();

  add(costs: readonly ProcessorCost[]): void {
    for (const c of costs) {
      const t = this.totals.get(c.name) ?? { points: 0, ms: 0, runs: 0 };
      t.points += c.points;
      t.ms += c.ms;
      t.runs += 1;
      if (c.off) t.lastOff = c.off;
      this.totals.set(c.name, t);
    }
  }

  summary(): ReadonlyMap<string, ProcessorCostSummary> {
    return this.totals;
  }
}

/** `0.42 µs/point`: a processor's mean cost per point. */
export function perPoint(c: ProcessorCostSummary): string {
  const us = c.points > 0 ? (c.ms * 1000) / c.points : 0;
  return `${us >= 10 ? us.toFixed(0) : us.toFixed(2)} µs/point`;
}
