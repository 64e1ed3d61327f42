import type { RunSummary } from './runSummaries';

/**
 * The runs table's columns and the pure operations on them (sort, "only columns that differ");
 * the filter language is in runsFilter.ts. Cells are numbers, strings or booleans; a run without
 * the column's value has `undefined`, which sorts last whichever way the column is sorted.
 */

export const RUN_FIELDS = ['name', 'status', 'start', 'end', 'duration', 'command', 'branch', 'commit', 'dirty', 'id'] as const;
export type RunField = (typeof RUN_FIELDS)[number];
export const METRIC_STATS = ['last', 'min', 'max', 'count'] as const;
export type MetricStat = (typeof METRIC_STATS)[number];

export type RunColumn = { kind: 'field'; field: RunField } | { kind: 'param'; name: string } | { kind: 'metric'; name: string; stat: MetricStat };
export type Cell = number | string | boolean | undefined;

/** A column's name as the filter language and the column chooser spell it: `lr`-style params are `params.lr`, metrics `train/loss.last`. */
export function columnLabel(c: RunColumn): string {
  return c.kind === 'field' ? c.field : c.kind === 'param' ? `params.${c.name}` : `${c.name}.${c.stat}`;
}

/** A param's value as a cell: numbers and strings as they are, booleans too, anything else as its JSON. */
function paramCell(v: unknown): Cell {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** The cell of a run in a column; `now` is the end of a run still going (its duration so far). */
export function cellOf(run: RunSummary, c: RunColumn, now: number): Cell {
  if (c.kind === 'param') return paramCell(run.params[c.name]);
  if (c.kind === 'metric') {
    const m = run.metrics[c.name];
    return m ? m[c.stat] : undefined;
  }
  switch (c.field) {
    case 'name':
      return run.name;
    case 'status':
      return run.status;
    case 'start':
      return run.startTime;
    case 'end':
      return run.endTime;
    case 'duration':
      // Seconds: what `duration > 60` in a filter means.
      return ((run.endTime ?? (run.status === 'running' ? now : run.startTime)) - run.startTime) / 1000;
    case 'command':
      return run.command;
    case 'branch':
      return run.git.branch;
    case 'commit':
      return run.git.commit;
    case 'dirty':
      return run.git.dirty;
    case 'id':
      return run.id;
  }
}

/** Every column the runs have: the fields, then params and metric statistics by name. */
export function columnsOf(runs: readonly RunSummary[]): RunColumn[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const r of runs) {
    for (const k in r.params) params.add(k);
    for (const k in r.metrics) metrics.add(k);
  }
  return [
    ...RUN_FIELDS.map((field): RunColumn => ({ kind: 'field', field })),
    ...[...params].sort().map((name): RunColumn => ({ kind: 'param', name })),
    ...[...metrics].sort().flatMap((name) => METRIC_STATS.map((stat): RunColumn => ({ kind: 'metric', name, stat }))),
  ];
}

/** Orders two cells: numbers (and booleans) before text, text without regard to case; undefined is handled by the caller. */
function compareCells(a: Cell, b: Cell): number {
  const an = typeof a === 'number' || typeof a === 'boolean';
  const bn = typeof b === 'number' || typeof b === 'boolean';
  if (an && bn) {
    const x = Number(a);
    const y = Number(b);
    // NaN (a diverged metric) after every number.
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return x - y;
  }
  if (an !== bn) return an ? -1 : 1;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The runs sorted by a column, stably (equal cells keep the order given); runs without a value last in both directions. */
export function sortRuns(runs: readonly RunSummary[], column: RunColumn, direction: 'asc' | 'desc', now = Date.now()): RunSummary[] {
  const cells = runs.map((r) => cellOf(r, column, now));
  const sign = direction === 'asc' ? 1 : -1;
  const order = runs.map((_, i) => i);
  order.sort((i, j) => {
    const a = cells[i];
    const b = cells[j];
    if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? i - j : 1) : -1;
    return sign * compareCells(a, b) || i - j;
  });
  return order.map((i) => runs[i]!);
}

/** "Only columns that differ": the params with more than one value among the runs (a run without the param counts as one more value). */
export function differingParams(runs: readonly RunSummary[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const r of runs) for (const k in r.params) if (!values.has(k)) values.set(k, new Set());
  for (const [k, set] of values) for (const r of runs) set.add(k in r.params ? JSON.stringify(r.params[k]) : '\0missing');
  return [...values].filter(([, set]) => set.size > 1).map(([k]) => k);
}
