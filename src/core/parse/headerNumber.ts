// The numbers of a line's header: the epoch's and step's digits as remembered line shapes read them
// again, and a step in brackets (`[12]`, `[ 120/390 ( 31%)]`, `[1,000]`).
import type { LineHeader } from './lineHeader';
import { NumberSlot, scanNumber } from './numbers';

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Index after a header's number at text[i..to): digits, then a fraction or
 * an exponent when digits follow (`3`, `1.5`, `2e-3`: `epoch=1.5` is the
 * key's value, not epoch 1 and a stray `.5`); its value in `out`. -1 when
 * no digit stands at i. Remembered line shapes read a header's number with
 * this too, so they read exactly what the header does.
 */
export function scanHeaderNumber(text: string, i: number, to: number, out: NumberSlot): number {
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

/** The value of the number headerNumber and bracketStep read last (one holder, so no object is made per number). */
export const num = new NumberSlot();

/**
 * scanHeaderNumber into `num`, for the header forms: when the number is followed by a character that
 * scanNumber would read on (`3.`, `3e`, `3%`), remembered shapes may replay a value of another form
 * there than the header read, so the line is not kept (`out.exact`).
 */
export function headerNumber(text: string, i: number, out: LineHeader): number {
  const j = scanHeaderNumber(text, i, text.length, num);
  if (j >= 0) {
    const c = text.charCodeAt(j);
    if (c === 46 || c === 37 || (c | 0x20) === 101) out.exact = false;
  }
  return j;
}

export function skipBlanks(text: string, i: number): number {
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}

/**
 * A step in brackets at text[i] (`[`): `[12]`, `[ 120/390 ( 31%)]`, `[640/60000 (1%)]`, `[50/7330]`, and with
 * `thousands`, `[1,000]`. Puts the step in `out` and returns the index after `]`; -1 when there is none.
 */
export function bracketStep(text: string, i: number, out: LineHeader, thousands: boolean): number {
  let j = skipBlanks(text, i + 1);
  const at = j;
  let k = headerNumber(text, j, out);
  if (k < 0) return -1;
  let n = num.value;
  let numberEnd = k;
  let exact = true;
  // Thousands depend on how many digits the groups have, which remembered shapes do not compare: such a line is not kept.
  if (thousands && text.charCodeAt(k) === 44 /* , */) out.exact = false;
  if (thousands && text.charCodeAt(k) === 44 /* , */ && k - at <= 3) {
    // `1,000`, `12,345,678`: groups of three digits.
    let v = 0;
    for (let p = at; p < k; p++) v = v * 10 + (text.charCodeAt(p) - 48);
    while (text.charCodeAt(k) === 44 && isDigit(text.charCodeAt(k + 1)) && isDigit(text.charCodeAt(k + 2)) && isDigit(text.charCodeAt(k + 3))) {
      v = v * 1000 + (text.charCodeAt(k + 1) - 48) * 100 + (text.charCodeAt(k + 2) - 48) * 10 + (text.charCodeAt(k + 3) - 48);
      k += 4;
    }
    if (isDigit(text.charCodeAt(k)) || text.charCodeAt(k) === 46) return -1;
    n = v;
    numberEnd = k;
    exact = false;
  }
  j = skipBlanks(text, k);
  if (text.charCodeAt(j) === 47 /* / */) {
    j = skipBlanks(text, j + 1);
    if (!isDigit(text.charCodeAt(j))) return -1;
    while (isDigit(text.charCodeAt(j))) j++;
    j = skipBlanks(text, j);
    if (text.charCodeAt(j) === 40 /* ( */) {
      // `( 31%)`
      j = skipBlanks(text, j + 1);
      if (!isDigit(text.charCodeAt(j))) return -1;
      while (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 46) j++;
      if (text.charCodeAt(j) !== 37 /* % */ || text.charCodeAt(j + 1) !== 41 /* ) */) return -1;
      j = skipBlanks(text, j + 2);
    }
  }
  if (text.charCodeAt(j) !== 93 /* ] */) return -1;
  out.step = n;
  out.stepAt = at;
  out.stepEnd = numberEnd;
  if (!exact) out.exact = false;
  return j + 1;
}
