import { NumberSlot, scanNumber } from './numbers';

const num = new NumberSlot();
const NAME_ITEM = /^[A-Za-z][\w./@-]*$/;

/** Where the comma-separated list of `copypaste: a,b,c` starts (after the one-word label's `: `), or -1. */
function listAfterLabel(text: string, start: number, end: number): number {
  // The label: one word of letters, digits and `_ . -`, then `: `.
  let colon = start;
  for (; colon < end; colon++) {
    const c = text.charCodeAt(colon);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 45 && c <= 57) || c === 95)) break;
  }
  if (colon === start || text.charCodeAt(colon) !== 58 || text.charCodeAt(colon + 1) !== 32) return -1;
  let i = colon + 2;
  while (i < end && text.charCodeAt(i) === 32) i++;
  // Names or numbers and commas only, no blank but at the end (before anything is cut out of the line).
  let comma = false;
  let k = i;
  for (; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 44) comma = true;
    else if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 43 && c <= 57) || c === 95 || c === 64)) break;
  }
  while (k < end && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  return comma && k === end ? i : -1;
}

/**
 * detectron2's `copypaste: AP,AP50,AP75` followed by `copypaste: 39.5,59.2,43.0`: a line that lists
 * names after a label, then a line with the same label and as many numbers.
 */
export class NamedList {
  /** The names of the last `label: a,b,c` line. */
  names: string[] = [];
  /** The numbers of the line `read` last took as the names' values. */
  readonly values: number[] = [];
  private label = '';
  private line = -1;

  /**
   * Reads text[start, end), a line without values (start: after its logging prefix; colon: the line's
   * first `:`, -1 when none): true when it gave the values of the names listed on the line before it.
   */
  read(text: string, start: number, end: number, line: number, colon: number): boolean {
    // The label ends at the line's first colon when that is not in a logging prefix: it must have a blank after it.
    if (colon >= start && text.charCodeAt(colon + 1) !== 32) return false;
    const at = listAfterLabel(text, start, end);
    if (at < 0) return false;
    const label = text.slice(start, at);
    const items = text.slice(at, end).trim().split(',');
    if (line === this.line + 1 && label === this.label && items.length === this.names.length) {
      const values = this.values;
      values.length = 0;
      for (const item of items) {
        const v = scanNumber(item, 0, item.length, num);
        if (v !== item.length || item.length === 0) break;
        values.push(num.value);
      }
      if (values.length === items.length) {
        this.line = -1;
        return true;
      }
    }
    if (items.length >= 2 && items.every((n) => NAME_ITEM.test(n))) {
      this.names = items;
      this.label = label;
      this.line = line;
    }
    return false;
  }
}
