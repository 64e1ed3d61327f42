// The run views' messages (Run view, Compare Runs, Runs table), both directions, imported by the extension host
// (src/vscode/views) and the webview bundle (webview/charts, webview/runs). Everything from the webview goes through
// parseRunViewMessage before the host uses it, and everything from the host through parseHostMessage before the page
// draws it: run data comes from files anyone can put in a workspace, so strings are bounded and numbers checked here,
// and the page renders every one of them as text.
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

// ---- validation ------------------------------------------------------------------

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

export const LIMITS = {
  /** A metric or param name, a run id. */
  name: 2_000,
  text: 2_000,
  /** A command line, a run name, a param value. */
  long: 20_000,
  columns: 8_192,
  runs: 1_000,
  /** A PNG data URL (about 15 MB of image). */
  dataUrl: 20_000_000,
  /** Points in one slice: 4 per column, and a few more for the non-finite ones. */
  points: 4 * 8_192 + 2_048,
  tableRows: 200_000,
  /** Columns of the table: 10 fields, the params, 4 per metric. */
  tableColumns: 1_000_000,
} as const;

class Invalid extends Error {}

function fail(reason: string): never {
  throw new Invalid(reason);
}

function plainObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) fail(`${what} must be a plain object`);
  return value as Record<string, unknown>;
}

function keys(value: Record<string, unknown>, required: readonly string[], optional: readonly string[], what: string): void {
  const extra = Object.keys(value).filter((k) => !required.includes(k) && !optional.includes(k));
  if (extra.length > 0) fail(`${what} has unknown field${extra.length > 1 ? 's' : ''} ${extra.slice(0, 5).join(', ')}`);
  const missing = required.filter((k) => !(k in value));
  if (missing.length > 0) fail(`${what} lacks ${missing.join(', ')}`);
}

