/**
 * One value recognised in a terminal's output. `line` is the 1-based number of
 * the output line it came from (lines end at `\n`); `step` and `epoch` are as
 * the program printed them (Keras prints `Epoch 1/10` for its first epoch,
 * Lightning `Epoch 0`).
 */
export interface MetricRecord {
  name: string;
  value: number;
  step?: number;
  epoch?: number;
  line: number;
}

/** The built-in recognisers; each can be switched off. */
export type StdoutFormat = 'keyValue' | 'keyColon' | 'json' | 'pythonDict' | 'progressBar' | 'table';

/** Lightning's logger version in its bars, and the rank it prints at start. */
export const DEFAULT_IGNORED_NAMES: readonly string[] = ['v_num', 'LOCAL_RANK'];

export const STDOUT_FORMATS: readonly StdoutFormat[] = ['keyValue', 'keyColon', 'json', 'pythonDict', 'progressBar', 'table'];

/**
 * A user-defined metric line. The pattern is a JavaScript regular expression
 * (without slashes); a named group `value` (or, with a fixed `name`, the first
 * group) holds the number; a named group `name` holds the metric name unless
 * `name` is given; optional named groups `step` and `epoch`.
 */
export interface CustomPattern {
  pattern: string;
  name?: string;
  /** Extra RegExp flags such as `i`; `g` is always added. */
  flags?: string;
}

export interface StdoutParserOptions {
  customPatterns?: readonly CustomPattern[];
  /** Built-in formats to turn on or off; all are on by default. */
  formats?: Partial<Record<StdoutFormat, boolean>>;
  /** Names never reported as metrics; default DEFAULT_IGNORED_NAMES. */
  ignoreNames?: readonly string[];
  /** Report `nan` / `inf` values (a diverging loss is worth seeing); default true. */
  keepNonFinite?: boolean;
  /** Characters kept of one line; the rest of an endless line is dropped. Default 65536. */
  maxLineLength?: number;
  /**
   * Read a line shaped like a recent one (`loss=0.51` after `loss=0.52`) by
   * comparing its characters with that line's; default true. False reads
   * every line from scratch: the same records, more slowly (for tests and
   * benchmarks that compare the two).
   */
  rememberLineShapes?: boolean;
  /** Told why a custom pattern was switched off mid-run (it took too long on a line). */
  onWarning?: (message: string) => void;
  /** Milliseconds a custom pattern may take on one line; default PATTERN_BUDGET_MS. */
  patternBudgetMs?: number;
}

/** One literal per shape: adding step/epoch to a made object would cost a property store reallocation per record. */
export function makeRecord(name: string, value: number, step: number | undefined, epoch: number | undefined, line: number): MetricRecord {
  if (step === undefined) return epoch === undefined ? { name, value, line } : { name, value, epoch, line };
  return epoch === undefined ? { name, value, step, line } : { name, value, step, epoch, line };
}
