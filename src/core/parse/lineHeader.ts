import { bracketStep, headerNumber, isDigit, num, skipBlanks } from './headerNumber';
import { mayBeDate, skipLogPrefix } from './logPrefix';

/** What a line's leading `Epoch 3/10`, `Step 100`, `[Epoch 2] Iter 40:` says. */
export interface LineHeader {
  /** Index after the header; the line's start when it has none. */
  end: number;
  epoch: number | undefined;
  step: number | undefined;
  /** Where the digits of the epoch and of the step that count (the last of each) stand; -1 when none. */
  epochAt: number;
  epochEnd: number;
  stepAt: number;
  stepEnd: number;
  /** Whether an epoch or a step was read (a log prefix alone moves `end` but reads none). */
  found: boolean;
  /** False when the header depends on how many digits a number has (`[1,000]`), which remembered line shapes do not compare: the line is not kept. */
  exact: boolean;
  /** Where a list of `name value` items may start (after the header's `:` or `|`, or `Test:`); -1: none. */
  listAt: number;
  /** The data set a log prefix names in its last field (fairseq's `| valid |`), or ''. */
  set: string;
}

/** A header holder with every field present, so that readHeader's stores keep one object shape. */
export function emptyHeader(): LineHeader {
  return { end: 0, epoch: undefined, step: undefined, epochAt: -1, epochEnd: -1, stepAt: -1, stepEnd: -1, found: false, exact: true, listAt: -1, set: '' };
}

/** True when text[i..] starts with `word` ignoring case; `_` in `word` also matches a space (`global step`). */
function wordAt(text: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = text.charCodeAt(i + k);
    const w = word.charCodeAt(k);
    if (w === 95 ? c !== 95 && c !== 32 : (c | 0x20) !== w) return false;
  }
  return true;
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 44 || c === 124 || c === 59 || c === 91 || c === 93 || c === 45; // space tab , | ; [ ] -
}

const PHASES = ['train', 'test', 'validation', 'valid', 'val', 'eval'];

/** Length of the phase word (`Train`, `Test`, `val`...) at text[i..], ending there, or 0. */
function phaseAt(text: string, i: number): number {
  for (const w of PHASES) {
    if (wordAt(text, i, w) && !isWordChar(text.charCodeAt(i + w.length))) return w.length;
  }
  return 0;
}

/**
 * A letter or `_`: what the phase in `Epoch(train)` is made of. Not a digit: a remembered line shape reads
 * a run of digits of any length alike, and the phase is at most 11 characters long.
 */
function isPhaseChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isWordChar(c: number): boolean {
  return isPhaseChar(c) || isDigit(c);
}

/**
 * Reads the header at text[start..] into `out`: after a logging prefix (skipLogPrefix), a leading step
 * `[12]`, `[12/100]`, `[1,000]` or `12:` (followed by a blank), then any number of `epoch N`, `step N`,
 * `iter N`, `iteration N`, `global step N`, `trial N` (any case; `:`, `=` or `#` may stand before N, which
 * scanHeaderNumber reads, N may be in brackets; `/M` after it), a phase word before them or before a
 * bracketed step (`Train: 3 [ 120/390 ( 31%)]`, `Train Epoch: 1 [...]`, `Test: [ 0/77]`), an epoch's
 * `(train)` (`Epoch(train) [1][100/391]`), a bracketed step after the epoch (`Epoch [1][50/7330]`,
 * `Epoch: [0]  [ 0/21]`) or `: a / b` (fairseq's `epoch 001:    100 / 250`), separated by spaces, `,`,
 * `|`, `;`, `-` or brackets. Read by hand: it runs for many lines. It stops at the line's `\r` or `\n`
 * as at any other character it does not read.
 */
export function readHeader(text: string, start: number, out: LineHeader): void {
  out.epoch = undefined;
  out.step = undefined;
  out.epochAt = -1;
  out.stepAt = -1;
  out.found = false;
  out.exact = true;
  out.listAt = -1;
  out.set = '';
  out.end = start;
  // Most lines start with a character no header or prefix starts with: they stop here.
  let first = start;
  let c = text.charCodeAt(first);
  while (c === 32 || c === 9) c = text.charCodeAt(++first);
  if (mayStart(text, first, c)) readStarted(text, out);
}

