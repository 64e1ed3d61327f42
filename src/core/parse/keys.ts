/** What a printed key means for a record: a metric, the step, or the epoch. */
export type KeyRole = 'metric' | 'step' | 'epoch';

const STEP_KEYS = new Set(['step', 'global_step', 'globalstep', '_step', 'iteration', 'iter', 'it']);

/**
 * `step`, `global_step`, `iteration`, `iter`, `it` (and `trainer/global_step`)
 * give the step and `epoch` the epoch; they are not reported as metrics.
 */
export function keyRole(name: string): KeyRole {
  const len = name.length;
  // Every step or epoch key ends in p, n, r, t or h: most metric names are told apart by one look.
  const lastChar = name.charCodeAt(len - 1) | 0x20;
  if (len > 24 || (lastChar !== 112 && lastChar !== 110 && lastChar !== 114 && lastChar !== 116 && lastChar !== 104)) {
    return 'metric';
  }
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('.'));
  const last = (slash >= 0 ? name.slice(slash + 1) : name).toLowerCase();
  if (last === 'epoch') return 'epoch';
  return STEP_KEYS.has(last) ? 'step' : 'metric';
}

/** A metric name as printed, trimmed of surrounding space and trailing separators (`loss.` → `loss`). */
export function normaliseName(raw: string): string {
  let end = raw.length;
  while (end > 0) {
    const c = raw.charCodeAt(end - 1);
    if (c === 46 /* . */ || c === 47 /* / */ || c === 45 /* - */ || c === 32 || c === 9) end--;
    else break;
  }
  let start = 0;
  while (start < end && (raw.charCodeAt(start) === 32 || raw.charCodeAt(start) === 9)) start++;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}
