// Pure (no VS Code): what the run views send about runs — headers, table rows, notices, slices — and the CSV they export.
import { errorText } from '../../core/errors';
import type { LogHealth, RunSeriesReader, SeriesSlice, XAxis } from '../../core/series/api';
import type { RunRecord } from '../../core/store/runRecord';
import {
  nonFiniteLabel,
  toJsonColumn,
  type MetricInfo,
  type Notice,
  type QueryMessage,
  type RunHeader,
  type SeriesMessage,
  type SliceData,
} from '../../webviewProtocol/runViewProtocol';

interface GitContext {
  branch?: unknown;
  commit?: unknown;
  dirty?: unknown;
}

function gitOf(record: RunRecord): RunHeader['git'] | undefined {
  const git = record.context?.git as GitContext | undefined;
  if (!git || typeof git !== 'object') return undefined;
  const out: NonNullable<RunHeader['git']> = {};
  if (typeof git.branch === 'string') out.branch = git.branch;
  if (typeof git.commit === 'string') out.commit = git.commit;
  if (typeof git.dirty === 'boolean') out.dirty = git.dirty;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A param value as the page shows it: strings as they are, anything else as JSON. */
export function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function runHeader(record: RunRecord): RunHeader {
  const header: RunHeader = {
    id: record.id,
    name: String(record.name),
    status: String(record.status),
    command: String(record.command),
    startTime: Number(record.startTime) || 0,
    params: Object.entries(record.params ?? {}).map(([k, v]) => [k, paramText(v)]),
  };
  if (record.statusReason) header.statusReason = String(record.statusReason);
  if (Number.isFinite(record.endTime)) header.endTime = record.endTime!;
  if (record.exitCode !== undefined) header.exitCode = Number.isFinite(record.exitCode) ? record.exitCode : null;
  const git = gitOf(record);
  if (git) header.git = git;
  return header;
}

/** Merges the metric lists of several runs, first appearance first. */
export function mergeMetrics(perRun: { runId: string; metrics: { name: string; count: number }[] }[]): MetricInfo[] {
  const byName = new Map<string, MetricInfo>();
  for (const { runId, metrics } of perRun) {
    for (const m of metrics) {
      let info = byName.get(m.name);
      if (!info) byName.set(m.name, (info = { name: m.name, counts: {} }));
      info.counts[runId] = m.count;
    }
  }
  return [...byName.values()];
}

/** What is wrong with a run's log, in words, for above the charts. */
export function healthNotices(runName: string, health: LogHealth): Notice[] {
  const out: Notice[] = [];
  if (health.tornBytes > 0)
    out.push({
      level: 'warning',
      text: `${runName}: the end of metrics.bin is torn (${health.tornBytes} bytes that do not read, a write cut short or still under way); the charts show every point before it.`,
    });
  if (health.damaged.length > 0) {
    const lost = health.damaged.reduce((n, d) => n + d.lostPoints, 0);
    out.push({
      level: 'warning',
      text: `${runName}: metrics.bin is damaged in ${health.damaged.length} place${health.damaged.length === 1 ? '' : 's'} (${lost} point${lost === 1 ? '' : 's'} lost); the points around the damage are shown.`,
    });
  }
  if (health.unnamedPoints > 0)
    out.push({ level: 'warning', text: `${runName}: ${health.unnamedPoints} points are not shown because the block naming their metric is damaged.` });
  return out;
}

/**
 * The answer to a chart's query: the slice of every run of the view that has points of the metric. A run whose
 * read fails is left out and named in `failures`: the page holds back a chart's next query until this one is
 * answered, so an answer must come whatever happens.
 */
export async function answerQuery(
  runs: readonly { id: string; header: RunHeader; reader: RunSeriesReader | undefined }[],
  message: QueryMessage,
): Promise<{ reply: SeriesMessage; failures: string[] }> {
  const { metric, x, columns, smoothing, range } = message;
  const slices: SliceData[] = [];
  const failures: string[] = [];
  for (const run of runs) {
    if (!run.reader) continue;
    try {
      const slice = await run.reader.query({ metric, x, columns, smoothing, ...(range ? { range } : {}) });
      if (slice.total > 0) slices.push(sliceData(run.id, slice));
    } catch (err) {
      failures.push(`reading ${metric} of run "${run.header.name}" failed: ${errorText(err)}`);
    }
  }
  return { reply: { type: 'series', requestId: message.requestId, metric, x, slices }, failures };
}

export function sliceData(runId: string, slice: SeriesSlice): SliceData {
  const out: SliceData = {
    runId,
    xs: Array.from(slice.xs),
    ys: toJsonColumn(slice.ys),
    inRange: slice.inRange,
    total: slice.total,
    extent: slice.extent ? [slice.extent[0], slice.extent[1]] : null,
    nonFinite: slice.nonFinite.map((p) => [p.x, nonFiniteLabel(p.value)]),
  };
  if (slice.smoothed) out.smoothed = toJsonColumn(slice.smoothed);
  return out;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const CSV_HEADER = 'run,metric,x,step,value,time\n';

/** CSV lines of one block of points, as RunSeriesReader.points gives them; `x` is in the chart's axis unit. */
export function csvLines(run: string, metric: string, block: { xs: Float64Array; ys: Float64Array; steps: Float64Array; times: Float64Array }): string {
  const prefix = `${csvField(run)},${csvField(metric)},`;
  let out = '';
  for (let i = 0; i < block.xs.length; i++) {
    const step = block.steps[i]!;
    const date = new Date(block.times[i]!);
    out += `${prefix}${block.xs[i]},${Number.isNaN(step) ? '' : step},${block.ys[i]},${Number.isNaN(date.getTime()) ? '' : date.toISOString()}\n`;
  }
  return out;
}

/** A file name for an export: the metric's name with anything a file name cannot hold replaced. */
export function exportFileName(run: string, metric: string, x: XAxis, range: readonly [number, number] | undefined, ext: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const span = range ? `-${x}-${safe(String(Math.round(range[0])))}-${safe(String(Math.round(range[1])))}` : '';
  return `${safe(run)}-${safe(metric)}${span}.${ext}`;
}
