import { keyRole, ROLE_EPOCH, ROLE_METRIC, ROLE_STEP } from './keys';
import { NamedList } from './namedList';
import type { NextChar } from './nextChar';
import { BoxReader, skipBlanks, TableReader } from './table';

/** Where the values of a block go: the line reader's records, with its step and epoch state. */
export interface BlockSink {
  currentEpoch: number | undefined;
  record(name: string, value: number, step: number | undefined, epoch: number | undefined, line: number): void;
  /** The step of a line with values (see StepCarry). */
  stepOf(step: number | undefined, keepsOwn: boolean, line: number): number | undefined;
  /** After the records of a line whose step stepOf gave. */
  carried(): void;
}

/**
 * The forms that span lines: a table (a header, then rows), Stable-Baselines3's box (a rule, rows, a
 * rule) and detectron2's lists of names then values. A line is read as part of an open block first; a
 * line that gave no value may open one.
 */
export class Blocks {
  private readonly box = new BoxReader();
  private readonly table = new TableReader();
  private readonly list = new NamedList();

  /** `nextBar`: the line reader's search for `|`, shared so that a chunk is searched once. */
  constructor(
    private readonly sink: BlockSink,
    private readonly nextBar: NextChar,
  ) {}

  /** Whether a box or a table is open, or the line before was a rule a box may start with: `line` goes to readIn first. */
  open(line: number): boolean {
    return this.box.active || this.box.ruleLine === line - 1 || this.table.active;
  }

  /** A line while a box or a table is open (or right after a rule): true when it was read as part of it. */
  readIn(text: string, start: number, end: number, line: number): boolean {
    const box = this.box;
    if (box.active || box.ruleLine === line - 1) {
      if (box.row(text, start, end, line)) return true;
      if (box.active) {
        this.readBox(line);
        if (box.isRule(text, start, end)) {
          box.ruleLine = line;
          return true;
        }
      }
      box.ruleLine = -1;
    }
    const table = this.table;
    if (table.active) {
      if (this.readRow(text, start, end, line) || table.isRule(text, start, end) || table.header(text, start, end, line)) return true;
      table.end();
    }
    return false;
  }

  /**
   * A line that gave no value: it may open a box (a rule), a table (a header) or a list of names. `eq` and
   * `colon`: the line's first `=` and `:` (-1: none), which rule out most forms at no cost; `from`: where
   * the line's message starts, after a logging prefix.
   */
  readOpening(text: string, start: number, end: number, line: number, source: number, eq: number, colon: number, from: number): void {
    if (eq >= 0) return;
    if (colon < 0) {
      const first = skipBlanks(text, start, end);
      // A rule starts with a dash, a header with a letter or `#`.
      if (text.charCodeAt(first) === 45 /* - */) {
        if (this.box.isRule(text, first, end)) this.box.ruleLine = line;
      } else this.table.opens(text, start, first, end, end, line, source);
    } else {
      const bar = this.nextBar.find(text, source, start);
      if (!(bar < end && this.table.opens(text, start, skipBlanks(text, start, end), Math.min(colon, bar), end, line, source)))
        this.readNamedList(text, from, end, line, colon);
    }
  }

  /** Reports the values of the box that just closed, with its step (`total_timesteps`, printed last). */
  private readBox(line: number): void {
    const box = this.box;
    const sink = this.sink;
    let step: number | undefined;
    for (let k = 0; k < box.names.length; k++) if (keyRole(box.names[k]!) === ROLE_STEP) step = box.values[k];
    const s = sink.stepOf(step, true, line);
    for (let k = 0; k < box.names.length; k++) {
      const name = box.names[k]!;
      if (keyRole(name) === ROLE_METRIC) sink.record(name, box.values[k]!, s, sink.currentEpoch, box.lines[k]!);
    }
    sink.carried();
    box.clear();
  }

  /** detectron2's `copypaste:` lines (see NamedList); no step (a summary). */
  private readNamedList(text: string, from: number, end: number, line: number, colon: number): void {
    const list = this.list;
    if (!list.read(text, from, end, line, colon)) return;
    for (let k = 0; k < list.values.length; k++) this.sink.record(list.names[k]!, list.values[k]!, undefined, this.sink.currentEpoch, line);
  }

  /** Reads a row of the current table; false when the line is not one. */
  private readRow(text: string, start: number, end: number, line: number): boolean {
    const table = this.table;
    const sink = this.sink;
    if (!table.row(text, start, end)) return false;
    const values = table.values;
    const roles = table.roles;
    let step: number | undefined;
    for (let k = 0; k < roles.length; k++) {
      const v = values[k]!;
      if (Number.isNaN(v)) continue;
      if (roles[k] === ROLE_STEP) step = v;
      else if (roles[k] === ROLE_EPOCH) sink.currentEpoch = v;
    }
    const s = sink.stepOf(step, true, line);
    for (let k = 0; k < roles.length; k++) {
      const v = values[k]!;
      if (table.isMetric(k) && !Number.isNaN(v)) sink.record(table.names[k]!, v, s, sink.currentEpoch, line);
    }
    sink.carried();
    return true;
  }
}
