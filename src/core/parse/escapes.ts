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
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)|\u009b[0-?]*[ -/]*[@-~]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * The text as a terminal would show it on one line, minus styling and
 * controls. Text without ESC or backspace (Keras erases with `\b`) is
 * returned as it is: scanning for those two is much cheaper than the full
 * pattern, and a stray other control character cannot form part of a name
 * or a number anyway.
 */
export function stripEscapes(text: string): string {
  if (text.indexOf('\x1b') < 0 && text.indexOf('\b') < 0 && text.indexOf('\u009b') < 0) return text;
  return text.replace(ESCAPES, '');
}

const NON_BLANK = /\S/;

export function isBlank(text: string): boolean {
  return !NON_BLANK.test(text);
}
