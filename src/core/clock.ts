/** Milliseconds from a monotonic clock (process.hrtime), for measuring elapsed time between samples. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export type Clock = () => number;
