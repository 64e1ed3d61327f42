// The run views' data path (issue 14): a 10,000,000-point series drawn and zoomed through its series.idx, the
// same series opened with no index yet (a run written before it existed), comparing 100 runs × 5 metrics ×
// 10,000 points, and the runs table over 10,000 runs. Each job in processes of its own (bench/chartsWorker.ts);
// the baselines are what the views had before: readRunSeries (two passes over the whole log) and listRuns.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newRunRecord, writeRunRecord } from '../src/core/store/runRecord';
import { RunWriter } from '../src/core/store/runWriter';
import type { MetricPoint } from '../src/core/types';
import type { Contender } from './harness';
import { gcWorker, measureGroups } from './workerGroups';
import { outcome, type BenchOutcome } from './report';

export const title = 'Charts: a 10,000,000-point series, comparing 100 runs, a 10,000-run table';

const POINTS = Number(process.env.BENCH_CHARTS_POINTS ?? 10_000_000);
const SPIKE_STEP = Math.floor(POINTS * 0.654321);
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const T0 = 1.7e12;

function runWriter(runDir: string, id: string): RunWriter {
  return RunWriter.open({
    runDir,
    record: newRunRecord({ id, name: id, command: 'python train.py', cwd: '/w', startTime: T0, host: 'box', user: 'ann', tags: {} }),
    logger: quiet,
    fsync: 'off',
    seriesIndex: true,
  });
}

/** One long run: `train/loss` at every step (one spike at SPIKE_STEP) and the machine's metrics every 100 steps, in 8,192-point blocks. */
function writeBig(dir: string): void {
  const w = runWriter(dir, 'big');
  let batch: MetricPoint[] = [];
  for (let step = 0; step < POINTS; step++) {
    const time = T0 + step * 20;
    batch.push({ name: 'train/loss', value: step === SPIKE_STEP ? 50 : 2 / (1 + step / 1e5) + 0.01 * Math.sin(step), step, time });
    if (step % 100 === 0) batch.push({ name: 'system/cpu', value: step % 97, time }, { name: 'gpu/0/utilization', value: step % 89, time });
    if (batch.length >= 8192) {
      w.append(batch);
      batch = [];
    }
  }
  w.append(batch);
  w.end();
}

/** 100 runs of 5 metrics × 10,000 steps. */
function writeCompare(dir: string): void {
  for (let r = 0; r < 100; r++) {
    const id = `run-${String(r).padStart(3, '0')}`;
    const w = runWriter(path.join(dir, id), id);
    for (let from = 0; from < 10_000; from += 1000) {
      const batch: MetricPoint[] = [];
      for (let step = from; step < from + 1000; step++)
        for (const [k, name] of ['train/loss', 'train/acc', 'val/loss', 'lr', 'grad_norm'].entries())
          batch.push({ name, value: Math.sin(step / (50 + r)) + k, step, time: T0 + step * 100 });
      w.append(batch);
    }
    w.end();
  }
}

/** 10,000 run folders with a run.json each: a few params, git, 8 metrics' summaries. */
function writeTable(dir: string): void {
  for (let r = 0; r < 10_000; r++) {
    const id = `2026${String(r).padStart(8, '0')}`;
    const runDir = path.join(dir, id);
    fs.mkdirSync(runDir, { recursive: true });
    const record = newRunRecord({
      id,
      name: `train.py ${r}`,
      command: `python train.py --model ${r % 3 ? 'vit' : 'resnet50'} --lr ${10 ** -(1 + (r % 4))}`,
      cwd: '/w',
      startTime: T0 + r * 60_000,
      host: 'box',
      user: 'ann',
      tags: {},
    });
    record.status = r % 5 ? 'finished' : 'failed';
    record.endTime = record.startTime + 3_600_000;
    record.params = { lr: 10 ** -(1 + (r % 4)), batch_size: 32 << (r % 3), model: r % 3 ? 'vit' : 'resnet50', seed: r };
    record.context = { git: { branch: r % 2 ? 'main' : 'dev', commit: `${r}`.padStart(40, 'a'), dirty: r % 7 === 0 } };
    for (const name of ['train/loss', 'train/acc', 'val/loss', 'val/acc', 'lr', 'grad_norm', 'system/cpu', 'system/memory'])
      record.metrics[name] = { count: 10_000, last: Math.sin(r + name.length), min: -1, max: 1, lastStep: 9999, lastTime: record.endTime };
    writeRunRecord(runDir, record);
  }
}

