import { seededRandom } from '../support/seededRandom';

/** A seeded source of random choices for one fuzz case; the same seed gives the same case. */
export class Rng {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items');
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/**
 * One property checked on random cases. `run` builds a case from the generator and throws
 * when the property fails; the message must say what was fed in, so the case can be read.
 */
export interface FuzzTarget {
  name: string;
  /** What the target checks, one line (printed by `npm run fuzz`). */
  checks: string;
  run(rng: Rng): void;
}

export interface FuzzFailure {
  target: string;
  /** The case's own seed: `npm run fuzz -- --target <name> --case <seed>` replays just this case. */
  caseSeed: number;
  error: unknown;
}

export interface FuzzResult {
  target: string;
  cases: number;
  ms: number;
  failure?: FuzzFailure;
}

/** The seed of case `i` of a run seeded with `seed`: cases are independent, so any one can be replayed alone. */
export function caseSeed(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Runs cases until `cases` are done or `untilMs` (a Date.now() deadline) passes; stops at the first failure. */
export function fuzz(target: FuzzTarget, options: { seed: number; cases?: number; untilMs?: number }): FuzzResult {
  const began = Date.now();
  const limit = options.cases ?? Infinity;
  let i = 0;
  for (; i < limit && (options.untilMs === undefined || Date.now() < options.untilMs); i++) {
    const seed = caseSeed(options.seed, i);
    try {
      target.run(new Rng(seed));
    } catch (error) {
      return { target: target.name, cases: i + 1, ms: Date.now() - began, failure: { target: target.name, caseSeed: seed, error } };
    }
  }
  return { target: target.name, cases: i, ms: Date.now() - began };
}

/** Replays one case by its seed (as printed with a failure). */
export function replay(target: FuzzTarget, seed: number): void {
  target.run(new Rng(seed));
}

export function describeFailure(f: FuzzFailure): string {
  const message = f.error instanceof Error ? (f.error.stack ?? f.error.message) : String(f.error);
  return `fuzz target "${f.target}" failed on case ${f.caseSeed} (replay: npm run fuzz -- --target ${f.target} --case ${f.caseSeed}):\n${message}`;
}
