// Names of more than one word before a pair's value: a metric's words (`Avg. loss`), a data set and its
// metric kept apart (`train loss` → `train-loss`, LightGBM's `valid_0's l2` → `valid_0-l2`).
import { isNameChar, isNameStart, isSpace } from './nameChars';

/** Where the data set of `train's l2` starts when the name starting at `start` follows one (`'s `), or -1. */
export function dataSetBefore(text: string, start: number, lower: number): number {
  if (start - 3 <= lower || text.charCodeAt(start - 1) !== 32 || text.charCodeAt(start - 2) !== 115 /* s */ || text.charCodeAt(start - 3) !== 39 /* ' */) {
    return -1;
  }
  let s = start - 3;
  while (s > lower && isNameChar(text.charCodeAt(s - 1))) s--;
  if (s === start - 3 || !isNameStart(text.charCodeAt(s))) return -1;
  return s > lower && !isSpace(text.charCodeAt(s - 1)) ? -1 : s;
}

/**
 * The start of a colon pair's name of up to three words (`Avg. loss`, `Current function value`): words of
 * name characters starting with a letter, one space apart, back from the last word at `start`; a word
 * follows a blank or the start only, and two spaces, a tab or punctuation end the name.
 */
export function wordsBefore(text: string, start: number, lower: number): number {
  let s = start;
  for (let words = 1; words <= 3; words++) {
    if (s - 2 < lower || text.charCodeAt(s - 1) !== 32 || !isNameChar(text.charCodeAt(s - 2))) break;
    let w = s - 1;
    while (w > lower && isNameChar(text.charCodeAt(w - 1))) w--;
    if (!isNameStart(text.charCodeAt(w)) || isLinkWord(text, w, s - 1)) break;
    if (w > 0 && w > lower) {
      const p = text.charCodeAt(w - 1);
      if (p !== 32 && p !== 9) break;
    }
    // A fourth word: a sentence (`number of used features: 8`), not a name.
    if (words === 3) return -1;
    s = w;
  }
  return s;
}

const DATA_SETS = ['train', 'training', 'learn', 'val', 'valid', 'validation', 'test', 'eval'];

/** Whether text[a, b) is one word naming a data set (`train`, `Validation`), any case. */
export function isDataSet(text: string, a: number, b: number): boolean {
  if (b - a < 3 || b - a > 10) return false;
  for (const w of DATA_SETS) {
    if (w.length !== b - a) continue;
    let k = 0;
    while (k < w.length && (text.charCodeAt(a + k) | 0x20) === w.charCodeAt(k)) k++;
    if (k === w.length) return true;
  }
  return false;
}

const LINK_WORDS = ['with', 'is', 'are', 'was', 'were', 'and', 'has', 'have'];

/** Whether text[a, b) is a word that links a sentence to its value (`finished with value: 5.0`): a name does not reach back over it. */
function isLinkWord(text: string, a: number, b: number): boolean {
  if (b - a > 4 || b - a < 2) return false;
  for (const w of LINK_WORDS) {
    if (w.length !== b - a) continue;
    let k = 0;
    while (k < w.length && (text.charCodeAt(a + k) | 0x20) === w.charCodeAt(k)) k++;
    if (k === w.length) return true;
  }
  return false;
}
