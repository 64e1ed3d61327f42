import type { CollectedValues } from '../plugin';
import type { Awaitable } from '../types';
import type { Health } from './backoff';
import type { CollectorCost } from './costTracker';

/** A collector the sampler runs; resolved again before every tick so that replaced plugin instances are picked up. */
export interface SampleSource {
  readonly name: string;
  /** A different object under the same name (a reloaded plugin) starts fresh statistics. */
  readonly collector: { collect(): Awaitable<CollectedValues> };
}

/** One tick's result. */
export interface Sample {
  /** Date.now() when the tick began. */
  time: number;
  /** Latest values of each current source: this tick's, or an earlier tick's while they are at most three intervals old. */
  values: Record<string, CollectedValues>;
  /** Sources that returned new values in this tick. */
  fresh: string[];
  /** Wall time of the whole tick, ms. */
  durationMs: number;
}

/** How one collector is doing: what it costs and whether it is being skipped. */
export interface CollectorReport {
  name: string;
  health: Health;
  cost: CollectorCost;
  /** The last failure or slowness, kept after recovery so a user can see what happened. */
  lastProblem: string | undefined;
}

export type SamplerState = 'stopped' | 'running' | 'paused';
