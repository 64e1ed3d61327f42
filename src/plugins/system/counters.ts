/**
 * Difference of a cumulative counter between two readings. A counter that went
 * backwards (wrapped around, or was reset when a device or interface came back)
 * gives 0 for that interval rather than a negative or absurdly large value; the
 * next interval is measured from the new reading.
 */
export function counterDelta(previous: number, current: number): number {
  const delta = current - previous;
  return Number.isFinite(delta) && delta > 0 ? delta : 0;
}

/** Per-second rate of a counter over `elapsedMs`; undefined when no time has passed. */
export function counterRate(previous: number, current: number, elapsedMs: number): number | undefined {
  if (!(elapsedMs > 0)) return undefined;
  return (counterDelta(previous, current) * 1000) / elapsedMs;
}

/** `part` as a percentage of `whole`, clamped to 0–100; undefined when `whole` is 0. */
export function percentOf(part: number, whole: number): number | undefined {
  if (!(whole > 0)) return undefined;
  return Math.min(100, Math.max(0, (100 * part) / whole));
}
