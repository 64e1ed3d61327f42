import { scanNumber } from './numbers';

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
}

/** Whether the text (after spaces and `[`) starts like `ep`, `st`, `it` or `gl`: most lines are rejected here. */
function mayStartHeader(text: string, i: number): boolean {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9 || c === 91 /* [ */) c = text.charCodeAt(++i);
  const d = text.charCodeAt(i + 1) | 0x20;
  switch (c | 0x20) {
    case 101: // e
      return d === 112; // p
    case 115: // s
      return d === 116; // t
    case 105: // i
      return d === 116; // t
    case 103: // g
      return d === 108; // l
    default:
      return false;
  }
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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Index after a header's number at text[i..to): digits, then a fraction or
 * an exponent when digits follow (`3`, `1.5`, `2e-3`: `epoch=1.5` is the
 * key's value, not epoch 1 and a stray `.5`); its value in `out`. -1 when
 * no digit stands at i. Remembered line shapes read a header's number with
 * this too, so they read exactly what the header does.
 */
export function scanHeaderNumber(text: string, i: number, to: number, out: { value: number }): number {
  let j = i;
  while (j < to && isDigit(text.charCodeAt(j))) j++;
  if (j === i) return -1;
  if (text.charCodeAt(j) === 46 /* . */ && j + 1 < to && isDigit(text.charCodeAt(j + 1))) {
    j += 2;
    while (j < to && isDigit(text.charCodeAt(j))) j++;
  }
  if (j < to && (text.charCodeAt(j) | 0x20) === 101 /* e */) {
    let k = j + 1;
    const sign = text.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    if (k < to && isDigit(text.charCodeAt(k))) {
      j = k + 1;
      while (j < to && isDigit(text.charCodeAt(j))) j++;
    }
  }
  scanNumber(text, i, j, out);
  return j;
}

const num = { value: 0 };

function skipBlanks(text: string, i: number): number {
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}

/**
 * Reads the header tokens at text[start..] into `out`: any number of
 * `epoch N`, `step N`, `iter N`, `iteration N`, `global step N` (any case;
 * `:`, `=` or `#` may stand before N, which scanHeaderNumber reads; `/M`
 * after it), separated by spaces, `,`, `|`, `;`, `-` or brackets. Read by
 * hand: it runs for many lines. It stops at the line's `\r` or `\n` as at
 * any other character it does not read.
 */
export function readHeader(text: string, start: number, out: LineHeader): void {
  out.end = start;
  out.epoch = undefined;
  out.step = undefined;
  out.epochAt = -1;
  out.stepAt = -1;
  if (!mayStartHeader(text, start)) return;
  let i = start;
  for (;;) {
    let j = i;
    while (isSeparator(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j) | 0x20;
    let isEpoch = false;
    if (c === 101 && wordAt(text, j, 'epoch')) {
      isEpoch = true;
      j += 5;
    } else if (c === 115 && wordAt(text, j, 'step')) j += 4;
    else if (c === 105 && wordAt(text, j, 'iteration')) j += 9;
    else if (c === 105 && wordAt(text, j, 'iter')) j += 4;
    else if (c === 103 && wordAt(text, j, 'global_step')) j += 11;
    else return;
    j = skipBlanks(text, j);
    const sep = text.charCodeAt(j);
    if (sep === 58 || sep === 61 || sep === 35) j = skipBlanks(text, j + 1); // : = #
    const at = j;
    j = scanHeaderNumber(text, j, text.length, num);
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
    if (text.charCodeAt(j) === 93 /* ] */) j++;
    if (isEpoch) {
      out.epoch = n;
      out.epochAt = at;
      out.epochEnd = numberEnd;
    } else {
      out.step = n;
      out.stepAt = at;
      out.stepEnd = numberEnd;
    }
    out.end = j;
    i = j;
  }
}

/** `params lr=0.1 ...`, `hparams: {...}`, `config: ...`, argparse's `Namespace(lr=0.1, ...)`: settings, not metrics. */
const PARAMS_LINE = /[ \t]*(?:Namespace\(|(?:h?params|hyper-?parameters|config|args|arguments|settings)(?![\w.-]))/iy;

/** A line that prints the run's parameters; its numbers are not metrics (params come from the command line). */
export function isParamsLine(text: string, start: number): boolean {
  let i = start;
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  c |= 0x20;
  if (c !== 110 && c !== 104 && c !== 112 && c !== 99 && c !== 97 && c !== 115) return false; // n h p c a s
  PARAMS_LINE.lastIndex = start;
  return PARAMS_LINE.test(text);
}