/** readHeader once mayStart let the line's start through (`out.end`: the line's start); apart, so that readHeader is small. */
function readStarted(text: string, out: LineHeader): void {
  const i = skipLogPrefix(text, out.end, out);
  out.end = i;
  readTokens(text, i, out);
  if (out.found && out.listAt < 0) {
    const k = skipBlanks(text, out.end);
    const c = text.charCodeAt(k);
    if (c === 58 /* : */ || c === 124 /* | */) out.listAt = k + 1;
  }
}

/** readHeader after the log prefix, from i. */
function readTokens(text: string, i: number, out: LineHeader): void {
  i = skipBlanks(text, i);
  let c = text.charCodeAt(i);
  if (c === 91 /* [ */ && isDigit(text.charCodeAt(skipBlanks(text, i + 1)))) {
    const j = bracketStep(text, i, out, true);
    if (j < 0) return;
    out.found = true;
    out.end = i = j;
  } else if (isDigit(c)) {
    const j = headerNumber(text, i, out);
    if (text.charCodeAt(j) === 124 /* | */ && isDigit(text.charCodeAt(j + 1))) {
      // torchtune's `1|3|Loss: ...`: epoch 1, step 3.
      const epoch = num.value;
      const k = headerNumber(text, j + 1, out);
      if (text.charCodeAt(k) !== 124) return;
      out.epoch = epoch;
      out.epochAt = i;
      out.epochEnd = j;
      out.step = num.value;
      out.stepAt = j + 1;
      out.stepEnd = k;
      out.found = true;
      out.end = k + 1;
      return;
    }
    const blank = text.charCodeAt(j + 1);
    if (text.charCodeAt(j) !== 58 /* : */ || (blank !== 32 && blank !== 9)) return;
    out.step = num.value;
    out.stepAt = i;
    out.stepEnd = j;
    out.found = true;
    out.end = i = j + 1;
  } else if (c === 45 /* - */) {
    while (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) !== 32) return;
  } else {
    let w = i;
    while (text.charCodeAt(w) === 91 || text.charCodeAt(w) === 32) w++;
    if (!startsHeaderWord(text, w, text.charCodeAt(w))) return;
  }
  let evaluation = false;
  for (;;) {
    let j = i;
    while (isSeparator(text.charCodeAt(j))) j++;
    c = text.charCodeAt(j) | 0x20;
    let isEpoch = false;
    if (isDigit(c) && out.epochAt >= 0 && out.stepAt < 0 && text.charCodeAt(skipBack(text, j) - 1) === 91 /* [ */) {
      // The step in brackets after an epoch: `Epoch [1][50/7330]`; after `Epoch(val)` it counts evaluation batches.
      const k = bracketStep(text, skipBack(text, j) - 1, out, false);
      if (k < 0) return;
      if (evaluation) {
        out.step = undefined;
        out.stepAt = -1;
      }
      out.end = i = k;
      continue;
    }
    const phase = c === 116 || c === 118 || (c === 101 && (text.charCodeAt(j + 1) | 0x20) === 118) ? phaseAt(text, j) : 0;
    if (phase > 0) {
      // `Train: 3 [`, `Test: [`, `Train Epoch: 1`: a phase word counts only before an epoch or a bracketed step.
      let k = skipBlanks(text, j + phase);
      if ((text.charCodeAt(k) | 0x20) === 101 && wordAt(text, k, 'epoch')) {
        i = k;
        continue;
      }
      if (text.charCodeAt(k) !== 58 /* : */) return;
      k = skipBlanks(text, k + 1);
      // `Test:  Acc@1 7.125 Acc@5 16.500`: a list of `name value` items may follow.
      if (!out.found && !isDigit(text.charCodeAt(k)) && text.charCodeAt(k) !== 91) {
        out.listAt = k;
        return;
      }
      let epochAt = -1;
      let epochEnd = -1;
      let epoch = 0;
      if (isDigit(text.charCodeAt(k))) {
        epochAt = k;
        epochEnd = headerNumber(text, k, out);
        epoch = num.value;
        k = skipBlanks(text, epochEnd);
      }
      if (text.charCodeAt(k) !== 91 /* [ */) return;
      const after = bracketStep(text, k, out, false);
      if (after < 0) return;
      if (epochAt >= 0) {
        out.epoch = epoch;
        out.epochAt = epochAt;
        out.epochEnd = epochEnd;
      }
      out.found = true;
      out.end = i = after;
      continue;
    }
    if (c === 101 && wordAt(text, j, 'epoch')) {
      isEpoch = true;
      j += 5;
      if (text.charCodeAt(j) === 40 /* ( */) {
        // `Epoch(train)`, `Epoch(val)`
        let k = j + 1;
        while (k < j + 12 && isPhaseChar(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) !== 41 /* ) */) return;
        evaluation = !wordAt(text, j + 1, 'train');
        j = k + 1;
      }
    } else if (c === 115 && wordAt(text, j, 'step')) j += 4;
    else if (c === 105 && wordAt(text, j, 'iteration')) j += 9;
    else if (c === 105 && wordAt(text, j, 'iter')) j += 4;
    else if (c === 103 && wordAt(text, j, 'global_step')) j += 11;
    else if (c === 116 && wordAt(text, j, 'trial')) j += 5;
    else return;
    j = skipBlanks(text, j);
    const sep = text.charCodeAt(j);
    if (sep === 58 || sep === 61 || sep === 35) j = skipBlanks(text, j + 1); // : = #
    const bracketed = text.charCodeAt(j) === 91; /* [ */
    if (bracketed) j = skipBlanks(text, j + 1);
    const at = j;
    j = headerNumber(text, j, out);
    if (j < 0) return;
    const n = num.value;
    const numberEnd = j;
    // An optional `/ total`, kept only when digits follow the slash.
    const slash = skipBlanks(text, j);
    if (text.charCodeAt(slash) === 47) {
      let k = skipBlanks(text, slash + 1);
      if (isDigit(text.charCodeAt(k))) {
        while (isDigit(text.charCodeAt(k))) k++;
        j = k;
      }
    }
    if (bracketed) {
      j = skipBlanks(text, j);
      if (text.charCodeAt(j) !== 93) return;
    }
    if (text.charCodeAt(j) === 93 /* ] */) j++;
    if (isEpoch) {
      out.epoch = n;
      out.epochAt = at;
      out.epochEnd = numberEnd;
      // fairseq's `epoch 001:    100 / 250`: the step after the epoch.
      if (text.charCodeAt(j) === 58 /* : */) {
        const k = skipBlanks(text, j + 1);
        const stepEnd = headerNumber(text, k, out);
        if (stepEnd > 0 && text.charCodeAt(skipBlanks(text, stepEnd)) === 47) {
          let m = skipBlanks(text, skipBlanks(text, stepEnd) + 1);
          if (isDigit(text.charCodeAt(m))) {
            while (isDigit(text.charCodeAt(m))) m++;
            out.step = num.value;
            out.stepAt = k;
            out.stepEnd = stepEnd;
            j = m;
          }
        }
      }
    } else {
      out.step = n;
      out.stepAt = at;
      out.stepEnd = numberEnd;
    }
    out.found = true;
    out.end = j;
    i = j;
  }
}

