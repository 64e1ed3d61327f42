// The characters of a printed metric name, and searches bounded by a line's end.

export function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45 || c === 64; // @: `Acc@1`
}

export function isTrailer(c: number): boolean {
  return c === 46 || c === 47 || c === 45;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Whether text[from, to) holds nothing but blanks (and a line end's `\r`). */
export function blankFrom(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Index of the first c in text[from, to), or -1 (a bounded search: indexOf would run on through the chunk). */
export function indexIn(text: string, c: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === c) return i;
  return -1;
}
