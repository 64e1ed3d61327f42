/**
 * Where a scanner puts the number it read, so that no object is made per number: each module keeps one. A class of
 * its own, so that no other `{ value }` object in the extension host shares its V8 map and could widen its field.
 */
export class NumberSlot {
  value = 0;
}

/** The number that is the whole of `text` (a custom pattern's group), or undefined. Same forms as scanNumber. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  const out = new NumberSlot();
  return t.length > 0 && scanNumber(t, 0, t.length, out) === t.length ? out.value : undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when text[i..] starts with `word` (lower case), ignoring case. */
function startsWithWord(text: string, i: number, to: number, word: string): boolean {
  if (i + word.length > to) return false;
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Reads a metric value as printed at text[i, to) without a regex: `1`, `-0.5`,
 * `.5`, `3.`, `+2`, `1e-05`, `5E+3`, `91.2%` (91.2), and `nan`, `inf`,
 * `infinity` in any case with an optional sign. Returns the index after it (after a `%`),
 * or -1 when there is none; the value is put in `out.value` (so no object
 * is made per number).
 *
 * Numbers of up to 15 significant digits with a decimal exponent within ±22
 * (nearly all printed metrics) are computed as mantissa × or ÷ a power of
 * ten, which is exact and correctly rounded (both operands are exact
 * doubles), so equal to Number(text); others go through Number(text).
 */
export function scanNumber(text: string, i: number, to: number, out: NumberSlot): number {
  const start = i;
  let c = text.charCodeAt(i);
  let negative = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    c = text.charCodeAt(++i);
  }
  const digits = i;
  let mantissa = 0;
  while (i < to && isDigit(c)) {
    mantissa = mantissa * 10 + (c - 48);
    c = text.charCodeAt(++i);
  }
  const intDigits = i - digits;
  let fracDigits = 0;
  if (c === 46 /* . */) {
    let j = i + 1;
    let d = text.charCodeAt(j);
    let m = mantissa;
    while (j < to && isDigit(d)) {
      m = m * 10 + (d - 48);
      d = text.charCodeAt(++j);
    }
    if (intDigits > 0 || j > i + 1) {
      fracDigits = j - i - 1;
      mantissa = m;
      i = j;
      c = d;
    }
  }
  if (intDigits === 0 && fracDigits === 0) {
    // No digits: nan, inf, infinity in any case.
    if (startsWithWord(text, i, to, 'nan')) {
      out.value = NaN;
      return i + 3;
    }
    if (startsWithWord(text, i, to, 'inf')) {
      out.value = negative ? -Infinity : Infinity;
      return startsWithWord(text, i + 3, to, 'inity') ? i + 8 : i + 3;
    }
    return -1;
  }
  let exponent = 0;
  if ((c | 0x20) === 101 /* e */ && i < to) {
    let j = i + 1;
    let d = text.charCodeAt(j);
    let expNegative = false;
    if (d === 43 || d === 45) {
      expNegative = d === 45;
      d = text.charCodeAt(++j);
    }
    const expDigits = j;
    let e = 0;
    while (j < to && isDigit(d)) {
      e = e * 10 + (d - 48);
      d = text.charCodeAt(++j);
    }
    if (j > expDigits) {
      exponent = expNegative ? -e : e;
      i = j;
      c = d;
    }
  }
  const scale = exponent - fracDigits;
  if (intDigits + fracDigits <= 15 && scale >= -22 && scale <= 22) {
    const magnitude = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
    out.value = negative ? -magnitude : magnitude;
  } else {
    out.value = Number(text.slice(start, i));
  }
  return c === 37 /* % */ && i < to ? i + 1 : i;
}
