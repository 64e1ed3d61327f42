import { indexIn, isNameChar, isNameStart, isSpace, isTrailer } from './nameChars';
import { NumberSlot, scanNumber } from './numbers';
import { continuesToken, notAPair } from './pairContext';
import { dataSetBefore, isDataSet, wordsBefore } from './pairNames';
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

/**
 * The value of a colon pair without a space (`train-logloss:0.57770`): a number (not a percentage), then
 * a blank or the end of the line. Index after it (its value in `num`), or -1.
 */
function tightValueEnd(text: string, i: number, to: number): number {
  const end = scanNumber(text, i, to, num);
  if (end < 0 || (end < to && !isSpace(text.charCodeAt(end)) && text.charCodeAt(end) !== 13)) return -1;
  return text.charCodeAt(end - 1) === 37 /* % */ ? -1 : end;
}

/** After the count of `9838/10000 (98%)` at `slash`: where the percentage starts, or -1. */
function percentAfterCount(text: string, slash: number, to: number): number {
  let i = slash + 1;
  const digits = i;
  while (i < to && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digits) return -1;
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 40 /* ( */) return -1;
  const p = i + 1;
  const end = scanNumber(text, p, to, num);
  return end > p && text.charCodeAt(end - 1) === 37 /* % */ && text.charCodeAt(end) === 41 /* ) */ ? p : -1;
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
const num = new NumberSlot();

/** Reports the pairs of text[from, to); `equals`/`colon` choose the separators recognised. */
export function scanPairs(text: string, from: number, to: number, equals: boolean, colon: boolean, sink: PairSink): void {
  scanPairsFrom(text, from, to, equals ? text.indexOf('=', from) : -2, colon ? text.indexOf(':', from) : -2, sink);
}

/** scanPairs when the first `=` and `:` at or after `from` are known (-1: none; -2: not recognised, so not looked for). */
export function scanPairsFrom(text: string, from: number, to: number, firstEq: number, firstColon: number, sink: PairSink): void {
  let eq = firstEq;
  let co = firstColon;
  if (eq < 0) eq = to;
  if (co < 0) co = to;
  let lower = from; // names may not reach back before the end of the previous pair
  // Whether `eq` and `co` are the next `=` and `:` of the text (not `to` for a separator not recognised).
  const both = firstEq !== -2 && firstColon !== -2;
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
      nameEnd = sep;
      valueStart = sep + 2;
      if (!isSpace(text.charCodeAt(sep + 1))) valueStart = -1;
      else while (valueStart < to && isSpace(text.charCodeAt(valueStart))) valueStart++;
    }
    // The first `=` or `:` after this one (-1: not known, a separator not being looked for).
    const nextSep = both ? Math.min(eq, co) : -1;
    const end = valueStart < 0 ? tightPair(text, sep, lower, to, sink) : readPair(text, sep, isColon, nameEnd, valueStart, lower, to, nextSep, sink);
    if (end < 0) continue;
    lower = end;
    if (eq < end) {
      eq = text.indexOf('=', end);
      if (eq < 0) eq = to;
    }
    if (co < end) {
      co = text.indexOf(':', end);
      if (co < 0) co = to;
    }
  }
}

/**
 * Whether scanNumber may find a number at text[i] (i < to): a digit, a sign, a `.`, or the `n` or `i` of
 * `nan`/`inf`. Most values after a log line's colon are words (`UserWarning: This`, `available: True`):
 * turned away by one character instead of a call.
 */
function mayStartNumber(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || (c | 0x20) === 110 || (c | 0x20) === 105;
}

