/** What one collector costs, over its most recent calls. */
export interface CollectorCost {
  /** Calls since the collector (this instance of it) was first sampled. */
  calls: number;
  /** Wall time of the last call, ms. */
  lastMs: number;
  /** Mean and 95th percentile wall time over the recent window, ms. */
  meanMs: number;
  p95Ms: number;
  /**
   * Mean CPU time of this process per call (user + system, all threads), ms. For
   * an async collect() it also counts whatever else ran while it was awaited.
   */
  cpuMs: number;
}

/** Keeps the last `window` timings of one collector and summarises them. */
export class CostTracker {
  private readonly wall: number[] = [];
  private readonly cpu: number[] = [];
  private calls = 0;
  private last = 0;

  constructor(private readonly window = 100) {}

  record(wallMs: number, cpuMs: number): void {
    this.calls += 1;
    this.last = wallMs;
    this.wall.push(wallMs);
    this.cpu.push(cpuMs);
    if (this.wall.length > this.window) {
      this.wall.shift();
      this.cpu.shift();
    }
  }

  summary(): CollectorCost {
    return { calls: this.calls, lastMs: this.last, meanMs: mean(this.wall), p95Ms: percentile(this.wall, 95), cpuMs: mean(this.cpu) };
  }
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Nearest-rank percentile (p in 0–100) of the values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
