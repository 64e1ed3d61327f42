// Pure (no VS Code): the Runs table on the host. Rows are made from the cached run summaries, and the table's
// filter and sort are the core's (src/core/series/runsFilter.ts, runsTable.ts): one language, one cache.
import { FilterError, compileFilter, parseFilter } from '../../core/series/runsFilter';
import { cellOf, columnLabel, columnsOf, differingParams, sortRuns, type RunColumn } from '../../core/series/runsTable';
import type { RunSummary } from '../../core/series/runSummaries';
import type { FilterProblem, TableColumn, TableQueryMessage, TableRunRow } from '../../webviewProtocol/runViewProtocol';

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** A param as a cell, as `cellOf` reads it: numbers, text and booleans as they are, anything else as its JSON. */
function paramCell(v: unknown): string | number | boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A run's row: what every column of the table shows of it. */
export function tableRunRow(s: RunSummary, now: number): TableRunRow {
  const params: TableRunRow['params'] = {};
  for (const [k, v] of Object.entries(s.params)) {
    const cell = paramCell(v);
    if (cell !== undefined) params[k] = cell;
  }
  const metrics: TableRunRow['metrics'] = {};
  for (const [k, m] of Object.entries(s.metrics)) metrics[k] = [finite(m.last), finite(m.min), finite(m.max), Math.max(0, Math.floor(m.count) || 0)];
  const duration = cellOf(s, { kind: 'field', field: 'duration' }, now) as number;
  const row: TableRunRow = {
    id: s.id,
    name: s.name,
    status: String(s.status),
    startTime: s.startTime,
    duration: Number.isFinite(duration) ? Math.max(0, duration) : 0,
    command: s.command,
    params,
    metrics,
  };
  if (s.endTime !== undefined) row.endTime = s.endTime;
  if (s.git.branch !== undefined) row.branch = s.git.branch;
  if (s.git.commit !== undefined) row.commit = s.git.commit;
  if (s.git.dirty !== undefined) row.dirty = s.git.dirty;
  return row;
}

export function tableColumn(c: RunColumn): TableColumn {
  if (c.kind === 'field') return { key: columnLabel(c), kind: 'field', name: c.field };
  if (c.kind === 'param') return { key: columnLabel(c), kind: 'param', name: c.name };
  return { key: columnLabel(c), kind: 'metric', name: c.name, stat: c.stat };
}

export type TableQuery = Omit<TableQueryMessage, 'type' | 'requestId'>;

export const DEFAULT_QUERY: TableQuery = { filter: '', sort: { column: 'start', direction: 'desc' }, onlyDiffering: false };

export interface TableView {
  /** Indices into the runs, filtered and sorted. */
  order: number[];
  differing: string[] | null;
  error: FilterProblem | null;
  /** The filter the order is for: the query's, or the last one that read when the query's does not. */
  filter: string;
}

/** The keys of the columns whose cells are not all the same among `runs` (params as `differingParams` says). */
export function differingColumns(runs: readonly RunSummary[], columns: readonly RunColumn[], now: number): string[] {
  const params = new Set(differingParams(runs));
  const out: string[] = [];
  for (const c of columns) {
    if (c.kind === 'param') {
      if (params.has(c.name)) out.push(columnLabel(c));
      continue;
    }
    const first = runs.length > 0 ? cellOf(runs[0]!, c, now) : undefined;
    for (let i = 1; i < runs.length; i++) {
      const v = cellOf(runs[i]!, c, now);
      if (v !== first && !(Number.isNaN(v) && Number.isNaN(first))) {
        out.push(columnLabel(c));
        break;
      }
    }
  }
  return out;
}

/**
 * The table's rows for a query: the core's filter, then the core's sort by the column whose key (filter name) the
 * query gives. A filter that does not read gives its FilterError's position and text, and the rows of `lastGood`
 * (the last filter that read), so that typing `lr <` on the way to `lr < 0.01` does not flash every run.
 */
export function tableView(runs: readonly RunSummary[], query: TableQuery, lastGood: string, now: number): TableView {
  let kept: readonly RunSummary[] = runs;
  let error: FilterProblem | null = null;
  let filter = query.filter;
  const apply = (text: string): RunSummary[] => (text.trim() === '' ? [...runs] : runs.filter(compileFilter(parseFilter(text, runs), now)));
  try {
    kept = apply(filter);
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    error = { position: err.position, expected: err.expected };
    filter = lastGood;
    try {
      kept = apply(lastGood);
    } catch {
      // The last good filter names a column no run has any more.
      filter = '';
      kept = runs;
    }
  }
  const columns = columnsOf(runs);
  const column = query.sort && columns.find((c) => columnLabel(c) === query.sort!.column);
  const sorted = column ? sortRuns(kept, column, query.sort!.direction, now) : kept;
  const index = new Map<RunSummary, number>();
  runs.forEach((r, i) => index.set(r, i));
  return {
    order: sorted.map((r) => index.get(r)!),
    differing: query.onlyDiffering ? differingColumns(kept, columns, now) : null,
    error,
    filter,
  };
}

/**
 * What to send after a new listing: nothing when it is the same runs (the cache hands back the same summary for an
 * unchanged run.json), the changed rows when only some runs changed in place, else every row.
 */
export function rowsUpdate(
  before: readonly RunSummary[],
  after: readonly RunSummary[],
): { kind: 'same' } | { kind: 'changed'; indices: number[] } | { kind: 'all' } {
  if (before.length !== after.length) return { kind: 'all' };
  const indices: number[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    if (before[i]!.id !== after[i]!.id) return { kind: 'all' };
    indices.push(i);
  }
  if (indices.length === 0) return { kind: 'same' };
  // A changed run may bring a param or metric no run had: then the columns change, and every row goes again.
  for (const i of indices) {
    for (const k in after[i]!.params) if (!(k in before[i]!.params)) return { kind: 'all' };
    for (const k in after[i]!.metrics) if (!(k in before[i]!.metrics)) return { kind: 'all' };
  }
  return { kind: 'changed', indices };
}