/** XGBoost's `train-logloss:0.57770` at the colon `sep`: no space, a name with `-`, a number, a blank or the end after it. The end of the pair, or -1. */
function tightPair(text: string, sep: number, lower: number, to: number, sink: PairSink): number {
  const valueStart = sep + 1;
  // What tightValueEnd and nameStart turn away, by the characters either side of the colon: a name char
  // before it, a number after it, and a run of digits not followed by a time's `:`, a `,` or a `]`
  // (`dataloader.py:557:`, `12:30:45,123`, `[data.py:88]`; scanNumber's forms go on only by `.`, `e`).
  if (valueStart >= to || sep <= lower || !isNameChar(text.charCodeAt(sep - 1))) return -1;
  const c = text.charCodeAt(valueStart);
  if (c >= 48 && c <= 57) {
    let k = valueStart + 1;
    let d = text.charCodeAt(k);
    while (k < to && d >= 48 && d <= 57) d = text.charCodeAt(++k);
    if (k < to && d !== 46 && (d | 0x20) !== 101 && !isSpace(d) && d !== 13) return -1;
  } else if (!mayStartNumber(c)) return -1;
  const end = tightValueEnd(text, valueStart, to);
  if (end < 0) return -1;
  const start = nameStart(text, sep, lower);
  if (start < 0 || indexIn(text, 45 /* - */, start, sep) < 0) return -1;
  sink.pair(text.slice(start, sep), num.value, valueStart, end, start);
  return end;
}

/**
 * The pair whose separator is at `sep` and whose value starts at valueStart: reports it and returns its end, or -1 when it is not one.
 * `nextSep`: the first `=` or `:` after `sep` (`to` or more: none before the line's end; -1: not known).
 */
function readPair(
  text: string,
  sep: number,
  isColon: boolean,
  nameEnd: number,
  valueStart: number,
  lower: number,
  to: number,
  nextSep: number,
  sink: PairSink,
): number {
  if (valueStart >= to || !mayStartNumber(text.charCodeAt(valueStart))) return -1;
  let valueEnd = scanNumber(text, valueStart, to, num);
  if (valueEnd < 0) return -1;
  if (isColon && text.charCodeAt(valueEnd) === 47 /* / */) {
    // `Accuracy: 9838/10000 (98%)`: the percentage is the value, the count is not.
    valueStart = percentAfterCount(text, valueEnd, to);
    if (valueStart < 0) return -1;
    valueEnd = scanNumber(text, valueStart, to, num);
  }
  if (continuesToken(text, valueEnd)) return -1;
  const start = nameStart(text, nameEnd, lower);
  if (start < 0) return -1;
  const lastSep = nextSep >= to && (to >= text.length || text.charCodeAt(to) === 13 || text.charCodeAt(to) === 10);
  if (notAPair(text, isColon, start, valueEnd, lower, lastSep)) return -1;
  // A name ending in `.`, `/` or `-` (`loss.: 1`) is reported without them.
  let last = nameEnd;
  while (last > start + 1 && isTrailer(text.charCodeAt(last - 1))) last--;
  if (isColon || (text.charCodeAt(sep - 1) === 32 && text.charCodeAt(sep + 1) === 32)) return wordyPair(text, start, last, valueStart, valueEnd, lower, sink);
  sink.pair(text.slice(start, last), num.value, valueStart, valueEnd, start);
  return valueEnd;
}

/**
 * A `name: value` (or `name = value`) pair whose last word is text[start, last): LightGBM's `valid_0's l2`
 * is `valid_0-l2` (MLflow's name), other words before it are the name's (`Avg. loss`), a data set and a
 * metric are `train-loss`. Reports it and returns valueEnd, or -1 when the words are a sentence.
 */
function wordyPair(text: string, start: number, last: number, valueStart: number, valueEnd: number, lower: number, sink: PairSink): number {
  const value = num.value;
  const set = dataSetBefore(text, start, lower);
  if (set >= 0) {
    sink.pair(`${text.slice(set, start - 3)}-${text.slice(start, last)}`, value, valueStart, valueEnd, set, last);
    return valueEnd;
  }
  const first = wordsBefore(text, start, lower);
  if (first < 0) return -1;
  if (start - first > 1 && isDataSet(text, first, start - 1)) {
    sink.pair(`${text.slice(first, start - 1)}-${text.slice(start, last)}`, value, valueStart, valueEnd, first, last);
  } else sink.pair(text.slice(first, last), value, valueStart, valueEnd, first);
  return valueEnd;
}