/** What a line's first character may start; the order matters: Word and Level are tested as `>= Start.Word`. */
enum Start {
  None,
  Digit,
  Bracket,
  Dash,
  /** A header or phase word's first letter (any case). */
  Word,
  /** A log level's letter (see isLevel), which may also start a word. */
  Level,
}
/** Per ASCII code, what a header, a leading step or a logging prefix starting with it may be (see mayStart). */
const START_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) START_KIND[c] = Start.Digit;
START_KIND[91] = Start.Bracket;
START_KIND[45] = Start.Dash;
for (const c of 'esigtvESIGTV') START_KIND[c.charCodeAt(0)] = Start.Word;
for (const c of 'IWEDF') START_KIND[c.charCodeAt(0)] = Start.Level;

/**
 * Whether a header, a leading step or a logging prefix may start at text[i], by its first characters
 * (most lines are turned away here, before any regex or token is read): a date, or digits followed
 * by what `12:`, `1|3|` or a number's fraction, exponent or `%` has next; `[` before a digit, a level letter
 * and a digit (`[I 2026-…`) or a header word; dashes and a blank (`-- Epoch 1`); absl's level letter
 * and a digit (`I0601`); or the first letters of a header or phase word. `c`: text[i], which readHeader
 * has read.
 */
function mayStart(text: string, i: number, c: number): boolean {
  // One look-up sorts the first character (a chain of comparisons costs more where lines of many kinds alternate).
  const kind = c < 128 ? START_KIND[c]! : Start.None;
  if (kind === Start.None) return false;
  if (kind >= Start.Word) return (kind === Start.Level && isDigit(text.charCodeAt(i + 1))) || startsHeaderWord(text, i, c);
  if (kind === Start.Digit) return mayStartDigits(text, i);
  if (kind === Start.Bracket) return mayStartBracket(text, i);
  // `-- Epoch 1`
  let j = i + 1;
  while (text.charCodeAt(j) === 45) j++;
  return text.charCodeAt(j) === 32;
}

