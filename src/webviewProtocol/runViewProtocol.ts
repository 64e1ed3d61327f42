// The run views' messages (Run view, Compare Runs, Runs table), both directions, imported by the extension host
// (src/vscode/views) and the webview bundle (webview/charts, webview/runs): their shapes. runViewParse.ts checks
// each on arrival, in both directions.
import type { XAxis } from '../core/series/api';

export const X_AXES: readonly XAxis[] = ['step', 'relative', 'wall'];

/** What the page shows of one run: its header, never its environment. */
export interface RunHeader {
  id: string;
  name: string;
  status: string;
  statusReason?: string;
  command: string;
  startTime: number;
  /** Absent while the run goes on. */
  endTime?: number;
  exitCode?: number | null;
  git?: { branch?: string; commit?: string; dirty?: boolean };
  /** Param values as text, in the run's order. */
  params: [string, string][];
}

/** One metric as the grid lists it: points per run, by run id. */
export interface MetricInfo {
  name: string;
  counts: Record<string, number>;
}

/** One run's part of a chart: JSON-safe columns, `null` for a gap (a value that is not finite). */
export interface SliceData {
  runId: string;
  xs: number[];
  ys: (number | null)[];
  smoothed?: (number | null)[];
  inRange: number;
  total: number;
  extent: [number, number] | null;
  /** Non-finite values in range, named in the hover: [x, 'NaN' | 'Infinity' | '-Infinity']. */
  nonFinite: [number, string][];
}

/** A notice above the charts: a torn or damaged log, a run that is gone. */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** One run of the Runs table, as the table's columns read it (src/core/series/runsTable.ts, `cellOf`). */
export interface TableRunRow {
  id: string;
  name: string;
  status: string;
  startTime: number;
  endTime?: number;
  /** Seconds, up to now for a run still going: what `duration > 60` in a filter compares. */
  duration: number;
  command: string;
  branch?: string;
  commit?: string;
  dirty?: boolean;
  /** Param values as cells: numbers, text and booleans as they are, anything else as its JSON. */
  params: Record<string, string | number | boolean>;
  /** Per metric: [last, min, max, count]; null where a value is not finite. */
  metrics: Record<string, [number | null, number | null, number | null, number]>;
}

export const TABLE_COLUMN_KINDS = ['field', 'param', 'metric'] as const;
export const METRIC_STAT_NAMES = ['last', 'min', 'max', 'count'] as const;

/** A column of the Runs table; `key` is its name in the filter language (`status`, `params.lr`, `train/loss.last`). */
export interface TableColumn {
  key: string;
  kind: (typeof TABLE_COLUMN_KINDS)[number];
  /** The field's, param's or metric's name. */
  name: string;
  stat?: (typeof METRIC_STAT_NAMES)[number];
}

/** A filter that does not read: where (0-based, in the filter's text) and what was expected there. */
export interface FilterProblem {
  position: number;
  expected: string;
}

// ---- extension host → webview ----------------------------------------------------

/** Which page the bundle draws: a run's charts (one run), a comparison (several) or the table. */
export type ViewKind = 'run' | 'compare' | 'table';

export interface InitMessage {
  type: 'init';
  kind: ViewKind;
}

/** The runs shown, in legend order (colours follow this order); sent again when a header changes (status, name). */
export interface RunsMessage {
  type: 'runs';
  runs: RunHeader[];
}

export interface MetricsMessage {
  type: 'metrics';
  metrics: MetricInfo[];
}

export interface SeriesMessage {
  type: 'series';
  requestId: number;
  metric: string;
  x: XAxis;
  slices: SliceData[];
}

/** New points were stored for these metrics: charts that show them ask again. */
export interface ChangedMessage {
  type: 'changed';
  metrics: string[];
}

export interface NoticesMessage {
  type: 'notices';
  notices: Notice[];
}

/**
 * Every run of the table, newest first, sent when the list of runs changes, in chunks of TABLE_CHUNK rows (10,000
 * runs are megabytes of rows: one message would hold the page for the time it takes to check them all).
 */
export interface TableRowsMessage {
  type: 'tableRows';
  /** Counts the row sets sent; a TableViewMessage's indices are into the set of its generation. */
  generation: number;
  /** The index of this chunk's first row, and how many rows the set has. */
  first: number;
  total: number;
  /** Every column the runs have: with the first chunk only. */
  columns?: TableColumn[];
  rows: TableRunRow[];
}

export const TABLE_CHUNK = 1_000;

/** Some runs changed (a tracked run's metrics), the list and the columns did not: rows replaced in place. */
export interface TableRowsChangedMessage {
  type: 'tableRowsChanged';
  /** The generation these changes make; the page has the one before it. */
  generation: number;
  changed: [number, TableRunRow][];
}

/** The answer to a TableQueryMessage (or the same query again after the runs changed): the rows to show, in order. */
export interface TableViewMessage {
  type: 'tableView';
  generation: number;
  requestId: number;
  /** Indices into the rows of `generation`, filtered and sorted. */
  order: number[];
  /** With "only columns that differ": the keys of the columns whose values differ among the rows shown. */
  differing: string[] | null;
  /** The filter does not read: `order` is that of the last filter that did. */
  error: FilterProblem | null;
}

/** The result of an export: where it went, or why it did not. */
export interface ExportedMessage {
  type: 'exported';
  ok: boolean;
  message: string;
}

export type HostMessage =
  | InitMessage
  | RunsMessage
  | MetricsMessage
  | SeriesMessage
  | ChangedMessage
  | NoticesMessage
  | TableRowsMessage
  | TableRowsChangedMessage
  | TableViewMessage
  | ExportedMessage;

// ---- webview → extension host ----------------------------------------------------

export interface ReadyMessage {
  type: 'ready';
}

/** One chart's data: `metric` over `range` (the whole series when absent) at `columns` pixel columns, for every run of the view. */
export interface QueryMessage {
  type: 'query';
  requestId: number;
  metric: string;
  x: XAxis;
  range?: [number, number];
  columns: number;
  smoothing: number;
}

/** Every stored point of `metric` in `range`, at full resolution, for every run of the view, as a CSV file. */
export interface ExportCsvMessage {
  type: 'exportCsv';
  metric: string;
  x: XAxis;
  range?: [number, number];
}

/** A chart's canvas as a PNG data URL. */
export interface ExportPngMessage {
  type: 'exportPng';
  metric: string;
  dataUrl: string;
}

/** Table → host: open a run's view, or compare runs. */
export interface OpenRunMessage {
  type: 'openRun';
  runId: string;
}

export interface CompareMessage {
  type: 'compare';
  runIds: string[];
}

/** Table → host: the rows to show; the host filters and sorts its cached run summaries and answers with a TableViewMessage. */
export interface TableQueryMessage {
  type: 'tableQuery';
  requestId: number;
  /** In the filter language (README, "Runs table filter"); blank keeps every run. */
  filter: string;
  /** A column's key; absent: newest first. */
  sort?: { column: string; direction: 'asc' | 'desc' };
  onlyDiffering: boolean;
}

export interface CspViolationMessage {
  type: 'cspViolation';
  directive: string;
  blocked: string;
}

export type RunViewMessage =
  | ReadyMessage
  | QueryMessage
  | ExportCsvMessage
  | ExportPngMessage
  | OpenRunMessage
  | CompareMessage
  | TableQueryMessage
  | CspViolationMessage;

/** JSON has no NaN: a gap travels as null. */
export function toJsonColumn(values: Float64Array): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number.isFinite(values[i]!) ? values[i]! : null;
  return out;
}

export function nonFiniteLabel(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}
