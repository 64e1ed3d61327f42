import { NUMBER_SOURCE, numberFromMatch } from './numbers';
import type { PairSink } from './pairSink';

/**
 * A quoted key and a number, as Python prints a dict (`'loss': 0.51`,
 * `'loss': '0.5123'` from transformers 5, `'x': tensor(0.5, ...)`,
 * `'x': np.float64(0.5)`, `nan`, `inf`) or as JSON does when JSON.parse
 * refuses the line (`NaN`, `Infinity` from Python's json.dumps).
 */
const DICT_PAIR = new RegExp(
  String.raw`(?:'([^'\\\n]*)'|"([^"\\\n]*)")[ \t]*:[ \t]*(?:'(${NUMBER_SOURCE})'|(?:[A-Za-z_][\w.]*\([ \t]*)?(${NUMBER_SOURCE})(?![\w.]))`,
  'g',
);

const MAX_DEPTH = 4;

/** Python's json.dumps writes NaN, Infinity and -Infinity bare; JSON.parse refuses them, so they are quoted with a marker first. */
const NON_FINITE_TOKEN = /([:,[][ \t]*)(-?)(NaN|Infinity)(?=[ \t]*[,}\]])/g;
const MARK = '\u0000';

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  // Checked first: a throw from JSON.parse costs far more than two scans.
  const nonFinite = text.includes('NaN') || text.includes('Infinity');
  let parsed: unknown;
  try {
    parsed = JSON.parse(nonFinite ? text.replace(NON_FINITE_TOKEN, '$1"\\u0000$2$3"') : text);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

function markedNumber(v: string): number | undefined {
  if (v.charCodeAt(0) !== 0) return undefined;
  if (v === `${MARK}NaN`) return NaN;
  if (v === `${MARK}Infinity`) return Infinity;
  return v === `${MARK}-Infinity` ? -Infinity : undefined;
}

/** Numbers of a parsed JSON object; nested objects become `outer/inner` names. */
function visitJson(value: Record<string, unknown>, prefix: string, depth: number, sink: PairSink): void {
  for (const key in value) {
    const v = value[key];
    if (typeof v === 'number') sink.pair(prefix + key, v);
    else if (typeof v === 'string') {
      const n = markedNumber(v);
      if (n !== undefined) sink.pair(prefix + key, n);
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && depth < MAX_DEPTH) {
      visitJson(v as Record<string, unknown>, `${prefix}${key}/`, depth + 1, sink);
    }
  }
}

function scanDictPairs(text: string, sink: PairSink): number {
  DICT_PAIR.lastIndex = 0;
  let found = 0;
  let m: RegExpExecArray | null;
  while ((m = DICT_PAIR.exec(text)) !== null) {
    const name = m[1] ?? m[2]!;
    sink.pair(name, numberFromMatch(m[3] ?? m[4]!));
    found++;
  }
  return found;
}

/**
 * One `{...}` object: JSON when it parses (so nested objects and escapes are
 * exact), else Python's repr. Returns false when it is neither, so the caller
 * can read the line another way.
 */
export function scanDict(text: string, json: boolean, python: boolean, sink: PairSink): boolean {
  let i = 1;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const first = text.charCodeAt(i);
  if (first === 34 /* " */ && json) {
    const parsed = parseJsonObject(text);
    if (parsed !== undefined) {
      visitJson(parsed, '', 0, sink);
      return true;
    }
    return scanDictPairs(text, sink) > 0;
  }
  if (first === 39 /* ' */ && python) return scanDictPairs(text, sink) > 0;
  return false;
}
