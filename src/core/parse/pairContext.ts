// What stands around a `name: value` or `name=value` pair that makes it something else: the token going on
// after the value (a unit, a time, a version), prose, a list of numbers, a note, or the best round.
import { isNameChar, isNameStart, isSpace } from './nameChars';
import { NumberSlot, scanNumber } from './numbers';

/** After a value: true when the token goes on (a unit, a version, a time, a ratio...). */
export function continuesToken(text: string, i: number): boolean {
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

const spare = new NumberSlot();

/** A value followed by a parenthesised note in words (`vocab_size = 65 (inside data/...)`) is prose, not a pair. */
function followedByNote(text: string, i: number): boolean {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 40 /* ( */ && isNameStart(text.charCodeAt(i + 1));
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

/**
 * Prose, a list, a note or a best value around the pair whose name starts at `start` and value ends at valueEnd.
 * `lastSep`: no `=` or `:` lies in text[valueEnd, to), and text[to] ends the line (`\r`, `\n` or the text's end):
 * then the words after the value are not followed by the next pair's separator (followedByProse stops at
 * the line's end), and are prose without being read.
 */
export function notAPair(text: string, isColon: boolean, start: number, valueEnd: number, lower: number, lastSep: boolean): boolean {
  let i = valueEnd;
  while (isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (i > valueEnd && i < text.length) {
    // What follows the value: a word (prose?), a parenthesis (a note?), a number (a list?).
    if (isNameStart(c)) {
      if ((isColon || afterWord(text, start, lower)) && (lastSep || followedByProse(text, valueEnd))) return true;
    } else if (c === 40 /* ( */) {
      if (!isColon && followedByNote(text, valueEnd)) return true;
    } else if (followedByNumber(text, valueEnd)) return true;
  }
  return clauseHasBest(text, start, lower);
}