/** mayStart at a digit: a date, or digits followed by what `12:`, `1|3|` or a number's fraction, exponent or `%` has next. */
function mayStartDigits(text: string, i: number): boolean {
  let j = i + 1;
  while (isDigit(text.charCodeAt(j))) j++;
  const d = text.charCodeAt(j);
  // A date's `-` or `/` (then only a logging prefix may follow); `12:`, `1|3|`; what headerNumber reads on.
  if (d === 45 || d === 47) return mayBeDate(text, i);
  return d === 58 || d === 124 || d === 46 || d === 37 || (d | 0x20) === 101; // : | . % e
}

/** mayStart at `[`: a digit, a level letter and a digit (`[I 2026-…`) or a header word after it. */
function mayStartBracket(text: string, i: number): boolean {
  let j = i + 1;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 91) j++;
  const d = text.charCodeAt(j);
  if (isDigit(d)) return true;
  const e = text.charCodeAt(j + 1);
  return ((isLevel(d) || d === 67) /* C */ && (isDigit(e) || (e === 32 && isDigit(text.charCodeAt(j + 2))))) || startsHeaderWord(text, j, d);
}

/** A log level's letter as absl prints it: I, W, E, D, F (Optuna's brackets may also hold C). */
function isLevel(c: number): boolean {
  return c === 73 || c === 87 || c === 69 || c === 68 || c === 70;
}

/** The slot of WORD_SLOTS for three letters packed as startsHeaderWord packs them (a hash with no two words in one slot). */
function wordSlot(three: number): number {
  return Math.imul(three, 84701) >>> 28;
}

/** The first three letters of each header or phase word, packed, in the slot wordSlot gives; and the fourth letter that word needs (0: any). */
const WORD_SLOTS = new Int32Array(16);
const WORD_FOURTH = new Uint8Array(16);
for (const word of ['epoc', 'eval', 'step', 'iter', 'glob', 'tria', 'trai', 'test', 'val']) {
  const three = (word.charCodeAt(0) << 16) | (word.charCodeAt(1) << 8) | word.charCodeAt(2);
  const slot = wordSlot(three);
  if (WORD_SLOTS[slot] !== 0) throw new Error(`header words share slot ${slot}: choose another multiplier in wordSlot`);
  WORD_SLOTS[slot] = three;
  WORD_FOURTH[slot] = word.length > 3 ? word.charCodeAt(3) : 0;
}

/**
 * Whether text[i..] (`first`: its first character) starts like a header or phase word (any case): epoc(h),
 * step, iter(ation), glob(al step), tria(l), trai(n), test, val(id, idation), eval. readTokens reads the
 * word itself. Its first three letters, packed in one number and lower-cased by setting each one's case
 * bit, are looked up in WORD_SLOTS: little code, so that readHeader stays small enough for the reader to
 * inline it with what it calls.
 */
function startsHeaderWord(text: string, i: number, first: number): boolean {
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  // Past the text's end charCodeAt gives NaN, which `|` and `<<` read as 0.
  if ((first | b | c) > 127) return false;
  const three = (first << 16) | (b << 8) | c | 0x202020;
  const slot = wordSlot(three);
  if (WORD_SLOTS[slot] !== three) return false;
  const fourth = WORD_FOURTH[slot]!;
  return fourth === 0 || (text.charCodeAt(i + 3) | 0x20) === fourth;
}

/** Index of the first blank of the run of blanks that ends at i. */
function skipBack(text: string, i: number): number {
  while (i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  return i;
}
