// Pure (no DOM): the Runs table's columns, the value each cell shows, sorting, filtering and "only columns that differ".
import type { TableRow } from '../../src/webviewProtocol/runViewProtocol';
import { formatDuration, formatNumber } from '../charts/chartModel';
import { parseFilter, type FieldValue } from './filter';

export interface Column {
  key: string;
  label: string;
  group: 'run' | 'param' | 'metric';
  numeric: boolean;
  value(row: TableRow): FieldValue;
}

const STAT = ['last', 'min', 'max'] as const;

export const RUN_COLUMNS: Column[] = [
  { key: 'name', label: 'Name', group: 'run', numeric: false, value: (r) => r.name },
  { key: 'status', label: 'Status', group: 'run', numeric: false, value: (r) => r.status },
  { key: 'start', label: 'Start', group: 'run', numeric: true, value: (r) => r.startTime },
  { key: 'duration', label: 'Duration', group: 'run', numeric: true, value: (r) => r.duration },
  { key: 'command', label: 'Command', group: 'run', numeric: false, value: (r) => r.command },
  { key: 'git', label: 'Git', group: 'run', numeric: false, value: (r) => r.git },
];

/** Every column the rows have: the run's own, then each param, then each metric's last, min and max. */
export function allColumns(rows: readonly TableRow[]): Column[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const r of rows) {
    for (const k in r.params) params.add(k);
    for (const k in r.metrics) metrics.add(k);
  }
  const out = [...RUN_COLUMNS];
  for (const p of [...params].sort())
    out.push({ key: `param:${p}`, label: p, group: 'param', numeric: rows.some((r) => typeof r.params[p] === 'number'), value: (r) => r.params[p] });
  for (const m of [...metrics].sort())
    STAT.forEach((stat, i) => out.push({ key: `metric:${m}:${stat}`, label: `${m} ${stat}`, group: 'metric', numeric: true, value: (r) => r.metrics[m]?.[i] }));
  return out;
}

/** The text of a cell. */
export function cellText(column: Column, row: TableRow): string {
  const v = column.value(row);
  if (v === undefined || v === null) return '';
  if (column.key === 'start') return new Date(v as number).toLocaleString();
  if (column.key === 'duration') return formatDuration(v as number);
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

/** Columns whose value is not the same in every row (a value some rows lack differs); the run's name and status always stay. */
export function differingColumns(columns: readonly Column[], rows: readonly TableRow[]): Column[] {
  return columns.filter((c) => {
    if (c.key === 'name' || c.key === 'status') return true;
    if (rows.length < 2) return true;
    const first = c.value(rows[0]!);
    return rows.some((r) => c.value(r) !== first);
  });
}

/** A field the filter names: a run field, a param, a metric's last value or `<metric>.min|max|last`. */
export function fieldOf(row: TableRow, name: string): FieldValue {
  switch (name.toLowerCase()) {
    case 'name':
      return row.name;
    case 'status':
      return row.status;
    case 'command':
      return row.command;
    case 'git':
      return row.git;
    case 'id':
      return row.id;
    case 'start':
      return row.startTime;
    case 'duration':
      return row.duration / 1000;
  }
  if (Object.hasOwn(row.params, name)) return row.params[name];
  if (Object.hasOwn(row.metrics, name)) return row.metrics[name]![0];
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const stat = STAT.indexOf(name.slice(dot + 1) as (typeof STAT)[number]);
    const metric = name.slice(0, dot);
    if (stat >= 0 && Object.hasOwn(row.metrics, metric)) return row.metrics[metric]![stat];
  }
  return undefined;
}

/** The rows the filter keeps, in the order asked; throws a FilterError on a filter that does not parse. */
export function viewRows(
  rows: readonly TableRow[],
  filterText: string,
  sort: { key: string; descending: boolean } | undefined,
  columns: readonly Column[],
): TableRow[] {
  const filter = parseFilter(filterText);
  const kept = filterText.trim() ? rows.filter((r) => filter((name) => fieldOf(r, name), `${r.name}\n${r.command}\n${r.id}`.toLowerCase())) : [...rows];
  const column = sort && columns.find((c) => c.key === sort.key);
  if (!column) return kept;
  const sign = sort!.descending ? -1 : 1;
  // Decorate once: reading a value per comparison would cost 10,000 × log(10,000) look-ups.
  const keyed = kept.map((row) => ({ row, v: column.value(row) }));
  keyed.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    const aMissing = av === undefined || av === null || av === '';
    const bMissing = bv === undefined || bv === null || bv === '';
    if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1; // missing last, whichever the direction
    if (typeof av === 'number' && typeof bv === 'number') return (av - bv) * sign;
    return String(av).localeCompare(String(bv), undefined, { numeric: true, sensitivity: 'base' }) * sign;
  });
  return keyed.map((k) => k.row);
}

/** The rows to draw for a scroll position: only those in view, and a few more on each side. */
export function visibleWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): { first: number; last: number } {
  const first = Math.min(total, Math.max(0, Math.floor(scrollTop / rowHeight) - overscan));
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}
