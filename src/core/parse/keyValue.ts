import { keyRole, ROLE_METRIC } from './keys';
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
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45 || c === 64; // @: `Acc@1`
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
    case 58: // : (but a description's `Loss: 0.98: 100%|`, a colon and a blank, ends the value)
      return !isSpace(text.charCodeAt(i + 1));
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
  // The next name may have up to three words (`Avg. loss:`) or a data set (`valid's l2:`).
  for (let words = 0; words < 3; words++) {
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 39 /* ' */ && text.charCodeAt(i + 1) === 115 /* s */ && text.charCodeAt(i + 2) === 32) i += 3;
    else if (text.charCodeAt(i) === 32 && isNameStart(text.charCodeAt(i + 1))) i++;
    else break;
  }
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  return !((c === 61 /* = */ || c === 58) /* : */);
}

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

/** Whether a word ends just before the name at `start` (`more than tol=0.0001 for 10 epochs`: prose on both sides). */
function afterWord(text: string, start: number, lower: number): boolean {
  let i = start - 1;
  if (i < lower || !isSpace(text.charCodeAt(i))) return false;
  while (i > lower && isSpace(text.charCodeAt(i))) i--;
  if (!isNameChar(text.charCodeAt(i))) return false;
  while (i > lower && isNameChar(text.charCodeAt(i - 1))) i--;
  return isNameStart(text.charCodeAt(i)) && (i === 0 || isSpace(text.charCodeAt(i - 1)) || i === lower);
}

/** A value followed by another plain number (`bbox_mAP_copypaste: 0.250 0.450 0.240`) is one of a list, not a metric. */
function followedByNumber(text: string, i: number): boolean {
  const from = i;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === from) return false;
  let c = text.charCodeAt(i);
  if (c === 45 || c === 46) c = text.charCodeAt(i + 1);
  if (!(c >= 48 && c <= 57)) return false;
  const end = scanNumber(text, i, text.length, spare);
  return end > i && !continuesToken(text, end);
}

const spare = { value: 0 };

/** A value followed by a parenthesised note in words (`vocab_size = 65 (inside data/...)`) is prose, not a pair. */
function followedByNote(text: string, i: number): boolean {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 40 /* ( */ && isNameStart(text.charCodeAt(i + 1));
}

/** Where the data set of `train's l2` starts when the name starting at `start` follows one (`'s `), or -1. */
function dataSetBefore(text: string, start: number, lower: number): number {
  if (start - 3 <= lower || text.charCodeAt(start - 1) !== 32 || text.charCodeAt(start - 2) !== 115 /* s */ || text.charCodeAt(start - 3) !== 39 /* ' */) {
    return -1;
  }
  let s = start - 3;
  while (s > lower && isNameChar(text.charCodeAt(s - 1))) s--;
  if (s === start - 3 || !isNameStart(text.charCodeAt(s))) return -1;
  return s > lower && !isSpace(text.charCodeAt(s - 1)) ? -1 : s;
}

/**
 * The start of a colon pair's name of up to three words (`Avg. loss`, `Current function value`): words of
 * name characters starting with a letter, one space apart, back from the last word at `start`; a word
 * follows a blank or the start only, and two spaces, a tab or punctuation end the name.
 */
function wordsBefore(text: string, start: number, lower: number): number {
  let s = start;
  for (let words = 1; words <= 3; words++) {
    if (s - 2 < lower || text.charCodeAt(s - 1) !== 32 || !isNameChar(text.charCodeAt(s - 2))) break;
    let w = s - 1;
    while (w > lower && isNameChar(text.charCodeAt(w - 1))) w--;
    if (!isNameStart(text.charCodeAt(w)) || isLinkWord(text, w, s - 1)) break;
    if (w > 0 && w > lower) {
      const p = text.charCodeAt(w - 1);
      if (p !== 32 && p !== 9) break;
    }
    // A fourth word: a sentence (`number of used features: 8`), not a name.
    if (words === 3) return -1;
    s = w;
  }
  return s;
}

const DATA_SETS = ['train', 'training', 'learn', 'val', 'valid', 'validation', 'test', 'eval'];

/** Index of the first c in text[from, to), or -1 (a bounded search: indexOf would run on through the chunk). */
export function indexIn(text: string, c: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === c) return i;
  return -1;
}

/** Index of the first ` = ` in text[from, to), or -1. */
function spacedEquals(text: string, from: number, to: number): number {
  for (let i = from + 1; i + 1 < to; i++) {
    if (text.charCodeAt(i) === 61 && text.charCodeAt(i - 1) === 32 && text.charCodeAt(i + 1) === 32) return i - 1;
  }
  return -1;
}

