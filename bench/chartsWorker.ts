// One process of bench/charts.bench.ts: `<mode> <folder>` does one measured job on what the benchmark made
// (big/: a 10,000,000-point series with its series.idx; compare/: 100 runs; table/: 10,000 run folders) after
// its own warm-up where the job allows one (a first open cannot be warmed up: it would no longer be first), and
// prints one JSON line of figures. Memory is the process's own: heap (used, plus external buffers) and resident
// set, from one collection before the job; the index and the answer are still held when it is read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRunSeries } from '../src/core/series/runSeries';
import { RunSummaries } from '../src/core/series/runSummaries';
import { filterRuns } from '../src/core/series/runsFilter';
import { sortRuns } from '../src/core/series/runsTable';
import { readRunSeries } from '../src/core/store/runReader';
import { listRuns } from '../src/core/store/runRecord';
import { emit, round } from './worker';

const [mode, root] = process.argv.slice(2) as [string, string];
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const big = path.join(root, 'big');
const COLUMNS = 1000;
const METRIC = 'train/loss';

function memory(): { heap: number; rss: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

function memoryFrom(before: { heap: number; rss: number }): Record<string, number> {
  const now = memory();
  return { heapGrowthMB: (now.heap - before.heap) / 1e6, rssGrowthMB: (now.rss - before.rss) / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A folder of its own holding the big run's log and run.json but no series.idx: a run written before the index existed. */
function freshCopy(): string {
  const dir = path.join(root, `fresh-${process.pid}`);
  fs.mkdirSync(dir);
  for (const f of ['metrics.bin', 'run.json']) fs.linkSync(path.join(big, f), path.join(dir, f));
  return dir;
}

async function openIndexed(): Promise<void> {
  gc();
  const before = memory();
  const t0 = performance.now();
  const reader = openRunSeries(big);
  const first = await reader.query({ metric: METRIC, x: 'step', columns: COLUMNS });
  const firstFrameMs = performance.now() - t0;
  const spike = Math.max(...first.ys);
  // Zooms from a tenth of the series down to 1,000 steps, at places that move with the round.
  const total = first.extent![1];
  const widths = [total / 10, total / 100, total / 1000, 100_000, 10_000, 1000];
  const times: number[] = [];
  let shown = 0;
  for (let k = 0; k < 30; k++) {
    const width = widths[k % widths.length]!;
    const start = ((k * 7919 + round * 104_729) % 1000) * ((total - width) / 1000);
    const t = performance.now();
    const slice = await reader.query({ metric: METRIC, x: 'step', range: [start, start + width], columns: COLUMNS });
    times.push(performance.now() - t);
    shown += slice.xs.length;
  }
  const mem = memoryFrom(before);
  // The first zooms are the process's first reads of the log at full resolution: their code is not compiled yet.
  const zoomMaxAfterFirstMs = Math.max(...times.slice(2));
  emit(
    { firstFrameMs, zoomMs: median(times), zoomMaxMs: Math.max(...times), zoomMaxAfterFirstMs, ...mem },
    { spike, points: first.total, shown, inRange: first.inRange, times },
  );
  reader.close();
}

async function openFresh(): Promise<void> {
  const dir = freshCopy();
  try {
    gc();
    const before = memory();
    const t0 = performance.now();
    const reader = openRunSeries(dir);
    const first = await reader.query({ metric: METRIC, x: 'step', columns: COLUMNS });
    const seconds = (performance.now() - t0) / 1000;
    emit({ seconds, ...memoryFrom(before) }, { spike: Math.max(...first.ys), indexBytes: fs.statSync(path.join(dir, 'series.idx')).size });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the Runs view's chart had before: readRunSeries, two passes over the whole log, 4 points per column. */
function baselineRead(): void {
  gc();
  const before = memory();
  const t0 = performance.now();
  const series = readRunSeries(big, 4 * COLUMNS, METRIC).get(METRIC)!;
  const firstFrameMs = performance.now() - t0;
  emit({ firstFrameMs, seconds: firstFrameMs / 1000, ...memoryFrom(before) }, { spike: Math.max(...series.points.map((p) => p.value)) });
}

async function smoothed(): Promise<void> {
  const reader = openRunSeries(big);
  const t0 = performance.now();
  await reader.query({ metric: METRIC, x: 'step', columns: COLUMNS, smoothing: 0.6 });
  const firstMs = performance.now() - t0;
  const t1 = performance.now();
  await reader.query({ metric: METRIC, x: 'step', columns: COLUMNS, smoothing: 0.6 });
  const againMs = performance.now() - t1;
  const t2 = performance.now();
  await reader.query({ metric: METRIC, x: 'step', range: [5_000_000, 5_100_000], columns: COLUMNS, smoothing: 0.95 });
  emit({ firstMs, againMs, zoomNewWeightMs: performance.now() - t2 });
}

function compareRuns(): string[] {
  const dir = path.join(root, 'compare');
  return fs
    .readdirSync(dir)
    .sort()
    .map((r) => path.join(dir, r));
}

async function compare(): Promise<void> {
  const runs = compareRuns();
  gc();
  const before = memory();
  const t0 = performance.now();
  let points = 0;
  for (const run of runs) {
    const reader = openRunSeries(run);
    const slices = await Promise.all(reader.metrics().map((m) => reader.query({ metric: m.name, x: 'step', columns: COLUMNS })));
    for (const s of slices) points += s.xs.length;
    reader.close();
  }
  emit({ ms: performance.now() - t0, ...memoryFrom(before) }, { runs: runs.length, points });
}

function compareBaseline(): void {
  const runs = compareRuns();
  const t0 = performance.now();
  let points = 0;
  for (const run of runs) for (const s of readRunSeries(run, 4 * COLUMNS).values()) points += s.points.length;
  emit({ ms: performance.now() - t0 }, { runs: runs.length, points });
}

function table(): void {
  const dir = path.join(root, 'table');
  const cache = new RunSummaries();
  const t0 = performance.now();
  const runs = cache.list(dir);
  const coldMs = performance.now() - t0;
  const t1 = performance.now();
  cache.list(dir);
  const refreshMs = performance.now() - t1;
  const column = { kind: 'metric', name: 'train/loss', stat: 'last' } as const;
  const filter = 'lr < 0.01 and status = finished or command ~ resnet';
  for (let i = 0; i < 5; i++) {
    sortRuns(runs, column, 'asc');
    filterRuns(runs, filter);
  }
  const sorts: number[] = [];
  const filters: number[] = [];
  let kept = 0;
  for (let i = 0; i < 20; i++) {
    const a = performance.now();
    sortRuns(runs, i % 2 ? { kind: 'param', name: 'lr' } : column, i % 3 ? 'asc' : 'desc');
    sorts.push(performance.now() - a);
    const b = performance.now();
    kept = filterRuns(runs, filter).length;
    filters.push(performance.now() - b);
  }
  emit({ coldMs, refreshMs, sortMs: median(sorts), filterMs: median(filters) }, { runs: runs.length, kept, reads: cache.reads });
}

function tableBaseline(): void {
  const t0 = performance.now();
  const runs = listRuns(path.join(root, 'table'));
  emit({ coldMs: performance.now() - t0 }, { runs: runs.length });
}

const jobs: Record<string, () => void | Promise<void>> = {
  'open-index': openIndexed,
  'open-fresh': openFresh,
  'baseline-read': baselineRead,
  smoothed,
  compare,
  'compare-baseline': compareBaseline,
  table,
  'table-baseline': tableBaseline,
};

Promise.resolve(jobs[mode]!()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