function str(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  if (value.length > max) fail(`${what} is longer than ${max} characters`);
  return value;
}

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${what} must be a finite number`);
  return value;
}

function int(value: unknown, min: number, max: number, what: string): number {
  const n = num(value, what);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${what} must be an integer from ${min} to ${max}`);
  return n;
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be true or false`);
  return value;
}

function list(value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value)) fail(`${what} must be a list`);
  if (value.length > max) fail(`${what} has more than ${max} items`);
  return value;
}

function xAxis(value: unknown): XAxis {
  if (!X_AXES.includes(value as XAxis)) fail(`x must be one of ${X_AXES.join(', ')}`);
  return value as XAxis;
}

function range(value: unknown): [number, number] {
  const r = list(value, 2, 'range');
  if (r.length !== 2) fail('range must be [from, to]');
  const from = num(r[0], 'range start');
  const to = num(r[1], 'range end');
  if (from > to) fail('range must not end before it starts');
  return [from, to];
}

/** A number or null (a gap); anything else is refused. */
function maybeNum(value: unknown, what: string): number | null {
  return value === null ? null : num(value, what);
}

/** Keys that must never become properties of an object built from a message. */
function safeKey(key: string, what: string): string {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') fail(`${what} has the forbidden key ${key}`);
  return str(key, LIMITS.name, `${what} key`);
}

function parseWebview(raw: unknown): RunViewMessage {
  const m = plainObject(raw, 'the message');
  switch (m.type) {
    case 'ready':
      keys(m, ['type'], [], 'ready');
      return { type: 'ready' };
    case 'query': {
      keys(m, ['type', 'requestId', 'metric', 'x', 'columns', 'smoothing'], ['range'], 'query');
      const smoothing = num(m.smoothing, 'smoothing');
      if (smoothing < 0 || smoothing >= 1) fail('smoothing must be in [0, 1)');
      const out: QueryMessage = {
        type: 'query',
        requestId: int(m.requestId, 0, Number.MAX_SAFE_INTEGER, 'requestId'),
        metric: str(m.metric, LIMITS.name, 'metric'),
        x: xAxis(m.x),
        columns: int(m.columns, 1, LIMITS.columns, 'columns'),
        smoothing,
      };
      if (m.range !== undefined) out.range = range(m.range);
      return out;
    }
    case 'exportCsv': {
      keys(m, ['type', 'metric', 'x'], ['range'], 'exportCsv');
      const out: ExportCsvMessage = { type: 'exportCsv', metric: str(m.metric, LIMITS.name, 'metric'), x: xAxis(m.x) };
      if (m.range !== undefined) out.range = range(m.range);
      return out;
    }
    case 'exportPng': {
      keys(m, ['type', 'metric', 'dataUrl'], [], 'exportPng');
      const dataUrl = str(m.dataUrl, LIMITS.dataUrl, 'dataUrl');
      if (!/^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(dataUrl)) fail('dataUrl must be a base64 PNG data URL');
      return { type: 'exportPng', metric: str(m.metric, LIMITS.name, 'metric'), dataUrl };
    }
    case 'openRun':
      keys(m, ['type', 'runId'], [], 'openRun');
      return { type: 'openRun', runId: str(m.runId, LIMITS.name, 'runId') };
    case 'compare':
      keys(m, ['type', 'runIds'], [], 'compare');
      return { type: 'compare', runIds: list(m.runIds, LIMITS.runs, 'runIds').map((id) => str(id, LIMITS.name, 'run id')) };
    case 'tableQuery': {
      keys(m, ['type', 'requestId', 'filter', 'onlyDiffering'], ['sort'], 'tableQuery');
      const out: TableQueryMessage = {
        type: 'tableQuery',
        requestId: int(m.requestId, 0, Number.MAX_SAFE_INTEGER, 'requestId'),
        filter: str(m.filter, LIMITS.text, 'filter'),
        onlyDiffering: bool(m.onlyDiffering, 'onlyDiffering'),
      };
      if (m.sort !== undefined) {
        const sort = plainObject(m.sort, 'sort');
        keys(sort, ['column', 'direction'], [], 'sort');
        if (sort.direction !== 'asc' && sort.direction !== 'desc') fail('sort direction must be asc or desc');
        out.sort = { column: str(sort.column, LIMITS.name, 'sort column'), direction: sort.direction };
      }
      return out;
    }
    case 'cspViolation':
      keys(m, ['type', 'directive', 'blocked'], [], 'cspViolation');
      return { type: 'cspViolation', directive: str(m.directive, LIMITS.text, 'directive'), blocked: str(m.blocked, LIMITS.text, 'blocked') };
    default:
      return fail(typeof m.type === 'string' ? `unknown message type "${m.type.slice(0, 40)}"` : 'the message has no type');
  }
}

function header(value: unknown): RunHeader {
  const h = plainObject(value, 'run');
  keys(h, ['id', 'name', 'status', 'command', 'startTime', 'params'], ['statusReason', 'endTime', 'exitCode', 'git'], 'run');
  const out: RunHeader = {
    id: str(h.id, LIMITS.name, 'run id'),
    name: str(h.name, LIMITS.long, 'run name'),
    status: str(h.status, LIMITS.name, 'status'),
    command: str(h.command, LIMITS.long, 'command'),
    startTime: num(h.startTime, 'startTime'),
    params: list(h.params, 100_000, 'params').map((p) => {
      const pair = list(p, 2, 'param');
      return [str(pair[0], LIMITS.name, 'param name'), str(pair[1], LIMITS.long, 'param value')] as [string, string];
    }),
  };
  if (h.statusReason !== undefined) out.statusReason = str(h.statusReason, LIMITS.long, 'statusReason');
  if (h.endTime !== undefined) out.endTime = num(h.endTime, 'endTime');
  if (h.exitCode !== undefined) out.exitCode = maybeNum(h.exitCode, 'exitCode');
  if (h.git !== undefined) {
    const g = plainObject(h.git, 'git');
    keys(g, [], ['branch', 'commit', 'dirty'], 'git');
    out.git = {};
    if (g.branch !== undefined) out.git.branch = str(g.branch, LIMITS.text, 'branch');
    if (g.commit !== undefined) out.git.commit = str(g.commit, LIMITS.text, 'commit');
    if (g.dirty !== undefined) out.git.dirty = bool(g.dirty, 'dirty');
  }
  return out;
}

function column(value: unknown, max: number, what: string): (number | null)[] {
  return list(value, max, what).map((v) => maybeNum(v, what));
}

function slice(value: unknown): SliceData {
  const s = plainObject(value, 'slice');
  keys(s, ['runId', 'xs', 'ys', 'inRange', 'total', 'extent', 'nonFinite'], ['smoothed'], 'slice');
  const xs = list(s.xs, LIMITS.points, 'xs').map((x) => num(x, 'x'));
  const ys = column(s.ys, LIMITS.points, 'ys');
  if (ys.length !== xs.length) fail('ys must be as long as xs');
  const out: SliceData = {
    runId: str(s.runId, LIMITS.name, 'runId'),
    xs,
    ys,
    inRange: int(s.inRange, 0, Number.MAX_SAFE_INTEGER, 'inRange'),
    total: int(s.total, 0, Number.MAX_SAFE_INTEGER, 'total'),
    extent: s.extent === null ? null : range(s.extent),
    nonFinite: list(s.nonFinite, 1_000, 'nonFinite').map((p) => {
      const pair = list(p, 2, 'non-finite point');
      const label = str(pair[1], 10, 'non-finite label');
      if (label !== 'NaN' && label !== 'Infinity' && label !== '-Infinity') fail('a non-finite label must be NaN, Infinity or -Infinity');
      return [num(pair[0], 'non-finite x'), label] as [number, string];
    }),
  };
  if (s.smoothed !== undefined) {
    out.smoothed = column(s.smoothed, LIMITS.points, 'smoothed');
    if (out.smoothed.length !== xs.length) fail('smoothed must be as long as xs');
  }
  return out;
}

function tableRunRow(value: unknown): TableRunRow {
  const r = plainObject(value, 'row');
  keys(r, ['id', 'name', 'status', 'startTime', 'duration', 'command', 'params', 'metrics'], ['endTime', 'branch', 'commit', 'dirty'], 'row');
  const params: TableRunRow['params'] = Object.create(null);
  for (const [k, v] of Object.entries(plainObject(r.params, 'params'))) {
    if (typeof v === 'number') params[safeKey(k, 'params')] = num(v, 'param');
    else if (typeof v === 'boolean') params[safeKey(k, 'params')] = v;
    else params[safeKey(k, 'params')] = str(v, LIMITS.long, 'param');
  }
  const metrics: TableRunRow['metrics'] = Object.create(null);
  for (const [k, v] of Object.entries(plainObject(r.metrics, 'metrics'))) {
    const four = list(v, 4, 'metric summary');
    if (four.length !== 4) fail('a metric summary must be [last, min, max, count]');
    metrics[safeKey(k, 'metrics')] = [
      maybeNum(four[0], 'last'),
      maybeNum(four[1], 'min'),
      maybeNum(four[2], 'max'),
      int(four[3], 0, Number.MAX_SAFE_INTEGER, 'count'),
    ];
  }
  const out: TableRunRow = {
    id: str(r.id, LIMITS.name, 'run id'),
    name: str(r.name, LIMITS.long, 'run name'),
    status: str(r.status, LIMITS.name, 'status'),
    startTime: num(r.startTime, 'startTime'),
    duration: num(r.duration, 'duration'),
    command: str(r.command, LIMITS.long, 'command'),
    params,
    metrics,
  };
  if (r.endTime !== undefined) out.endTime = num(r.endTime, 'endTime');
  if (r.branch !== undefined) out.branch = str(r.branch, LIMITS.text, 'branch');
  if (r.commit !== undefined) out.commit = str(r.commit, LIMITS.text, 'commit');
  if (r.dirty !== undefined) out.dirty = bool(r.dirty, 'dirty');
  return out;
}

function tableColumn(value: unknown): TableColumn {
  const c = plainObject(value, 'column');
  keys(c, ['key', 'kind', 'name'], ['stat'], 'column');
  if (!TABLE_COLUMN_KINDS.includes(c.kind as TableColumn['kind'])) fail(`a column kind must be one of ${TABLE_COLUMN_KINDS.join(', ')}`);
  const out: TableColumn = { key: str(c.key, LIMITS.name, 'column key'), kind: c.kind as TableColumn['kind'], name: str(c.name, LIMITS.name, 'column name') };
  if (c.stat !== undefined) {
    if (!METRIC_STAT_NAMES.includes(c.stat as NonNullable<TableColumn['stat']>)) fail(`a column stat must be one of ${METRIC_STAT_NAMES.join(', ')}`);
    out.stat = c.stat as NonNullable<TableColumn['stat']>;
  }
  return out;
}

const VIEW_KINDS: readonly ViewKind[] = ['run', 'compare', 'table'];

function parseHost(raw: unknown): HostMessage {
  const m = plainObject(raw, 'the message');
  switch (m.type) {
    case 'init':
      keys(m, ['type', 'kind'], [], 'init');
      if (!VIEW_KINDS.includes(m.kind as ViewKind)) fail('kind must be run, compare or table');
      return { type: 'init', kind: m.kind as ViewKind };
    case 'runs':
      keys(m, ['type', 'runs'], [], 'runs');
      return { type: 'runs', runs: list(m.runs, LIMITS.runs, 'runs').map(header) };
    case 'metrics':
      keys(m, ['type', 'metrics'], [], 'metrics');
      return {
        type: 'metrics',
        metrics: list(m.metrics, 1_000_000, 'metrics').map((v) => {
          const e = plainObject(v, 'metric');
          keys(e, ['name', 'counts'], [], 'metric');
          const counts: Record<string, number> = Object.create(null);
          for (const [k, c] of Object.entries(plainObject(e.counts, 'counts'))) counts[safeKey(k, 'counts')] = int(c, 0, Number.MAX_SAFE_INTEGER, 'count');
          return { name: str(e.name, LIMITS.name, 'metric name'), counts };
        }),
      };
    case 'series':
      keys(m, ['type', 'requestId', 'metric', 'x', 'slices'], [], 'series');
      return {
        type: 'series',
        requestId: int(m.requestId, 0, Number.MAX_SAFE_INTEGER, 'requestId'),
        metric: str(m.metric, LIMITS.name, 'metric'),
        x: xAxis(m.x),
        slices: list(m.slices, LIMITS.runs, 'slices').map(slice),
      };
    case 'changed':
      keys(m, ['type', 'metrics'], [], 'changed');
      return { type: 'changed', metrics: list(m.metrics, 1_000_000, 'metrics').map((n) => str(n, LIMITS.name, 'metric name')) };
    case 'notices':
      keys(m, ['type', 'notices'], [], 'notices');
      return {
        type: 'notices',
        notices: list(m.notices, 100, 'notices').map((v) => {
          const n = plainObject(v, 'notice');
          keys(n, ['level', 'text'], [], 'notice');
          if (n.level !== 'info' && n.level !== 'warning' && n.level !== 'error') fail('a notice level must be info, warning or error');
          return { level: n.level, text: str(n.text, LIMITS.long, 'notice') };
        }),
      };
    case 'tableRows': {
      keys(m, ['type', 'generation', 'first', 'total', 'rows'], ['columns'], 'tableRows');
      const out: TableRowsMessage = {
        type: 'tableRows',
        generation: int(m.generation, 0, Number.MAX_SAFE_INTEGER, 'generation'),
        first: int(m.first, 0, LIMITS.tableRows, 'first'),
        total: int(m.total, 0, LIMITS.tableRows, 'total'),
        rows: list(m.rows, LIMITS.tableRows, 'rows').map(tableRunRow),
      };
      if (out.first + out.rows.length > out.total) fail('rows must not go past total');
      if (m.columns !== undefined) out.columns = list(m.columns, LIMITS.tableColumns, 'columns').map(tableColumn);
      return out;
    }
    case 'tableRowsChanged':
      keys(m, ['type', 'generation', 'changed'], [], 'tableRowsChanged');
      return {
        type: 'tableRowsChanged',
        generation: int(m.generation, 0, Number.MAX_SAFE_INTEGER, 'generation'),
        changed: list(m.changed, LIMITS.tableRows, 'changed').map((v) => {
          const pair = list(v, 2, 'changed row');
          return [int(pair[0], 0, LIMITS.tableRows - 1, 'row index'), tableRunRow(pair[1])] as [number, TableRunRow];
        }),
      };
    case 'tableView': {
      keys(m, ['type', 'generation', 'requestId', 'order', 'differing', 'error'], [], 'tableView');
      let error: FilterProblem | null = null;
      if (m.error !== null) {
        const e = plainObject(m.error, 'error');
        keys(e, ['position', 'expected'], [], 'error');
        error = { position: int(e.position, 0, LIMITS.text, 'error position'), expected: str(e.expected, LIMITS.long, 'error text') };
      }
      return {
        type: 'tableView',
        generation: int(m.generation, 0, Number.MAX_SAFE_INTEGER, 'generation'),
        requestId: int(m.requestId, 0, Number.MAX_SAFE_INTEGER, 'requestId'),
        order: list(m.order, LIMITS.tableRows, 'order').map((i) => int(i, 0, LIMITS.tableRows - 1, 'row index')),
        differing: m.differing === null ? null : list(m.differing, LIMITS.tableColumns, 'differing').map((k) => str(k, LIMITS.name, 'column key')),
        error,
      };
    }
    case 'exported':
      keys(m, ['type', 'ok', 'message'], [], 'exported');
      return { type: 'exported', ok: bool(m.ok, 'ok'), message: str(m.message, LIMITS.long, 'message') };
    default:
      return fail(typeof m.type === 'string' ? `unknown message type "${m.type.slice(0, 40)}"` : 'the message has no type');
  }
}

function parsed<T>(parse: (raw: unknown) => T, raw: unknown): Parsed<T> {
  try {
    return { ok: true, message: parse(raw) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}

/** The host's check of what the webview sends: anything unknown or malformed is refused with a reason. */
export function parseRunViewMessage(raw: unknown): Parsed<RunViewMessage> {
  return parsed(parseWebview, raw);
}

/** The page's check of what the host sends: run data is untrusted, so it is checked before it is drawn. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parsed(parseHost, raw);
}

/** JSON has no NaN: a gap travels as null. */
export function toJsonColumn(values: Float64Array): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number.isFinite(values[i]!) ? values[i]! : null;
  return out;
}

export function nonFiniteLabel(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}
