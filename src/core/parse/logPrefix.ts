// What stands before a line's message or instead of one: logging prefixes (a date and a time, a level,
// fields), a C++ library's log tags and lines that print the run's parameters.
import { isDigit } from './headerNumber';
import { isDataSet } from './pairNames';
import type { LineHeader } from './lineHeader';

/**
 * A logging prefix before a line's message: `2021-06-01 12:01:05,123 - mmdet - INFO - `, `06/01 12:01:10 -
 * mmengine - INFO - `, `2024-06-01 12:01:10 | INFO | train_inner | ` (a date or `MM/DD`, a time, then up to
 * three `-`/`|` fields), `[I 2026-11-30 12:09:47,504] ` (Optuna), `[06/01 12:00:29 d2.utils.events]: `
 * (detectron2) and absl's `I0601 12:00:00.000123 1234 train.py:148] `. Runs of digits of any length, so
 * that whether a prefix is read does not hang on how many digits a field has (remembered line shapes
 * compare other runs of digits as any digits).
 */
const PLAIN_PREFIX = /\d+[-/]\d+(?:-\d+)?[ T]\d+:\d+:\d+(?:[.,]\d+)?(?:(?:[ \t]+[-|][ \t]+[\w.]+){0,2}[ \t]+[-|][ \t]+([\w.]+)[ \t]+[-|](?=[ \t]))?[ \t]*/y;
const BRACKET_PREFIX = /(?:\[[IWEDFC]? ?|[IWEDF])\d+(?:[-/]\d+(?:-\d+)?)?[ T]\d+:\d+:\d+(?:[.,]\d+)?[^\]\r\n]*\]:?[ \t]*/y;

/** Whether text[i..] starts like a date and a time (`2021-06-01 12:`, `06/01 12:`), before the regex is tried. */
export function mayBeDate(text: string, i: number): boolean {
  while (isDigit(text.charCodeAt(i))) i++;
  let c = text.charCodeAt(i);
  if ((c !== 45 && c !== 47) || !isDigit(text.charCodeAt(i + 1))) return false;
  i += 2;
  while (isDigit(text.charCodeAt(i))) i++;
  c = text.charCodeAt(i);
  if (c === 45) {
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
    c = text.charCodeAt(i);
  }
  return (c === 32 || c === 84) && isDigit(text.charCodeAt(i + 1));
}

/** Index after a logging prefix at text[i..], or i when there is none; the data set its last field names in `out.set`. */
export function skipLogPrefix(text: string, i: number, out: LineHeader): number {
  const c = text.charCodeAt(i);
  if (isDigit(c)) {
    if (!mayBeDate(text, i)) return i;
    PLAIN_PREFIX.lastIndex = i;
    const m = PLAIN_PREFIX.exec(text);
    if (m === null) return i;
    const field = m[1];
    if (field !== undefined && isDataSet(field, 0, field.length)) out.set = field;
    return PLAIN_PREFIX.lastIndex;
  }
  if (c === 91 /* [ */ || ((c === 73 || c === 87 || c === 69 || c === 68 || c === 70) && isDigit(text.charCodeAt(i + 1)))) {
    BRACKET_PREFIX.lastIndex = i;
    return BRACKET_PREFIX.test(text) ? BRACKET_PREFIX.lastIndex : i;
  }
  return i;
}

/** `params lr=0.1 ...`, `hparams: {...}`, `config: ...`, argparse's `Namespace(lr=0.1, ...)`: settings, not metrics. */
const PARAMS_LINE = /[ \t]*(?:Namespace\(|(?:h?params|hyper-?parameters|config|args|arguments|settings)(?![\w.-]))/iy;

/** `[LightGBM] [Info] ...`, `[Warning]`: a C++ library's log message (its figures are not metrics). */
const LOG_TAG = /(?:\[[\w.-]{1,20}\] ?)?\[(?:Info|Warning|Debug|Fatal)\]/y;

/** A line that prints the run's parameters; its numbers are not metrics (params come from the command line). */
export function isParamsLine(text: string, start: number): boolean {
  let i = start;
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  if (c === 91 /* [ */) {
    LOG_TAG.lastIndex = i;
    return LOG_TAG.test(text);
  }
  c |= 0x20;
  if (c !== 110 && c !== 104 && c !== 112 && c !== 99 && c !== 97 && c !== 115) return false; // n h p c a s
  PARAMS_LINE.lastIndex = start;
  return PARAMS_LINE.test(text);
}
