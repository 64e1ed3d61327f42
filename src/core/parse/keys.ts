/** What a printed key (or a header's number) means for a record: a metric, the step, or the epoch. */
export const ROLE_METRIC = 0;
export const ROLE_STEP = 1;
export const ROLE_EPOCH = 2;
/** A value that is not a metric: a time of the loop, memory, a count, a `best` value (see NOT_METRICS). */
export const ROLE_NONE = 3;
export type KeyRole = typeof ROLE_METRIC | typeof ROLE_STEP | typeof ROLE_EPOCH | typeof ROLE_NONE;

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
 * Names (the whole name or its last `/` part, any case) whose values are not metrics: times of the
 * loop (elapsed, remaining, per batch, data loading), memory, sizes and counts. Indexed by length, so
 * a name is compared with a few words at most.
 */
const NOT_METRICS: readonly string[] = [
  // times
  'time',
  'data_time',
  'last_time',
  'last_data_time',
  'eta',
  'data',
  'wall',
  'train_wall',
  'time_elapsed',
  'elapsed',
  'total',
  'remaining',
  // memory
  'memory',
  'mem',
  'max_mem',
  'max mem',
  'gpu_mem',
  'gb_free',
  // counts and sizes
  't',
  'nnzs',
  'wpb',
  'bsz',
  'size',
];

const NOT_METRICS_BY_LENGTH = byLengthOf(NOT_METRICS);

function byLengthOf(words: readonly string[]): (string[] | undefined)[] {
  const out: (string[] | undefined)[] = [];
  for (const w of words) (out[w.length] ??= []).push(w);
  return out;
}

/** Last words (after a space or `_`) that name a count: `Function evaluations`, `num_updates`, `Instances`. */
const COUNT_WORDS: readonly string[] = [
  'evaluations',
  'iterations',
  'updates',
  'examples',
  'samples',
  'instances',
  'images',
  'tokens',
  'trees',
  'leaves',
  'features',
  'number',
  'sum',
  'depth',
  // the current example's data (Vowpal Wabbit's `example weight`, `current label`, `current predict`)
  'weight',
  'label',
  'predict',
  'prediction',
];
/** First words that make a name a count or a setting: `Number of positive`, `num_samples`, `Initial learn rate`. */
const FIRST_WORDS: readonly string[] = ['number', 'num', 'initial'];

const COUNT_BY_LENGTH = byLengthOf(COUNT_WORDS);
const FIRST_BY_LENGTH = byLengthOf(FIRST_WORDS);

/** Whether name[at, at + word.length) equals `word` (lower case) ignoring case. */
function wordAt(name: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = name.charCodeAt(at + k);
    if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** Whether name[at, at + n) is one of `words` (indexed by length). */
function oneOf(name: string, at: number, n: number, words: (string[] | undefined)[]): boolean {
  const list = words[n];
  if (list === undefined) return false;
  for (let k = 0; k < list.length; k++) if (wordAt(name, at, list[k]!)) return true;
  return false;
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Whether the name is not a metric: name[at..] (its last `/` part) is one of NOT_METRICS, its last word
 * (a run of letters) one of COUNT_WORDS, its first word one of FIRST_WORDS, or one of its words `best`
 * (`best`, `best gain`, `the best epoch`, `best_loss`, CatBoost's `bestTest`, `bestIteration`). Called for
 * every value: it looks at the first and last words only, and finds `best` with indexOf.
 */
function notMetric(name: string, at: number): boolean {
  const len = name.length;
  const whole = NOT_METRICS_BY_LENGTH[len - at];
  if (whole !== undefined && oneOf(name, at, len - at, NOT_METRICS_BY_LENGTH)) return true;
  const c0 = name.charCodeAt(0) | 0x20;
  if (c0 === 110 /* n */ || c0 === 105 /* i */) {
    let first = 0;
    while (first < len && isLetterCode(name.charCodeAt(first))) first++;
    if (first >= 3 && name.charCodeAt(first) !== 46 /* . */ && oneOf(name, 0, first, FIRST_BY_LENGTH)) return true;
  }
  let last = len;
  while (last > 0 && isLetterCode(name.charCodeAt(last - 1))) last--;
  if (len - last >= 3 && COUNT_BY_LENGTH[len - last] !== undefined && oneOf(name, last, len - last, COUNT_BY_LENGTH)) return true;
  for (let k = 0; k + 3 < len; k++) if ((name.charCodeAt(k) | 0x20) === 98 /* b */ && isBest(name, k)) return true;
  return false;
}

/** Whether name[k..] is `best` (any case) standing as a word, or before a capital at the start (`bestTest`). */
function isBest(name: string, k: number): boolean {
  if (!wordAt(name, k, 'best') || (k > 0 && isLetterCode(name.charCodeAt(k - 1)))) return false;
  const after = name.charCodeAt(k + 4);
  return k + 4 >= name.length || !isLetterCode(after) || (after <= 90 && k === 0);
}

/** Roles of the names seen: a run prints the same few names on every line, and reading a name's words costs more than a lookup. */
const roles = new Map<string, KeyRole>();
/** Names a run prints are few; output that makes up a new name on every line only empties the map now and then. */
const MAX_ROLES = 4096;

/**
 * `step`, `global_step`, `globalstep`, `_step`, `iteration`, `iter`, `it`
 * (also as the last part of `trainer/global_step`) give the step and `epoch`
 * the epoch; they are not reported as metrics; names that are not metrics
 * (see notMetric) have no role. Called for every value read from scratch.
 */
export function keyRole(name: string): KeyRole {
  let role = roles.get(name);
  if (role === undefined) {
    if (roles.size >= MAX_ROLES) roles.clear();
    role = roleOf(name);
    roles.set(name, role);
  }
  return role;
}

/** keyRole without the map; rejects most step and epoch names by their last character. */
function roleOf(name: string): KeyRole {
  const len = name.length;
  const lastChar = name.charCodeAt(len - 1) | 0x20;
  let at = len;
  while (at > 0 && name.charCodeAt(at - 1) !== 47 /* / */ && name.charCodeAt(at - 1) !== 46 /* . */) at--;
  if (notMetric(name, at)) return ROLE_NONE;
  // Stable-Baselines3's `time/total_timesteps`
  if (len - at === 15 && lastChar === 115 && endsWithWord(name, at, 'total_timesteps')) return ROLE_STEP;
  // Every step or epoch key ends in p, n, r, t or h.
  if (lastChar !== 112 && lastChar !== 110 && lastChar !== 114 && lastChar !== 116 && lastChar !== 104) return ROLE_METRIC;
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
