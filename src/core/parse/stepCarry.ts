/**
 * The step of a line with values: its own; or, for a line of `name: value` pairs (not a dict, JSON or
 * a bar: `keepsOwn` false) with neither step nor epoch of its own right after a line that had a step
 * (or took one), that line's (MLPClassifier's `Validation score:` after `Iteration 3, loss = ...`: one
 * report over two lines).
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

  /** After the records of the line `of` was asked about (`records`: how many there are now): a line that gave records with a step passes it on. */
  passOn(records: number): void {
    if (this.value !== undefined && records > this.from) {
      this.carryStep = this.value;
      this.carryLine = this.line;
    }
  }
}
