/** Why a collector is being skipped. */
export type Health = { state: 'ok' } | { state: 'backoff'; reason: string; failures: number; resumeAt: number };

/**
 * After a failed or slow call a collector sits out for `interval × 2^failures`
 * (capped), so a broken or expensive collector costs little while it stays so;
 * one good call puts it back on every tick.
 */
export function nextHealth(
  previous: Health,
  outcome: { ok: true } | { ok: false; reason: string },
  now: number,
  intervalMs: number,
  maxBackoffMs: number,
): Health {
  if (outcome.ok) return { state: 'ok' };
  const failures = previous.state === 'backoff' ? previous.failures + 1 : 1;
  const delay = Math.min(maxBackoffMs, intervalMs * 2 ** failures);
  return { state: 'backoff', reason: outcome.reason, failures, resumeAt: now + delay };
}

export function isDue(health: Health, now: number): boolean {
  return health.state === 'ok' || now >= health.resumeAt;
}
