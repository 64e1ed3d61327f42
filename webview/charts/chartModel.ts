// Pure (no DOM): how the run views shape what they draw — metric groups and pages, the columns uPlot is fed,
// what a log axis cannot show, the numbers in the hover, the params that differ. Unit-tested in test/unit/runView*.
import type { XAxis } from '../../src/core/series/api';
import type { MetricInfo, RunHeader, SliceData } from '../../src/webviewProtocol/runViewProtocol';

/** Group order: what a person training looks at first, the machine last. */
const GROUP_RANK: Record<string, number> = { train: 0, eval: 1, val: 1, valid: 1, validation: 1, test: 2, system: 90, process: 91, gpu: 92 };

/** The group a metric is drawn in: the part of its name before the first `/`, or `metrics` when it has none. */
export function groupOf(name: string): string {
  const at = name.indexOf('/');
  return at > 0 ? name.slice(0, at) : 'metrics';
}

export interface MetricGroup {
  name: string;
  metrics: MetricInfo[];
}

/** Metrics matching `search` (case-insensitive substring), grouped by prefix; groups ordered train, eval, …, system, process. */
export function groupMetrics(metrics: readonly MetricInfo[], search = ''): MetricGroup[] {
  const needle = search.trim().toLowerCase();
  const groups = new Map<string, MetricInfo[]>();
  for (const m of metrics) {
    if (needle && !m.name.toLowerCase().includes(needle)) continue;
    const g = groupOf(m.name);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(m);
  }
  const rank = (g: string): number => GROUP_RANK[g] ?? (g === 'metrics' ? -1 : 50);
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, list]) => ({ name, metrics: list.sort((a, b) => a.name.localeCompare(b.name)) }));
}

/** One page of a long metric list, groups kept: a run with 10,000 metrics draws `pageSize` charts at a time. */
export function pageOf(groups: readonly MetricGroup[], page: number, pageSize: number): { groups: MetricGroup[]; pages: number; total: number } {
  const total = groups.reduce((n, g) => n + g.metrics.length, 0);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = Math.min(Math.max(0, page), pages - 1) * pageSize;
  const out: MetricGroup[] = [];
  let at = 0;
  for (const g of groups) {
    const from = Math.max(0, first - at);
    const to = Math.min(g.metrics.length, first + pageSize - at);
    if (from < to) out.push({ name: g.name, metrics: g.metrics.slice(from, to) });
    at += g.metrics.length;
  }
  return { groups: out, pages, total };
}

/** What uPlot draws: x, then per run its raw line and, when smoothing, its smoothed line. `undefined` where a run has no point at an x (spanned), `null` for a gap. */
export interface PlotColumns {
  xs: number[];
  series: (number | null | undefined)[][];
  /** For each series: the index of its run in the view, and whether it is the raw line behind a smoothed one. */
  meta: { run: number; raw: boolean; smoothed: boolean }[];
  /** Values a log axis cannot show (zero or negative), per run id. */
  hiddenOnLog: number;
}

/** The runs' slices on one shared x column (the union of their xs), ready for uPlot. */
export function plotColumns(slices: readonly SliceData[], runOrder: readonly string[], logY: boolean): PlotColumns {
  const ordered = [...slices].sort((a, b) => runOrder.indexOf(a.runId) - runOrder.indexOf(b.runId));
  let xs: number[];
  if (ordered.length === 1) xs = ordered[0]!.xs;
  else {
    const all = new Set<number>();
    for (const s of ordered) for (const x of s.xs) all.add(x);
    xs = [...all].sort((a, b) => a - b);
  }
  const index = ordered.length === 1 ? undefined : new Map(xs.map((x, i) => [x, i]));
  let hiddenOnLog = 0;
  const series: PlotColumns['series'] = [];
  const meta: PlotColumns['meta'] = [];
  const place = (s: SliceData, values: (number | null)[]): (number | null | undefined)[] => {
    const out = new Array<number | null | undefined>(xs.length);
    for (let i = 0; i < s.xs.length; i++) {
      let v = values[i] ?? null;
      if (logY && v !== null && v <= 0) {
        v = null;
        if (values === s.ys) hiddenOnLog++;
      }
      out[index ? index.get(s.xs[i]!)! : i] = v;
    }
    return out;
  };
  for (const s of ordered) {
    const run = runOrder.indexOf(s.runId);
    series.push(place(s, s.ys));
    meta.push({ run, raw: s.smoothed !== undefined, smoothed: false });
    if (s.smoothed) {
      series.push(place(s, s.smoothed));
      meta.push({ run, raw: false, smoothed: true });
    }
  }
  return { xs, series, meta, hiddenOnLog };
}

/** The value of a series nearest to index `i` that is not an alignment hole (undefined): what the crosshair shows for a run without a point exactly there. */
export function valueNear(values: readonly (number | null | undefined)[], i: number, reach = 64): number | null | undefined {
  for (let d = 0; d <= reach; d++) {
    const left = values[i - d];
    if (left !== undefined) return left;
    const right = values[i + d];
    if (right !== undefined) return right;
  }
  return undefined;
}

export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.abs(ms) / 1000;
  if (s < 60) return `${sign}${Number(s.toFixed(s < 10 ? 2 : 1))}s`;
  s = Math.round(s);
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${sign}${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** An x value as the axis names it. */
export function formatX(x: number, axis: XAxis): string {
  if (axis === 'step') return formatNumber(x);
  if (axis === 'relative') return formatDuration(x);
  const d = new Date(x);
  return Number.isNaN(d.getTime()) ? String(x) : d.toLocaleString();
}

export const X_LABELS: Record<XAxis, string> = { step: 'Step', relative: 'Relative time', wall: 'Wall time' };

/** Every param name of the runs, in first-seen order, with whether its value differs between them (a param a run lacks differs). */
export function paramsTable(runs: readonly RunHeader[]): { name: string; values: (string | undefined)[]; differs: boolean }[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const maps = runs.map((r) => new Map(r.params));
  for (const r of runs)
    for (const [k] of r.params)
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
  return names.map((name) => {
    const values = maps.map((m) => m.get(name));
    return { name, values, differs: values.some((v) => v !== values[0]) };
  });
}

/** A range zoomed by `factor` (< 1 in, > 1 out) around its middle, or moved by `shift` of its width, kept within `extent`. */
export function zoomRange(range: readonly [number, number], extent: readonly [number, number], factor: number, shift = 0): [number, number] {
  const width = Math.max((range[1] - range[0]) * factor, Number.EPSILON * Math.max(1, Math.abs(range[0])));
  const middle = (range[0] + range[1]) / 2 + (range[1] - range[0]) * shift;
  let from = middle - width / 2;
  let to = middle + width / 2;
  if (to - from >= extent[1] - extent[0]) return [extent[0], extent[1]];
  if (from < extent[0]) [from, to] = [extent[0], extent[0] + width];
  if (to > extent[1]) [from, to] = [extent[1] - width, extent[1]];
  return [from, to];
}
