import { keyRole, ROLE_EPOCH, ROLE_METRIC, ROLE_STEP } from './keys';
import { NumberSlot, scanNumber } from './numbers';
import { NextChar } from './nextChar';
import { isProgressBar } from './progressBar';

/*
 * Tables (fastai, spaCy, scikit-learn's GradientBoosting, Vowpal Wabbit, Ultralytics): a header row of
 * column names at least two spaces apart (a name may hold single spaces: `Train Loss`), maybe a second
 * header row that continues each column's name (`average` over `loss`), maybe a rule of dashes, then
 * rows of whitespace-separated values, one per column. The `epoch`/`E` column gives the records' epoch
 * (`1/3` reads 1), a `step`/`iter`/`#`/`example counter` column their step; every other column whose
 * values are numbers is a metric. Times (`00:05`), values with units (`0.04s`, `2.47G`), counts and
 * memory columns (see keys.ts) give no records; a first column of words (`all`) is a label.
 * A progress bar after the row or the header (`640: 100%|███| 8/8 [...]`) is not part of it.
 */

const num = new NumberSlot();
/** The longest column name (`Remaining Time`, `LOSS TOK2VEC`, `mAP50-95`: far shorter). */
const MAX_CELL = 32;

/** How a column is read: a metric, the step, the epoch, or nothing. */
function columnRole(name: string): number {
  if (name === 'E') return ROLE_EPOCH;
  if (name === '#' || name === 'example counter') return ROLE_STEP;
  return keyRole(name);
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Per ASCII code: 1 for a header cell's characters besides single spaces, 2 for a blank, 0 for the rest. */
const CELL_CLASS = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-#@/.()%') CELL_CLASS[c.charCodeAt(0)] = 1;
CELL_CLASS[32] = 2;
CELL_CLASS[9] = 2;

/** A header cell's characters besides single spaces; looked up, as a header is tried on most lines without values. */
function isCellChar(c: number): boolean {
  return c < 128 && CELL_CLASS[c] === 1;
}

/**
 * The next `|` in a text, found by the string's own search, since a row may be long before it (Ultralytics'
 * `1/3  2.47G ... 640: 100%|███| 8/8 [...]`); the answer is kept while it lies ahead (in the same text, by
 * content), so that the rows of a table without bars do not each search on through the rest of the chunk.
 */
class NextBar {
  private text = '';
  private from = 0;
  private at = 0;

  /** Index of the first `|` at or after `start` (the text's length when there is none). */
  find(text: string, start: number): number {
    if (start < this.from || start > this.at || text !== this.text) {
      const i = text.indexOf('|', start);
      this.at = i < 0 ? text.length : i;
      this.from = start;
      this.text = text;
    }
    return this.at;
  }
}

/** Where a trailing progress bar (`: 100%|███| 8/8 [...]`) starts, or `end` when there is none. */
function barTail(text: string, start: number, end: number, bars: NextBar): number {
  const bar = bars.find(text, start);
  if (bar >= end || !isProgressBar(text, bar, end)) return end;
  for (let colon = bar - 1; colon >= start; colon--) if (text.charCodeAt(colon) === 58 /* : */) return colon;
  return end;
}

/**
 * Whether the line whose first character that is not a blank stands at text[i] (a letter or `#`, as a
 * header's first is: `opens` looks) may be a header row, by a cheap look that `header` confirms: its first
 * gap (two blanks, or a tab) comes within MAX_CELL + 1 characters and before `stop`, a character no cell
 * holds (the line's first `:` or `|`) or the line's end. Most lines it is asked about are prose, words one space apart: every
 * other character is read, since one of two blanks in a row is always among them, and `tab` (the line's
 * first tab, or past its end) is found by the string's own search.
 */
function mayBeHeader(text: string, i: number, stop: number, tab: number): boolean {
  const last = Math.min(stop, i + MAX_CELL + 2);
  if (tab <= last) return true;
  for (let k = i + 1; k <= last; k += 2) {
    const c = text.charCodeAt(k);
    if (c === 32) {
      if (text.charCodeAt(k + 1) === 32 || text.charCodeAt(k - 1) === 32) return true;
    } else if (!isCellChar(c)) return false;
  }
  return false;
}

/** Index of the first character of text[i, end) that is not a blank (`end` when none). */
export function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** Reads a table's header and rows; the parser's line reader holds one. */
export class TableReader {
  /** Whether a header was read and the lines after it may be rows. */
  active = false;
  names: string[] = [];
  roles: number[] = [];
  /** Whether a row was read under the current header (a second header row then starts a new table). */
  private rows = 0;
  private headerLine = -1;
  /** The row last read: per column, its value (NaN: no value). */
  readonly values: number[] = [];
  private readonly nextTab = new NextChar('\t');
  private readonly nextBar = new NextBar();

  /**
   * Reads text[start, end) as a header row; true when it is one (three columns or more). A header row
   * right after another with as many columns continues its names (Vowpal Wabbit's two-row header).
   */
  header(text: string, start: number, end: number, line: number): boolean {
    let i = start;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    const first = text.charCodeAt(i);
    if (!isLetter(first) && first !== 35) return false;
    // Most lines are not headers: find the first character no header has (a `:` may start a bar's tail) before making any cell.
    let odd = i;
    let gaps = 0;
    let gapAt = i;
    for (; odd < end; odd++) {
      const c = text.charCodeAt(odd);
      const kind = c < 128 ? CELL_CLASS[c] : 0;
      if (kind === 2) {
        if (c === 9 || isBlank(text.charCodeAt(odd + 1))) {
          gaps++;
          gapAt = odd;
        }
      } else if (kind === 0) break;
      // A column name has at most MAX_CELL characters: prose has no gap in so many.
      else if (odd - gapAt > MAX_CELL) return false;
    }
    if (gaps === 0) return false;
    if (odd < end) {
      if (text.charCodeAt(odd) !== 58 /* : */) return false;
      const tail = barTail(text, odd, end, this.nextBar);
      if (tail !== odd) return false;
      end = odd;
    }
    const cells: string[] = [];
    while (i < end) {
      const a = i;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (isCellChar(c)) i++;
        else if (c === 32 && isCellChar(text.charCodeAt(i + 1)) && i + 1 < end) i++;
        else break;
      }
      if (i === a) return false;
      const c0 = text.charCodeAt(a);
      if (!isLetter(c0) && c0 !== 35 && c0 !== 40) return false;
      cells.push(text.slice(a, i));
      const gap = i;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i < end && i - gap < 2 && text.charCodeAt(gap) !== 9) return false;
    }
    if (cells.length < 3) return false;
    // `Box(P` and `mAP50-95)`: a group's parentheses are decoration.
    for (let k = 0; k < cells.length; k++) {
      let cell = cells[k]!;
      const open = cell.indexOf('(');
      if (open >= 0 && cell.indexOf(')', open) < 0) cell = cell.slice(open + 1);
      if (cell.endsWith(')') && !cell.includes('(')) cell = cell.slice(0, -1);
      cells[k] = cell;
    }
    if (this.active && this.rows === 0 && line === this.headerLine + 1) {
      // A second header row: its words continue the columns' names (words one space apart may be two columns: `predict features`).
      const words =
        cells.length === this.names.length
          ? cells
          : text
              .slice(start, end)
              .trim()
              .split(/[ \t]+/);
      if (words.length === this.names.length) {
        for (let k = 0; k < words.length; k++) this.names[k] = `${this.names[k]!} ${words[k]!}`;
        this.roles = this.names.map(columnRole);
        this.headerLine = line;
        return true;
      }
    }
    this.names = cells;
    this.roles = this.names.map(columnRole);
    this.active = true;
    this.rows = 0;
    this.headerLine = line;
    return true;
  }

  /**
   * `header` for a line without values, when its first character that is not a blank (at `first`, see
   * skipBlanks) is a letter or `#` and mayBeHeader lets it (`stop`: see there; `source` numbers the text, as
   * for NextChar).
   */
  opens(text: string, start: number, first: number, stop: number, end: number, line: number, source: number): boolean {
    const c = text.charCodeAt(first);
    if (!isLetter(c) && c !== 35) return false;
    return mayBeHeader(text, first, stop, this.nextTab.find(text, source, start)) && this.header(text, start, end, line);
  }

  /** Whether text[start, end) is blank or a rule (`---  ------`, `====`), which a table may hold. */
  isRule(text: string, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (!isBlank(c) && c !== 45 && c !== 61 && c !== 43 && c !== 124) return false;
    }
    return true;
  }

  /** Reads text[start, end) as a row of the current header into `values`; false when it is not one. */
  row(text: string, start: number, end: number): boolean {
    end = barTail(text, start, end, this.nextBar);
    const columns = this.names.length;
    const values = this.values;
    let i = start;
    let k = 0;
    for (;;) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) break;
      if (k >= columns) return false;
      const a = i;
      while (i < end && !isBlank(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(a);
      let value = NaN;
      if (isLetter(c)) {
        // A label (`all`) in the first column only.
        if (k > 0) return false;
      } else {
        const after = scanNumber(text, a, i, num);
        if (after < 0) return false;
        if (after === i && text.charCodeAt(i - 1) !== 37) value = num.value;
        else if (text.charCodeAt(after) === 47 /* / */ && isDigit(text.charCodeAt(after + 1)) && this.roles[k] === ROLE_EPOCH)
          value = num.value; // `1/3`
        else if (!isDigit(c) && c !== 45 && c !== 46) return false;
        // otherwise a time (`00:05`) or a value with a unit (`0.04s`, `2.47G`): no value
      }
      values[k++] = value;
    }
    if (k !== columns) return false;
    this.rows++;
    return true;
  }

  /** Whether column k gives a metric. */
  isMetric(k: number): boolean {
    return this.roles[k] === ROLE_METRIC;
  }

  end(): void {
    this.active = false;
  }
}