/**
 * Whether text[start, end) is a setting printed as text, `name = word` (Vowpal Wabbit's `Reading
 * datafile = none`, `Input label = SIMPLE`): the `name = number` lines right after it are settings too.
 */
export function isTextSetting(text: string, start: number, end: number): boolean {
  if (!isNameStart(text.charCodeAt(start))) return false;
  const eq = spacedEquals(text, start, end);
  if (eq < 0) return false;
  for (let i = start; i < eq; i++) if (!isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 32) return false;
  let i = eq + 3;
  if (!isNameStart(text.charCodeAt(i))) return false;
  while (i < end && isNameChar(text.charCodeAt(i))) i++;
  return i === end;
}

/** Whether text[start, end) is one `name = value` pair and nothing else (`power_t = 0.5`). */
export function isLoneSpacedPair(text: string, start: number, end: number, valueEnd: number): boolean {
  const eq = spacedEquals(text, start, end);
  if (eq < 0 || valueEnd !== end || !isNameStart(text.charCodeAt(start))) return false;
  for (let i = start; i < eq; i++) if (!isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 32) return false;
  return true;
}

/** Whether text[a, b) is one word naming a data set (`train`, `Validation`), any case. */
export function isDataSet(text: string, a: number, b: number): boolean {
  if (b - a < 3 || b - a > 10) return false;
  for (const w of DATA_SETS) {
    if (w.length !== b - a) continue;
    let k = 0;
    while (k < w.length && (text.charCodeAt(a + k) | 0x20) === w.charCodeAt(k)) k++;
    if (k === w.length) return true;
  }
  return false;
}

const LINK_WORDS = ['with', 'is', 'are', 'was', 'were', 'and', 'has', 'have'];

/** Whether text[a, b) is a word that links a sentence to its value (`finished with value: 5.0`): a name does not reach back over it. */
function isLinkWord(text: string, a: number, b: number): boolean {
  if (b - a > 4 || b - a < 2) return false;
  for (const w of LINK_WORDS) {
    if (w.length !== b - a) continue;
    let k = 0;
    while (k < w.length && (text.charCodeAt(a + k) | 0x20) === w.charCodeAt(k)) k++;
    if (k === w.length) return true;
  }
  return false;
}

/**
 * Whether the clause that the name starting at `start` ends (back to `,`, `;`, `|`, a tab, a bracket, a
 * full stop or a dash before a blank (Keras' ` - `), or the previous pair) speaks of the best round: `Best is trial 1 with value: 3.0`, LightGBM's
 * `best gain: -inf`, Keras' `the best epoch: 4` give no record.
 */
function clauseHasBest(text: string, start: number, lower: number): boolean {
  for (let i = start - 1; i >= lower && i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 59 || c === 124 || c === 9 || c === 40 || c === 91 || c === 93 || ((c === 46 || c === 45) && isSpace(text.charCodeAt(i + 1))))
      return false;
    if ((c | 0x20) === 98 /* b */ && (i === 0 || !isNameChar(text.charCodeAt(i - 1)))) {
      if (
        (text.charCodeAt(i + 1) | 0x20) === 101 &&
        (text.charCodeAt(i + 2) | 0x20) === 115 &&
        (text.charCodeAt(i + 3) | 0x20) === 116 &&
        !isNameChar(text.charCodeAt(i + 4))
      ) {
        return true;
      }
    }
  }
  return false;
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
      nameEnd = sep;
      valueStart = sep + 2;
      if (!isSpace(text.charCodeAt(sep + 1))) valueStart = -1;
      else while (valueStart < to && isSpace(text.charCodeAt(valueStart))) valueStart++;
    }
    const end = valueStart < 0 ? tightPair(text, sep, lower, to, sink) : readPair(text, sep, isColon, nameEnd, valueStart, lower, to, sink);
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

/** XGBoost's `train-logloss:0.57770` at the colon `sep`: no space, a name with `-`, a number, a blank or the end after it. The end of the pair, or -1. */
function tightPair(text: string, sep: number, lower: number, to: number, sink: PairSink): number {
  const valueStart = sep + 1;
  const end = tightValueEnd(text, valueStart, to);
  if (end < 0) return -1;
  const start = nameStart(text, sep, lower);
  if (start < 0 || indexIn(text, 45 /* - */, start, sep) < 0) return -1;
  sink.pair(text.slice(start, sep), num.value, valueStart, end, start);
  return end;
}

