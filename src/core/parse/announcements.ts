// Lines that say what the lines after them are: settings printed one per line (Vowpal Wabbit's `Reading
// datafile = none`, then `power_t = 0.5`: their numbers are not metrics), and the reprint of the best
// round that LightGBM announces.
import { isNameChar, isNameStart, isSpace } from './nameChars';

/** Index of the first ` = ` in text[from, to), or -1. Goes from `=` to `=` by the string's own search: it runs for most lines with an `=` that gave no pair. */
function spacedEquals(text: string, from: number, to: number): number {
  for (let i = text.indexOf('=', from + 1); i >= 0 && i + 1 < to; i = text.indexOf('=', i + 1)) {
    if (text.charCodeAt(i - 1) === 32 && text.charCodeAt(i + 1) === 32) return i - 1;
  }
  return -1;
}

/**
 * Whether text[start, end) is a setting printed as text, `name = word` (Vowpal Wabbit's `Reading
 * datafile = none`, `Input label = SIMPLE`): the `name = number` lines right after it are settings too.
 */
export function isTextSetting(text: string, start: number, end: number): boolean {
  if (!isNameStart(text.charCodeAt(start))) return false;
  const eq = spacedEquals(text, start, end);
  if (eq < 0) return false;
  for (let i = start; i < eq; i++) if (!isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 32) return false;
  let i = eq + 3;
  if (!isNameStart(text.charCodeAt(i))) return false;
  while (i < end && isNameChar(text.charCodeAt(i))) i++;
  return i === end;
}

/** Whether text[start, end) is one `name = value` pair and nothing else (`power_t = 0.5`). */
export function isLoneSpacedPair(text: string, start: number, end: number, valueEnd: number): boolean {
  const eq = spacedEquals(text, start, end);
  if (eq < 0 || valueEnd !== end || !isNameStart(text.charCodeAt(start))) return false;
  for (let i = start; i < eq; i++) if (!isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 32) return false;
  return true;
}

/**
 * A line that ends in `:` and speaks of the best round (LightGBM's `Early stopping, best iteration is:`):
 * the next line prints an earlier round again, which would otherwise become each series' last value.
 */
export function announcesReprint(text: string, start: number, end: number): boolean {
  let i = end - 1;
  while (i > start && isSpace(text.charCodeAt(i))) i--;
  if (text.charCodeAt(i) !== 58 /* : */) return false;
  BEST.lastIndex = 0;
  return BEST.test(text.slice(start, i));
}

const BEST = /\bbest\b/i;
