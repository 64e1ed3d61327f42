import { NumberSlot, scanNumber } from './numbers';
import type { PairSink } from './pairSink';

/*
 * The numbers of one JSON object on a line, without JSON.parse (which has to
 * copy the text and build every object): a small recursive-descent reader
 * over text[start, end]. Nested objects give `outer/inner` names; strings,
 * booleans, null and arrays are skipped. Python's json.dumps extensions
 * `NaN`, `Infinity` and `-Infinity` are numbers. Anything that is not JSON
 * makes the whole read fail, so no half-read line yields values: found pairs
 * wait in reused arrays until the object has been read to its end.
 */

const MAX_DEPTH = 4;
const num = new NumberSlot();

// The reader's state: one line is read at a time, so module-level state is reused rather than allocated.
let text = '';
let i = 0;
let end = 0;
const names: string[] = [];
const values: number[] = [];
const starts: number[] = [];
const ends: number[] = [];
let found = 0;

function skipSpace(): void {
  while (i < end) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) i++;
    else return;
  }
}

/** Index after the string starting at the quote at i, or -1. */
function stringEnd(): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0 || q > end) return -1;
    if (text.charCodeAt(q - 1) !== 92) return q + 1;
    // Count the backslashes before the quote: an odd number escapes it.
    let b = q - 1;
    while (b >= from && text.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

function readKey(): string | undefined {
  const start = i;
  const after = stringEnd();
  if (after < 0) return undefined;
  i = after;
  let plain = true;
  for (let k = start + 1; k < after - 1; k++) {
    if (text.charCodeAt(k) === 92) {
      plain = false;
      break;
    }
  }
  if (plain) return text.slice(start + 1, after - 1);
  try {
    return JSON.parse(text.slice(start, after)) as string;
  } catch {
    return undefined;
  }
}

function word(w: string): boolean {
  if (i + w.length > end + 1 || !text.startsWith(w, i)) return false;
  i += w.length;
  return true;
}

/** Skips an array (with anything inside); false when malformed. */
function skipArray(depth: number): boolean {
  i++;
  skipSpace();
  if (text.charCodeAt(i) === 93) {
    i++;
    return true;
  }
  for (;;) {
    if (!readValue('', depth + 1, false)) return false;
    skipSpace();
    const ch = text.charCodeAt(i++);
    if (ch === 93) return true;
    if (ch !== 44) return false;
    skipSpace();
  }
}

/** Reads one value; records numbers when `report`. False when malformed. */
function readValue(name: string, depth: number, report: boolean): boolean {
  if (depth > 32) return false;
  const ch = text.charCodeAt(i);
  if (ch === 123 /* { */) return readObject(`${name}/`, depth + 1, report && depth < MAX_DEPTH);
  if (ch === 91 /* [ */) return skipArray(depth);
  if (ch === 34 /* " */) {
    const after = stringEnd();
    if (after < 0) return false;
    i = after;
    return true;
  }
  if (ch === 116 /* t */) return word('true');
  if (ch === 102 /* f */) return word('false');
  if (ch === 110 /* n */ && text.charCodeAt(i + 1) === 117 /* u */) return word('null');
  const after = scanNumber(text, i, end + 1, num);
  if (after < 0 || text.charCodeAt(after - 1) === 37 /* % */) return false;
  if (report) {
    names[found] = name;
    values[found] = num.value;
    starts[found] = i;
    ends[found] = after;
    found++;
  }
  i = after;
  return true;
}

/** Reads the object at i; `prefix` is put before its keys (`''` at the top, `outer/` inside). */
function readObject(prefix: string, depth: number, report: boolean): boolean {
  i++;
  skipSpace();
  if (text.charCodeAt(i) === 125) {
    i++;
    return true;
  }
  for (;;) {
    if (text.charCodeAt(i) !== 34) return false;
    const key = readKey();
    if (key === undefined) return false;
    skipSpace();
    if (text.charCodeAt(i++) !== 58 /* : */) return false;
    skipSpace();
    if (!readValue(prefix === '' ? key : prefix + key, depth, report)) return false;
    skipSpace();
    const ch = text.charCodeAt(i++);
    if (ch === 125) return true;
    if (ch !== 44) return false;
    skipSpace();
  }
}

/**
 * Reports the numbers of the JSON object source[start..last] (both braces
 * included) to `sink`; returns false, reporting nothing, when it is not JSON.
 */
export function scanJsonObject(source: string, start: number, last: number, sink: PairSink): boolean {
  text = source;
  i = start;
  end = last;
  found = 0;
  const ok = readObject('', 0, true) && i === last + 1;
  text = '';
  if (!ok) return false;
  for (let k = 0; k < found; k++) sink.pair(names[k]!, values[k]!, starts[k]!, ends[k]!, -1);
  return true;
}
