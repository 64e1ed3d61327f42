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
    pos = skipEscape(text, esc);
    esc = text.indexOf('\x1b', pos);
  }
  return pos < text.length ? out + text.slice(pos) : out;
}

/** Index after the escape sequence starting with the ESC at `i` (same grammar as ESCAPES, without a regex). */
export function skipEscape(text: string, i: number): number {
  const n = text.length;
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

/**
 * Index of the first character a terminal would show (not a space, tab,
 * escape sequence or control character; `[` too when `skipBracket`), or the
 * length when there is none.
 */
export function firstShown(text: string, skipBracket: boolean): number {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 27) i = skipEscape(text, i);
    else if (c === 32 || c === 9 || c < 32 || c === 0x7f || c === 0x9b || (skipBracket && c === 91)) i++;
    else return i;
  }
  return n;
}
