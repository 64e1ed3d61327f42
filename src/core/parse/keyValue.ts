import { scanNumber } from './numbers';
import type { PairSink } from './pairSink';

/*
 * `name=value` and `name: value` pairs (`loss=0.5`, `train/loss = 0.5`,
 * `accuracy: 91.2%`, Keras' `- loss: 0.1234`, tqdm's `, train_loss=0.123]`).
 *
 * Driven by the separators rather than a regex tried at every position: each
 * `=` or `:` found by indexOf is checked by looking a few characters either
 * side, which is several times faster on long lines.
 *
 * - A name is `[A-Za-z_][\w./-]*`, the whole run of name characters before the
 *   separator (spaces may stand around `=`, none before `:`), not preceded by
 *   a quote, backtick or `$`: `--lr=0.1`, `/ckpt/epoch=3`, `'epoch=3-step=9'`
 *   and `` `max_epochs=3` `` are not pairs.
 * - `:` must be followed by a space or tab (`localhost:6006` is not a pair);
 *   `==`, `<=`, `>=`, `!=` are not `=`.
 * - The value must end the token: not a time (`12:30`), ratio (`9/10`),
 *   version (`1.2.3`), date (`2024-01-01`), thousands (`1,234`), unit
 *   (`3.2s`, `5it/s`) or tqdm's `desc: 100%|` percentage.
 * - Prose such as `Note: 5 GPUs found` reads like a colon pair, so one counts
 *   only when what follows the value is not a bare word (it may be
 *   punctuation, the end of the line, or the next `name:`/`name=`).
 */

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45;
}

function isTrailer(c: number): boolean {
  return c === 46 || c === 47 || c === 45;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** After a value: true when the token goes on (a unit, a version, a time, a ratio...). */
function continuesToken(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (isNameChar(c) && c !== 46) return true; // letters, digits, _, /, -
  switch (c) {
    case 58: // :
    case 37: // %
    case 43: // +
    case 124: // |
    case 96: // `
      return true;
    case 46: // . followed by anything but a space or the end of the line
      {
        const d = text.charCodeAt(i + 1);
        return i + 1 < text.length && !isSpace(d) && d !== 13 && d !== 10;
      }
    case 44: // , followed by a digit (thousands)
      {
        const d = text.charCodeAt(i + 1);
        return d >= 48 && d <= 57;
      }
    default:
      return false;
  }
}

function followedByProse(text: string, i: number): boolean {
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (i >= n || !isNameStart(text.charCodeAt(i))) return false;
  while (i < n && isNameChar(text.charCodeAt(i))) i++;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  return !((c === 61 /* = */ || c === 58) /* : */);
}

/** Start of the name that ends at `end` (exclusive), or -1 when there is no acceptable name there. */
function nameStart(text: string, end: number, from: number): number {
  let s = end;
  while (s > from && isNameChar(text.charCodeAt(s - 1))) s--;
  if (s === end || !isNameStart(text.charCodeAt(s))) return -1;
  if (s > 0) {
    const p = text.charCodeAt(s - 1);
    if (p === 39 /* ' */ || p === 34 /* " */ || p === 96 /* ` */ || p === 36 /* $ */ || isNameChar(p)) return -1;
  }
  return s;
}

/** The number scanned last by scanNumber is passed through this holder to avoid an allocation per value. */
const num = { value: 0 };

/** Reports the pairs of text[from, to); `equals`/`colon` choose the separators recognised. */
export function scanPairs(text: string, from: number, to: number, equals: boolean, colon: boolean, sink: PairSink): void {
  scanPairsFrom(text, from, to, equals ? text.indexOf('=', from) : -1, colon ? text.indexOf(':', from) : -1, sink);
}

/** scanPairs when the first `=` and `:` at or after `from` are known (-1: none, or not recognised). */
export function scanPairsFrom(text: string, from: number, to: number, firstEq: number, firstColon: number, sink: PairSink): void {
  let eq = firstEq;
  let co = firstColon;
  if (eq < 0) eq = to;
  if (co < 0) co = to;
  let lower = from; // names may not reach back before the end of the previous pair
  while (eq < to || co < to) {
    let valueStart: number;
    let nameEnd: number;
    let isColon: boolean;
    let sep: number;
    if (eq < co) {
      sep = eq;
      isColon = false;
      const after = text.charCodeAt(sep + 1);
      const before = sep > 0 ? text.charCodeAt(sep - 1) : 0;
      eq = text.indexOf('=', sep + 1);
      if (eq < 0) eq = to;
      if (after === 61 || before === 61 || before === 60 || before === 62 || before === 33) continue; // == <= >= !=
      nameEnd = sep;
      while (nameEnd > lower && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
      valueStart = sep + 1;
      while (valueStart < to && isSpace(text.charCodeAt(valueStart))) valueStart++;
    } else {
      sep = co;
      isColon = true;
      co = text.indexOf(':', sep + 1);
      if (co < 0) co = to;
      if (!isSpace(text.charCodeAt(sep + 1))) continue;
      nameEnd = sep;
      valueStart = sep + 2;
      while (valueStart < to && isSpace(text.charCodeAt(valueStart))) valueStart++;
    }
    const valueEnd = scanNumber(text, valueStart, to, num);
    if (valueEnd < 0 || continuesToken(text, valueEnd)) continue;
    const start = nameStart(text, nameEnd, lower);
    if (start < 0) continue;
    if (isColon && followedByProse(text, valueEnd)) continue;
    // A name ending in `.`, `/` or `-` (`loss.: 1`) is reported without them.
    let last = nameEnd;
    while (last > start + 1 && isTrailer(text.charCodeAt(last - 1))) last--;
    sink.pair(text.slice(start, last), num.value, valueStart, valueEnd, start);
    lower = valueEnd;
    if (eq < valueEnd) {
      eq = text.indexOf('=', valueEnd);
      if (eq < 0) eq = to;
    }
    if (co < valueEnd) {
      co = text.indexOf(':', valueEnd);
      if (co < 0) co = to;
    }
  }
}