/**
 * Stable-Baselines3's box (`HumanOutputFormat`): a rule of dashes, rows `| rollout/ |  |` (a section)
 * and `|    ep_len_mean     | 23       |` (a value of the section: `rollout/ep_len_mean`), a closing
 * rule. The step (`total_timesteps`) is printed last, so the box's values are reported when it closes.
 */
export class BoxReader {
  /** The line of the rule that may open a box (-1: none). */
  ruleLine = -1;
  active = false;
  private section = '';
  readonly names: string[] = [];
  readonly values: number[] = [];
  readonly lines: number[] = [];

  /** Whether text[start, end) is a rule of dashes only (at least three). */
  isRule(text: string, start: number, end: number): boolean {
    let i = start;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    const a = i;
    while (i < end && text.charCodeAt(i) === 45) i++;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    return i === end && end - a >= 3;
  }

  /** Reads a row `| key | value |` (value may be empty: a section); false when the line is not one. */
  row(text: string, start: number, end: number, line: number): boolean {
    let i = start;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    let e = end;
    while (e > i && isBlank(text.charCodeAt(e - 1))) e--;
    if (text.charCodeAt(i) !== 124 || text.charCodeAt(e - 1) !== 124 || e - i < 3) return false;
    // The string's own search: both stop at the row's last `|` at the latest.
    const bar = text.indexOf('|', i + 1);
    if (bar >= e - 1 || text.indexOf('|', bar + 1) !== e - 1) return false;
    const key = text.slice(i + 1, bar).trim();
    const value = text.slice(bar + 1, e - 1).trim();
    if (key === '' || key.includes(' ')) return false;
    if (value === '') {
      this.section = key.endsWith('/') ? key : `${key}/`;
    } else {
      const after = scanNumber(value, 0, value.length, num);
      if (after === value.length) {
        this.names.push(this.section + key);
        this.values.push(num.value);
        this.lines.push(line);
      }
    }
    this.active = true;
    return true;
  }

  /** Forgets the box's values (after they were reported). */
  clear(): void {
    this.active = false;
    this.section = '';
    this.names.length = 0;
    this.values.length = 0;
    this.lines.length = 0;
  }
}
