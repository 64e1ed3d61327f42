import { scanJsonObject } from './jsonScan';
import { NumberSlot, scanNumber } from './numbers';
import type { PairSink } from './pairSink';

const num = new NumberSlot();

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** `[\w.]`: the characters of a call name such as `np.float64`, and what may not follow a number. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

/**
 * The pairs of a flat dict as Python prints it (`'loss': 0.51`, `'loss':
 * '0.5123'` from transformers 5, `'x': tensor(0.5, ...)`, `'x':
 * np.float64(0.5)`, `nan`, `inf`), or of JSON that is not quite JSON: a
 * quoted key, `:`, and a number, optionally in single quotes or inside a call
 * such as `tensor(`. Other values are skipped, and so is nesting (a nested
 * dict's keys are reported without their outer key). Scanned by hand from
 * each `:` in text[start..end]; returns the number of pairs.
 */
function scanFlatDict(text: string, start: number, end: number, sink: PairSink): number {
  let found = 0;
  let colon = text.indexOf(':', start);
  while (colon >= 0 && colon < end) {
    const next = text.indexOf(':', colon + 1);
    // The key: a quoted string right before the colon.
    let k = colon - 1;
    while (k > start && isSpace(text.charCodeAt(k))) k--;
    const quote = text.charCodeAt(k);
    if (quote === 39 || quote === 34) {
      // A loop bounded by the dict's start, not lastIndexOf, which would search back through the chunk.
      let open = k - 1;
      while (open > start && text.charCodeAt(open) !== quote) open--;
      // The opening quote must follow `{`, `,` or a space, so `'a': 'b:c'` does not read `c'` as a key.
      const before = open > start ? text.charCodeAt(open - 1) : 0;
      if (open > start && (before === 123 || before === 44 || isSpace(before))) {
        let v = colon + 1;
        while (v < end && isSpace(text.charCodeAt(v))) v++;
        let c = text.charCodeAt(v);
        let valueQuote = 0;
        if (c === 39 /* ' */) {
          valueQuote = c;
          v++;
        } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
          // A call such as np.float64( or tensor( around the number.
          let w = v;
          while (w < end && isWordChar(text.charCodeAt(w))) w++;
          if (text.charCodeAt(w) === 40 /* ( */) {
            v = w + 1;
            while (v < end && isSpace(text.charCodeAt(v))) v++;
          }
        }
        const after = scanNumber(text, v, end, num);
        if (after >= 0) {
          c = text.charCodeAt(after);
          if (valueQuote === 0 ? !isWordChar(c) : c === valueQuote) {
            let a = open + 1;
            let b = k;
            while (a < b && isSpace(text.charCodeAt(a))) a++;
            while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
            sink.pair(text.slice(a, b), num.value, v, after, a);
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
 * The dict text[open..close] (both braces included). JSON (a `"` first)
 * is read exactly, nested objects as `outer/inner` names; Python's repr
 * (a `'` first) and JSON that does not parse are read as flat pairs.
 * Returns false when there is no dict to read, so the caller can read the
 * line another way.
 */
export function scanDict(text: string, open: number, close: number, json: boolean, python: boolean, sink: PairSink): boolean {
  let i = open + 1;
  while (i < close && isSpace(text.charCodeAt(i))) i++;
  const first = text.charCodeAt(i);
  if (first === 34 /* " */ && json) return scanJsonObject(text, open, close, sink) || scanFlatDict(text, open, close, sink) > 0;
  if (first === 39 /* ' */ && python) return scanFlatDict(text, open, close, sink) > 0;
  return false;
}