/** The pair whose separator is at `sep` and whose value starts at valueStart: reports it and returns its end, or -1 when it is not one. */
function readPair(text: string, sep: number, isColon: boolean, nameEnd: number, valueStart: number, lower: number, to: number, sink: PairSink): number {
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
  if (start < 0 || notAPair(text, isColon, start, valueEnd, lower)) return -1;
  // A name ending in `.`, `/` or `-` (`loss.: 1`) is reported without them.
  let last = nameEnd;
  while (last > start + 1 && isTrailer(text.charCodeAt(last - 1))) last--;
  if (isColon || (text.charCodeAt(sep - 1) === 32 && text.charCodeAt(sep + 1) === 32)) return wordyPair(text, start, last, valueStart, valueEnd, lower, sink);
  sink.pair(text.slice(start, last), num.value, valueStart, valueEnd, start);
  return valueEnd;
}

/** Prose, a list, a note or a best value around the pair whose name starts at `start` and value ends at valueEnd. */
function notAPair(text: string, isColon: boolean, start: number, valueEnd: number, lower: number): boolean {
  let i = valueEnd;
  while (isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (i > valueEnd && i < text.length) {
    // What follows the value: a word (prose?), a parenthesis (a note?), a number (a list?).
    if (isNameStart(c)) {
      if ((isColon || afterWord(text, start, lower)) && followedByProse(text, valueEnd)) return true;
    } else if (c === 40 /* ( */) {
      if (!isColon && followedByNote(text, valueEnd)) return true;
    } else if (followedByNumber(text, valueEnd)) return true;
  }
  return clauseHasBest(text, start, lower);
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

/**
 * A list of `name value` items after a header's `:` or `|` (nanoGPT's `iter 100: loss 2.3456, time
 * 12.34ms, mfu 12.34%`, `step 0: train loss 4.28, val loss 4.29`; fairseq's `epoch 001 | loss 7.1 |
 * nll_loss 6.5`; torchvision's `Test:  Acc@1 7.125 Acc@5 16.500`): a name of one word, or two (a data
 * set and a metric: `train-loss`), a blank, a number, then `,`, `|`, the end or the next item. Items
 * that do not fit (`time 12.34ms`, `valid on 'valid' subset`) are skipped to the next `,` or `|`.
 * `set` (or '') is a data set named by the log prefix (fairseq's `| valid |`), put before the names.
 */
export function scanSpacePairs(text: string, from: number, to: number, set: string, sink: PairSink): void {
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    while (i < to && (isSpace(c) || c === 44 || c === 124)) c = text.charCodeAt(++i);
    if (i >= to) return;
    const a = i;
    let ok = isNameStart(c);
    let b = a;
    let second = -1;
    let valueStart = -1;
    let valueEnd = -1;
    if (ok) {
      while (b < to && isNameChar(text.charCodeAt(b))) b++;
      let j = b;
      if (text.charCodeAt(j) === 32 && isNameStart(text.charCodeAt(j + 1))) {
        second = j + 1;
        j = second;
        while (j < to && isNameChar(text.charCodeAt(j))) j++;
      }
      const nameEnd = j;
      if (!isSpace(text.charCodeAt(j))) ok = false;
      while (j < to && isSpace(text.charCodeAt(j))) j++;
      valueStart = j;
      valueEnd = ok ? scanNumber(text, j, to, num) : -1;
      if (valueEnd < 0) ok = false;
      else {
        let k = valueEnd;
        while (k < to && isSpace(text.charCodeAt(k))) k++;
        const d = text.charCodeAt(k);
        if (!(k >= to || d === 44 || d === 124 || d === 13 || (k > valueEnd && second < 0 && isNameStart(d)))) ok = false;
        // `1,234`: thousands, not a value followed by a comma
        if (k === valueEnd && d === 44 && text.charCodeAt(k + 1) >= 48 && text.charCodeAt(k + 1) <= 57) ok = false;
      }
      if (ok) {
        let name = second < 0 ? text.slice(a, b) : isDataSet(text, a, b) ? `${text.slice(a, b)}-${text.slice(second, nameEnd)}` : text.slice(a, nameEnd);
        if (set !== '' && keyRole(name) === ROLE_METRIC) name = `${set}-${name}`;
        sink.pair(name, num.value, valueStart, valueEnd, a, nameEnd);
        i = valueEnd;
        continue;
      }
    }
    // Not an item: on to the next `,` or `|`.
    while (i < to && text.charCodeAt(i) !== 44 && text.charCodeAt(i) !== 124) i++;
  }
}
