import { scanNumber } from './numbers';
import type { PairSink } from './pairSink';

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

const num = { value: 0 };

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

/**
 * The pairs of a flat dict as Python prints it (`'loss': 0.51`, `'loss':
 * '0.5123'` from transformers 5, `'x': tensor(0.5, ...)`, `'x':
 * np.float64(0.5)`, `nan`, `inf`) or as JSON does (`"loss": 0.5`, also
 * json.dumps' `NaN`/`Infinity`): a quoted key, `:`, and a number, optionally
 * in single quotes or inside a call such as `tensor(`. Other values are
 * skipped. Scanned by hand from each `:`; returns the number of pairs.
 */
function scanFlatDict(text: string, sink: PairSink): number {
  const n = text.length;
  let found = 0;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    const next = text.indexOf(':', colon + 1);
    // The key: a quoted string right before the colon.
    let k = colon - 1;
    while (k > 0 && isSpace(text.charCodeAt(k))) k--;
    const quote = text.charCodeAt(k);
    if (quote === 39 || quote === 34) {
      const open = text.lastIndexOf(quote === 39 ? "'" : '"', k - 1);
      // The opening quote must follow `{`, `,` or space, so `'a': 'b:c'` does not read `c'` as a key.
      const before = open > 0 ? text.charCodeAt(open - 1) : 0;
      if (open >= 0 && (before === 123 || before === 44 || isSpace(before))) {
        let v = colon + 1;
        while (v < n && isSpace(text.charCodeAt(v))) v++;
        let c = text.charCodeAt(v);
        let valueQuote = 0;
        if (c === 39 /* ' */) {
          valueQuote = c;
          v++;
        } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
          // A call such as np.float64( or tensor( around the number.
          let w = v;
          while (w < n && isWordChar(text.charCodeAt(w))) w++;
          if (text.charCodeAt(w) === 40 /* ( */) {
            v = w + 1;
            while (v < n && isSpace(text.charCodeAt(v))) v++;
          }
        }
        const end = scanNumber(text, v, n, num);
        if (end >= 0) {
          c = text.charCodeAt(end);
          const closed = valueQuote === 0 ? !isWordChar(c) : c === valueQuote;
          if (closed) {
            sink.pair(text.slice(open + 1, k), num.value);
            found++;
          }
        }
      }
    }
    colon = next;
  }
  return found;
}

/**
 * One `{...}` object: a flat one is scanned directly; a nested one (or one
 * with escapes) goes through JSON.parse so nested names are exact
 * (`outer/inner`). Returns false when the text is no dict, so the caller can
 * read the line another way.
 */
export function scanDict(text: string, json: boolean, python: boolean, sink: PairSink): boolean {
  let i = 1;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const first = text.charCodeAt(i);
  if (first === 34 /* " */ && json) {
    if (text.indexOf('{', 1) >= 0 || text.indexOf('\\') >= 0) {
      const parsed = parseJsonObject(text);
      if (parsed !== undefined) {
        visitJson(parsed, '', 0, sink);
        return true;
      }
    }
    return scanFlatDict(text, sink) > 0 || isJsonObject(text);
  }
  if (first === 39 /* ' */ && python) return scanFlatDict(text, sink) > 0;
  return false;
}

/** A JSON object without numbers (`{"event": "start"}`) is still a dict line: nothing to read, and no key=value inside. */
function isJsonObject(text: string): boolean {
  return parseJsonObject(text) !== undefined;
}
