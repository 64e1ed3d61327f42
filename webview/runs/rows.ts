// Pure (no DOM): how the Runs table shows what the host sends. Filtering and sorting are the host's (the core's
// language, src/core/series/runsFilter.ts); here are only cells, headers and the rows in view.
import type { TableColumn, TableRunRow } from '../../src/webviewProtocol/runViewProtocol';
import { formatDuration, formatNumber } from '../charts/chartModel';

export type CellValue = string | number | boolean | null | undefined;

/** Columns hidden until the column chooser shows them. */
export const DEFAULT_HIDDEN_COLUMNS = ['end', 'id'];

const STATS = { last: 0, min: 1, max: 2, count: 3 } as const;
const FIELDS = new Set(['name', 'status', 'start', 'end', 'duration', 'command', 'branch', 'commit', 'dirty', 'id']);
/** A name the filter reads without backquotes (runsFilter.ts's NAME_START and NAME_PART), that is not a keyword. */
const BARE = /^[A-Za-z_][A-Za-z0-9_./:@-]*$/;
const KEYWORDS = new Set(['and', 'or', 'not']);

/** A row's value in a column (`undefined` when the run has none). */
export function cellValue(row: TableRunRow, c: TableColumn): CellValue {
  if (c.kind === 'param') return row.params[c.name];
  if (c.kind === 'metric') return row.metrics[c.name]?.[STATS[c.stat ?? 'last']];
  switch (c.name) {
    case 'name':
      return row.name;
    case 'status':
      return row.status;
    case 'start':
      return row.startTime;
    case 'end':
      return row.endTime;
    case 'duration':
      return row.duration;
    case 'command':
      return row.command;
    case 'branch':
      return row.branch;
    case 'commit':
      return row.commit;
    case 'dirty':
      return row.dirty;
    case 'id':
      return row.id;
    default:
      return undefined;
  }
}

/** A cell as text: times as local dates, durations in words, numbers short, a commit's first 8 characters. */
export function cellText(row: TableRunRow, c: TableColumn): string {
  const v = cellValue(row, c);
  if (v === undefined) return '';
  if (c.kind === 'field') {
    if (c.name === 'start' || c.name === 'end') return new Date(v as number).toLocaleString();
    if (c.name === 'duration') return formatDuration((v as number) * 1000);
    if (c.name === 'commit') return String(v).slice(0, 8);
    if (c.name === 'dirty') return v ? 'yes' : 'no';
  }
  // A metric's value that is not finite travels as null.
  if (v === null) return '–';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

/** Right-aligned: numbers. */
export function isNumeric(row: TableRunRow, c: TableColumn): boolean {
  if (c.kind === 'field') return c.name === 'duration';
  return c.kind === 'metric' || typeof cellValue(row, c) === 'number';
}

/** A column's header: its name as a filter spells it (a param without `params.` unless a field has its name). */
export function headerText(c: TableColumn): string {
  if (c.kind === 'field') return c.name;
  const name = c.kind === 'param' ? (FIELDS.has(c.name) ? `params.${c.name}` : c.name) : `${c.name}.${c.stat ?? 'last'}`;
  return BARE.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : `\`${name}\``;
}

/** The columns to draw: those not hidden in the chooser and, with "only columns that differ", those that differ (name and status stay). */
export function shownColumns(columns: readonly TableColumn[], hidden: ReadonlySet<string>, differing: ReadonlySet<string> | null): TableColumn[] {
  return columns.filter((c) => !hidden.has(c.key) && (!differing || c.key === 'name' || c.key === 'status' || differing.has(c.key)));
}

/** A click on a header: the other direction on the sorted column; a new column ascending, times newest first. */
export function nextSort(
  current: { column: string; direction: 'asc' | 'desc' } | undefined,
  column: TableColumn,
): { column: string; direction: 'asc' | 'desc' } {
  if (current?.column === column.key) return { column: column.key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column: column.key, direction: column.kind === 'field' && (column.name === 'start' || column.name === 'end') ? 'desc' : 'asc' };
}

/** The rows to draw for a scroll position: only those in view, and a few more on each side. */
export function visibleWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): { first: number; last: number } {
  const first = Math.min(total, Math.max(0, Math.floor(scrollTop / rowHeight) - overscan));
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}
