/** What a printed key (or a header's number) means for a record: a metric, the step, or the epoch. */
export const ROLE_METRIC = 0;
export const ROLE_STEP = 1;
export const ROLE_EPOCH = 2;
export type KeyRole = typeof ROLE_METRIC | typeof ROLE_STEP | typeof ROLE_EPOCH;

/** True when name[at..] equals `word` (lower case), ignoring case. */
function endsWithWord(name: string, at: number, word: string): boolean {
  if (name.length - at !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = name.charCodeAt(at + k);
    if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * `step`, `global_step`, `globalstep`, `_step`, `iteration`, `iter`, `it`
 * (also as the last part of `trainer/global_step`) give the step and `epoch`
 * the epoch; they are not reported as metrics. Called for every value, so it
 * allocates nothing and rejects most names by their last character.
 */
export function keyRole(name: string): KeyRole {
  const len = name.length;
  const lastChar = name.charCodeAt(len - 1) | 0x20;
  // Every step or epoch key ends in p, n, r, t or h.
  if (lastChar !== 112 && lastChar !== 110 && lastChar !== 114 && lastChar !== 116 && lastChar !== 104) return ROLE_METRIC;
  let at = len;
  while (at > 0 && name.charCodeAt(at - 1) !== 47 /* / */ && name.charCodeAt(at - 1) !== 46 /* . */) at--;
  switch (len - at) {
    case 2:
      return endsWithWord(name, at, 'it') ? ROLE_STEP : ROLE_METRIC;
    case 4:
      return endsWithWord(name, at, 'step') || endsWithWord(name, at, 'iter') ? ROLE_STEP : ROLE_METRIC;
    case 5:
      if (endsWithWord(name, at, 'epoch')) return ROLE_EPOCH;
      return endsWithWord(name, at, '_step') ? ROLE_STEP : ROLE_METRIC;
    case 9:
      return endsWithWord(name, at, 'iteration') ? ROLE_STEP : ROLE_METRIC;
    case 10:
      return endsWithWord(name, at, 'globalstep') ? ROLE_STEP : ROLE_METRIC;
    case 11:
      return endsWithWord(name, at, 'global_step') ? ROLE_STEP : ROLE_METRIC;
    default:
      return ROLE_METRIC;
  }
}
