import { scanNumber } from './numbers';
import type { PairSink } from './pairSink';

/*
 * The numbers of one JSON object on a line, without JSON.parse (which has to
 * copy the text and build every object): a small recursive-descent reader
 * over text[start, end]. Nested objects give `outer/inner` names; strings,
 * booleans, null and arrays are skipped. Python's json.dumps extensions
 * `NaN`, `Infinity` and `-Infinity` are numbers. Anything that is not JSON
 * makes the whole read fail, so no half-read line yields values.
 */

const MAX_DEPTH = 4;
const num = { value: 0 };

interface Cursor {
  text: string;
  i: number;
  end: number;
}

function skipSpace(c: Cursor): void {
  const t = c.text;
  let i = c.i;
  for (;;) {
    const ch = t.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) i++;
    else break;
  }
  c.i = i;
}

/** Index after the string starting at the quote at c.i, or -1. */
function skipString(c: Cursor): number {
  const t = c.text;
  let i = c.i + 1;
  for (;;) {
    const q = t.indexOf('"', i);
    if (q < 0 || q > c.end) return -1;
    // Count the backslashes before the quote: an odd number escapes it.
    let b = q - 1;
    while (b >= i && t.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function readKey(c: Cursor): string | undefined {
  const start = c.i;
  const after = skipString(c);
  if (after < 0) return undefined;
  c.i = after;
  const raw = c.text.slice(start + 1, after - 1);
  if (raw.indexOf('\\') < 0) return raw;
  try {
    return JSON.parse(c.text.slice(start, after)) as string;
  } catch {
    return undefined;
  }
}

function startsWith(c: Cursor, word: string): boolean {
  return c.text.startsWith(word, c.i) && c.i + word.length <= c.end + 1;
}

/** Skips an array (with anything inside); false when malformed. */
function skipArray(c: Cursor, depth: number): boolean {
  c.i++;
  skipSpace(c);
  if (c.text.charCodeAt(c.i) === 93) {
    c.i++;
    return true;
  }
  for (;;) {
    if (!readValue(c, '', depth + 1, undefined)) return false;
    skipSpace(c);
    const ch = c.text.charCodeAt(c.i++);
    if (ch === 93) return true;
    if (ch !== 44) return false;
    skipSpace(c);
  }
}

/** Reads one value; reports numbers when `sink` is given. False when malformed. */
function readValue(c: Cursor, name: string, depth: number, sink: PairSink | undefined): boolean {
  if (depth > 32) return false;
  const ch = c.text.charCodeAt(c.i);
  if (ch === 123 /* { */) return readObject(c, `${name}/`, depth + 1, depth < MAX_DEPTH ? sink : undefined);
  if (ch === 91 /* [ */) return skipArray(c, depth);
  if (ch === 34 /* " */) {
    const after = skipString(c);
    if (after < 0) return false;
    c.i = after;
    return true;
  }
  if (startsWith(c, 'true')) c.i += 4;
  else if (startsWith(c, 'false')) c.i += 5;
  else if (startsWith(c, 'null')) c.i += 4;
  else {
    const after = scanNumber(c.text, c.i, c.end + 1, num);
    if (after < 0 || c.text.charCodeAt(after - 1) === 37 /* % */) return false;
    c.i = after;
    if (sink !== undefined) sink.pair(name, num.value);
  }
  return true;
}

/** Reads the object at c.i; `prefix` is put before its keys (`''` at the top, `outer/` inside). */
function readObject(c: Cursor, prefix: string, depth: number, sink: PairSink | undefined): boolean {
  c.i++;
  skipSpace(c);
  if (c.text.charCodeAt(c.i) === 125) {
    c.i++;
    return true;
  }
  for (;;) {
    if (c.text.charCodeAt(c.i) !== 34) return false;
    const key = readKey(c);
    if (key === undefined) return false;
    skipSpace(c);
    if (c.text.charCodeAt(c.i++) !== 58 /* : */) return false;
    skipSpace(c);
    if (!readValue(c, prefix + key, depth, sink)) return false;
    skipSpace(c);
    const ch = c.text.charCodeAt(c.i++);
    if (ch === 125) return true;
    if (ch !== 44) return false;
    skipSpace(c);
  }
}

/**
 * Reports the numbers of the JSON object text[start..end] (both braces
 * included) to `sink`, buffering them so nothing is reported from a line that
 * turns out not to be JSON. Returns false in that case.
 */
export function scanJsonObject(text: string, start: number, end: number, sink: PairSink): boolean {
  const found: { name: string; value: number }[] = [];
  const buffer: PairSink = { pair: (name, value) => void found.push({ name, value }) };
  const c: Cursor = { text, i: start, end };
  if (!readObject(c, '', 0, buffer)) return false;
  skipSpace(c);
  if (c.i !== end + 1) return false;
  for (const f of found) sink.pair(f.name, f.value);
  return true;
}
