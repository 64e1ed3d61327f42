// The run views' messages checked on arrival (runViewProtocol.ts has their shapes): everything from the webview
// goes through parseRunViewMessage before the host uses it, and everything from the host through parseHostMessage
// before the page draws it. Run data comes from files anyone can put in a workspace: strings are bounded and numbers
// checked here, and the page renders every one of them as text.
import type { XAxis } from '../core/series/api';
import { bool, fail, forbiddenKey, int, keys, list, num, parsed, plainObject, str, type Parsed } from './messageChecks';
import {
  METRIC_STAT_NAMES,
  TABLE_COLUMN_KINDS,
  X_AXES,
  type ExportCsvMessage,
  type FilterProblem,
  type HostMessage,
  type QueryMessage,
  type RunHeader,
  type RunViewMessage,
  type SliceData,
  type TableColumn,
  type TableQueryMessage,
  type TableRowsMessage,
  type TableRunRow,
  type ViewKind,
} from './runViewProtocol';

export type { Parsed };

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
  if (forbiddenKey(key)) fail(`${what} has the forbidden key ${key}`);
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

/** The host's check of what the webview sends: anything unknown or malformed is refused with a reason. */
export function parseRunViewMessage(raw: unknown): Parsed<RunViewMessage> {
  return parsed(parseWebview, raw);
}

/** The page's check of what the host sends: run data is untrusted, so it is checked before it is drawn. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parsed(parseHost, raw);
}
