/**
 * Terminal escape sequences and control characters, as they appear in a
 * terminal's raw output: CSI (`ESC [ ... final`, colours, cursor moves, erase),
 * OSC (`ESC ] ... BEL` or `ESC ] ... ESC \`, e.g. VS Code's shell-integration
 * `ESC ] 633 ; ...` and window titles), DCS/SOS/PM/APC strings, two-byte
 * escapes (`ESC =`, `ESC (B`), the 8-bit CSI, and C0 controls other than tab.
 * An OSC or DCS string cut off by the end of the text is removed to its end.
 * `\r` and `\n` are handled by the line assembler before this runs.
 */
// eslint-disable-next-line no-control-regex
const ESCAPES =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)|\u009b[0-?]*[ -/]*[@-~]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * The text as a terminal would show it on one line, minus styling and
 * controls. Text without ESC or backspace is returned as it is (two indexOf
 * scans are much cheaper than the full pattern). Text with escape sequences
 * only (the usual colours) is cut around them by `skipEscape`; text with
 * backspaces or an 8-bit CSI goes through the full pattern, which also
 * removes the other C0 controls. A stray control character left elsewhere
 * cannot form part of a name or a number anyway.
 */
export function stripEscapes(text: string): string {
  let esc = text.indexOf('\x1b');
  const backspace = text.indexOf('\b') >= 0;
  if (esc < 0 && !backspace) return text;
  if (backspace || text.indexOf('\u009b') >= 0) return text.replace(ESCAPES, '');
  let out = '';
  let pos = 0;
  while (esc >= 0) {
    if (esc > pos) out += text.slice(pos, esc);
    pos = skipEscape(text, esc, text.length);
    esc = text.indexOf('\x1b', pos);
  }
  return pos < text.length ? out + text.slice(pos) : out;
}

/**
 * Index after the escape sequence starting with the ESC at `i` (same grammar as ESCAPES, without a regex),
 * in text[0, n): a sequence cut off by `n` ends there, provided that text[n], when there is one, cannot
 * continue it (a `\r` or `\n`, as where the line assembler's pieces end).
 */
export function skipEscape(text: string, i: number, n: number): number {
  const c = text.charCodeAt(i + 1);
  let j = i + 2;
  if (c === 91 /* [ */) {
    while (j < n && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x3f) j++;
    const f = text.charCodeAt(j);
    return f >= 0x40 && f <= 0x7e ? j + 1 : j;
  }
  if (c === 93 /* ] */ || c === 80 /* P */ || c === 88 /* X */ || c === 94 /* ^ */ || c === 95 /* _ */) {
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === 7 && c === 93) return j + 1;
      if (d === 27) return text.charCodeAt(j + 1) === 92 /* \ */ ? j + 2 : j;
    }
    return n;
  }
  j = i + 1;
  while (j < n && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
  const f = text.charCodeAt(j);
  return f >= 0x30 && f <= 0x7e ? j + 1 : j;
}

/** A run of blanks, for firstShown. */
const BLANKS = / +/y;

/**
 * Index of the first character a terminal would show in text[start, end)
 * (not a space, tab, escape sequence or control character; `[` too when
 * `skipBracket`), or `end` when there is none. text[end], when there is one,
 * must be a `\r` or `\n` (see skipEscape).
 */
export function firstShown(text: string, skipBracket: boolean, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 27) i = skipEscape(text, i, end);
    else if (c === 32 && text.charCodeAt(i + 1) === 32) {
      // A redraw that clears a bar's line holds a run of a hundred blanks or more: a regex skips them three times as fast.
      BLANKS.lastIndex = i;
      BLANKS.test(text);
      i = Math.min(BLANKS.lastIndex, end);
    } else if (c === 32 || c === 9 || c < 32 || c === 0x7f || c === 0x9b || (skipBracket && c === 91)) i++;
    else return i;
  }
  return end;
}
