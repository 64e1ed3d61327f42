import { scanHeaderNumber } from './headerNumber';
import { isSpace } from './nameChars';
import type { NumberSlot } from './numbers';

/**
 * The step of a line with values: its own; or, for a line of `name: value` pairs (not a dict, JSON or
 * a bar: `keepsOwn` false) with neither step nor epoch of its own right after a line that had a step
 * (or took one), that line's (MLPClassifier's `Validation score:` after `Iteration 3, loss = ...`: one
 * report over two lines), or right after a line that is nothing but a step (`step: 12`, which Guild AI's
 * output scalars take as the step of the values printed after it).
 */
export class StepCarry {
  /** The step of the last line with records that had one, and the line it last went to. */
  private carryStep: number | undefined;
  private carryLine = -1;
  /** What `of` last gave, for which line, and how many records there were before that line's. */
  private value: number | undefined;
  private line = -1;
  private from = 0;

  /** The step for the records of `line`; `records`: how many records were made before them. */
  of(step: number | undefined, keepsOwn: boolean, line: number, records: number): number | undefined {
    this.from = records;
    this.line = line;
    if (step !== undefined) return (this.value = step);
    return (this.value = keepsOwn || line !== this.carryLine + 1 ? undefined : this.carryStep);
  }

  /** A line that is nothing but a step: the lines of pairs right after it take it (and pass it on). */
  alone(step: number, line: number): void {
    this.carryStep = step;
    this.carryLine = line;
  }

  /** After the records of the line `of` was asked about (`records`: how many there are now): a line that gave records with a step passes it on. */
  passOn(records: number): void {
    if (this.value !== undefined && records > this.from) {
      this.carryStep = this.value;
      this.carryLine = this.line;
    }
  }
}

/**
 * The `(step 10)` that ends text[from, end), as Guild AI's output scalars read `val_loss: 0.71 (step 10)`:
 * where its number starts (its value in `out`, read as a header's step is, so that a remembered line
 * shape reads it alike; the number ends before the `)`), or -1.
 */
export function trailingStep(text: string, from: number, end: number, out: NumberSlot): number {
  let close = end - 1;
  while (close > from && (isSpace(text.charCodeAt(close)) || text.charCodeAt(close) === 13)) close--;
  if (text.charCodeAt(close) !== 41 /* ) */) return -1;
  let open = close - 1;
  while (open > from && close - open < 40 && text.charCodeAt(open) !== 40 /* ( */) open--;
  if (text.charCodeAt(open) !== 40 || (text.charCodeAt(open + 1) | 0x20) !== 115 || (text.charCodeAt(open + 2) | 0x20) !== 116) return -1; // st
  if ((text.charCodeAt(open + 3) | 0x20) !== 101 || (text.charCodeAt(open + 4) | 0x20) !== 112) return -1; // ep
  let at = open + 5;
  if (!isSpace(text.charCodeAt(at))) return -1;
  while (isSpace(text.charCodeAt(at))) at++;
  return scanHeaderNumber(text, at, close, out) === close ? at : -1;
}