export async function run(): Promise<BenchOutcome> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-charts-'));
  try {
    const began = performance.now();
    for (const [name, write] of [
      ['big', writeBig],
      ['compare', writeCompare],
      ['table', writeTable],
    ] as const) {
      fs.mkdirSync(path.join(root, name));
      write(path.join(root, name));
    }
    const bytes = fs.statSync(path.join(root, 'big', 'metrics.bin')).size;
    const indexBytes = fs.statSync(path.join(root, 'big', 'series.idx')).size;
    console.log(
      `wrote ${POINTS.toLocaleString()} points of train/loss (${(bytes / 1e6).toFixed(0)} MB of log, series.idx ${(indexBytes / 1e6).toFixed(1)} MB), 100 runs to compare and 10,000 run folders in ${((performance.now() - began) / 1000).toFixed(0)} s`,
    );
    const c = (name: string, label: string, role: Contender['role'] = 'ours'): Contender => gcWorker('chartsWorker.ts', name, label, role, root);
    const m = await measureGroups([
      [c('open-index', 'openRunSeries with series.idx, then query (1,000 columns)'), c('baseline-read', 'readRunSeries: the whole log, twice', 'baseline')],
      [c('open-fresh', 'openRunSeries of a run with no series.idx: indexed on first open, streaming')],
      [c('smoothed', 'the same, smoothed (weight 0.6): first time, then again')],
      [c('compare', 'openRunSeries + query of 5 metrics, 100 runs'), c('compare-baseline', 'readRunSeries of each run', 'baseline')],
      [c('table', 'RunSummaries, sortRuns, filterRuns'), c('table-baseline', 'listRuns: every run.json read', 'baseline')],
    ]);
    const spikes = [...m.outputs['open-index']!, ...m.outputs['open-fresh']!].map((o) => (o.detail as { spike: number }).spike);
    const baselineSpikes = m.outputs['baseline-read']!.map((o) => (o.detail as { spike: number }).spike);
    return outcome(
      m,
      [
        {
          label: '10,000,000-point series with its index: request → data for the first frame, ms',
          unit: 'ms',
          better: 'lower',
          ours: 'open-index',
          figure: 'firstFrameMs',
          against: 'baseline-read',
          headline: true,
        },
        {
          label: 'zoom to a range (a tenth of the series down to 1,000 steps), median of 30, ms',
          unit: 'ms',
          better: 'lower',
          ours: 'open-index',
          figure: 'zoomMs',
        },
        { label: 'zoom to a range, slowest of 30, ms', unit: 'ms', better: 'lower', ours: 'open-index', figure: 'zoomMaxMs' },
        {
          label: 'zoom to a range, slowest of the 28 after the first two (the first full-resolution reads of a fresh process), ms',
          unit: 'ms',
          better: 'lower',
          ours: 'open-index',
          figure: 'zoomMaxAfterFirstMs',
        },
        {
          label: 'memory held for the series (index, answers), resident set growth, MB',
          unit: 'MB',
          better: 'lower',
          ours: 'open-index',
          figure: 'rssGrowthMB',
          against: 'baseline-read',
        },
        {
          label: 'memory held for the series, heap growth, MB',
          unit: 'MB',
          better: 'lower',
          ours: 'open-index',
          figure: 'heapGrowthMB',
          against: 'baseline-read',
        },
        {
          label: 'first open with no index yet: indexed, written, first frame, s',
          unit: 's',
          better: 'lower',
          ours: 'open-fresh',
          figure: 'seconds',
          against: 'baseline-read',
        },
        { label: 'first open with no index yet: resident set growth, MB', unit: 'MB', better: 'lower', ours: 'open-fresh', figure: 'rssGrowthMB' },
        { label: 'first open with no index yet: heap growth, MB', unit: 'MB', better: 'lower', ours: 'open-fresh', figure: 'heapGrowthMB' },
        {
          label: 'smoothed first frame, first time at a weight (warm-ups around the kept points), ms',
          unit: 'ms',
          better: 'lower',
          ours: 'smoothed',
          figure: 'firstMs',
        },
        { label: 'smoothed first frame, again at that weight, ms', unit: 'ms', better: 'lower', ours: 'smoothed', figure: 'againMs' },
        { label: 'smoothed zoom (100,000 steps) at a new weight, ms', unit: 'ms', better: 'lower', ours: 'smoothed', figure: 'zoomNewWeightMs' },
        {
          label: 'compare 100 runs × 5 metrics × 10,000 points: data ready, ms',
          unit: 'ms',
          better: 'lower',
          ours: 'compare',
          figure: 'ms',
          against: 'compare-baseline',
          headline: true,
        },
        { label: 'runs table, 10,000 runs: sort, ms', unit: 'ms', better: 'lower', ours: 'table', figure: 'sortMs', headline: true },
        { label: 'runs table, 10,000 runs: filter, ms', unit: 'ms', better: 'lower', ours: 'table', figure: 'filterMs' },
        { label: 'runs table: listing 10,000 runs cold, ms', unit: 'ms', better: 'lower', ours: 'table', figure: 'coldMs', against: 'table-baseline' },
        {
          label: 'runs table: listing again (nothing changed), ms',
          unit: 'ms',
          better: 'lower',
          ours: 'table',
          figure: 'refreshMs',
          against: 'table-baseline',
          againstFigure: 'coldMs',
        },
      ],
      {
        settings: { points: POINTS, 'log MB': Math.round(bytes / 1e6), 'series.idx MB': Math.round(indexBytes / 1e5) / 10, columns: 1000, folder: os.tmpdir() },
        notes: [
          `The series: ${POINTS.toLocaleString()} points of train/loss, one a step, with one spike (50 at step ${SPIKE_STEP.toLocaleString()}), and two machine metrics every 100 steps, written by RunWriter in 8,192-point blocks (which keeps series.idx as it goes). The spike was in every first frame of ours (${spikes.every((s) => s === 50) ? 'yes' : 'NO'}) and of the baseline's (${baselineSpikes.every((s) => s === 50) ? 'yes' : 'NO'}).`,
          'First frame: openRunSeries (series.idx read and checked against the log) and the first query of the whole series at 1,000 columns (M4 from the buckets). Zooms: 30 ranges from a tenth of the series to 1,000 steps at places that move with the round; up to 2 buckets of 256 points per column they are read from the log at full resolution. Memory: growth of the process from a collected heap with the reader and its answers still held; resident set growth also counts the file data the process touched.',
          'No index yet: the same log in a folder of its own without series.idx; openRunSeries reads it whole, one block at a time, writes series.idx and answers the first query. Smoothing at a weight first asked for works out the smoothed value of each point the chart keeps from a warm-up just before its bucket (at least 73 finite values at 0.6), the nearby warm-ups read as one stretch; zooms warm the average up from just before the range. Values worked out are kept, so the same weight again reads nothing.',
          'The table: 10,000 run.json files with 4 params, git and 8 metric summaries; cold is a new process (the files in the page cache); sort by train/loss.last and by lr alternately, filter `lr < 0.01 and status = finished or command ~ resnet`, each a median of 20 after 5 of warm-up.',
        ],
      },
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
