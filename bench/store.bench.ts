// The run store on a long run: a 10,000,000-point metrics.bin (about 280 MB) made once with the real writer,
// then, each in processes of its own (bench/storeWorker.ts): reading it whole as columns against the object
// reader it replaced, opening it for appending (with its index, with the index a crash leaves, with none)
// against decoding every point as opening used to, recovering it as a crashed run from cursor 0, and how
// long an append takes with the fsync setting's default against no fsync at all.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetricsLogWriter } from '../src/core/store/metricsLog';
import type { MetricPoint } from '../src/core/types';
import type { Contender } from './harness';
import { gcWorker, measureGroups } from './workerGroups';
import { outcome, type BenchOutcome, type ComparisonSpec } from './report';

export const title = 'Run store: reading, opening and recovering a 10,000,000-point log; the cost of fsync';

const POINTS = Number(process.env.BENCH_STORE_POINTS ?? 10_000_000);

/** A training run's metrics: every step five, every 100 steps five more of the machine, every 500 the validation's two. */
function stepPoints(step: number, out: MetricPoint[]): void {
  const time = 1.7e12 + step * 50;
  const decay = 1 / (1 + step / 5000);
  out.push(
    { name: 'train/loss', value: 2.3 * decay + 0.05 * Math.sin(step), step, time },
    { name: 'train/accuracy', value: 1 - 0.9 * decay, step, time },
    { name: 'train/lr', value: 3e-4 * decay, step, time },
    { name: 'train/grad_norm', value: 1 + Math.abs(Math.sin(step / 7)), step, time },
    { name: 'throughput', value: 1200 + (step % 37), step, time },
  );
  if (step % 100 === 0) {
    for (const name of ['system/cpu', 'system/memory', 'gpu/0/utilization', 'gpu/0/memory', 'process/rssBytes'])
      out.push({ name, value: (step % 997) / 9.97, step: step / 100, time });
  }
  if (step % 500 === 0) out.push({ name: 'val/loss', value: 2.4 * decay, step, time }, { name: 'val/accuracy', value: 1 - decay, step, time });
}

/**
 * Writes the log as the pipeline would at a high rate (blocks of 1,000 to 8,192 points: a flush every 20 ms
 * or 8,192 points) and keeps a copy of the index as the last rewrite before the end left it: what a crash leaves.
 */
function generate(root: string): { bytes: number; blocks: number } {
  const logDir = path.join(root, 'log');
  fs.mkdirSync(logDir);
  const writer = MetricsLogWriter.open(path.join(logDir, 'metrics.bin'), { fsync: 'off' });
  let pending: MetricPoint[] = [];
  let blocks = 0;
  let size = 1000;
  for (let step = 0; writer.nextSeq + pending.length < POINTS; step++) {
    stepPoints(step, pending);
    if (pending.length >= size) {
      writer.append(pending.slice(0, size));
      pending = pending.slice(size);
      blocks++;
      size = 1000 + ((blocks * 2654435761) % 7193);
    }
  }
  writer.append(pending.slice(0, POINTS - writer.nextSeq));
  fs.copyFileSync(path.join(logDir, 'metrics.idx'), path.join(root, 'stale.idx'));
  writer.close();
  const crash = path.join(root, 'crash');
  fs.mkdirSync(crash);
  try {
    fs.linkSync(path.join(logDir, 'metrics.bin'), path.join(crash, 'metrics.bin'));
  } catch {
    fs.copyFileSync(path.join(logDir, 'metrics.bin'), path.join(crash, 'metrics.bin'));
  }
  return { bytes: writer.bytes, blocks: blocks + 1 };
}

export async function run(): Promise<BenchOutcome> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-store-'));
  try {
    const began = performance.now();
    const { bytes, blocks } = generate(root);
    const stale = fs.statSync(path.join(root, 'stale.idx')).size;
    console.log(
      `wrote ${POINTS.toLocaleString()} points, ${(bytes / 1e6).toFixed(1)} MB in ${blocks.toLocaleString()} blocks, in ${((performance.now() - began) / 1000).toFixed(1)} s (index ${stale} bytes)`,
    );
    const c = (name: string, label: string, role: Contender['role'] = 'ours'): Contender => gcWorker('storeWorker.ts', name, label, role, root);
    const m = await measureGroups([
      [
        c('scan', 'MetricsLogReader.scan: columns, a block at a time'),
        c('objects-batched', 'the object reader, read() in 8,192-point batches', 'baseline'),
        c('objects-all', 'the object reader, readAllPoints(): every point at once', 'baseline'),
      ],
      [
        c('open-index', 'MetricsLogWriter.open with its index'),
        c('open-stale', 'with the index a crash leaves (up to 4 MiB behind)'),
        c('open-rescan', 'with no index: every block checked, no point decoded'),
        c('open-decode', 'every point decoded, as open did before the index', 'baseline'),
      ],
      [c('recover', 'recoverRun of the crashed run, delivering from cursor 0')],
      [
        c('append-default', 'MetricsLogWriter.append, fsync at the default (every 5 s and at close)'),
        c('append-off', 'the same with fsync off', 'baseline'),
        c('append-every', 'the same with an fsync after every append', 'baseline'),
      ],
    ]);
    const specs: ComparisonSpec[] = [
      { label: 'reading the whole log, MB/s', unit: 'MB/s', better: 'higher', ours: 'scan', figure: 'MBps', against: 'objects-batched', headline: true },
      {
        label: 'reading the whole log, MB per CPU second (what a busy machine leaves of the above)',
        unit: 'MB/s',
        better: 'higher',
        ours: 'scan',
        figure: 'cpuMBps',
        against: 'objects-batched',
      },
      {
        label: 'reading the whole log against holding every point, MB/s',
        unit: 'MB/s',
        better: 'higher',
        ours: 'scan',
        figure: 'MBps',
        against: 'objects-all',
      },
      {
        label: 'reading the whole log: peak heap, MB',
        unit: 'MB',
        better: 'lower',
        ours: 'scan',
        figure: 'heapPeakMB',
        against: 'objects-all',
        headline: true,
      },
      { label: 'reading the whole log: resident set growth, MB', unit: 'MB', better: 'lower', ours: 'scan', figure: 'rssGrowthMB', against: 'objects-all' },
      { label: 'reading in batches: peak heap, MB', unit: 'MB', better: 'lower', ours: 'scan', figure: 'heapPeakMB', against: 'objects-batched' },
      { label: 'opening for appending, ms', unit: 'ms', better: 'lower', ours: 'open-index', figure: 'ms', against: 'open-decode', headline: true },
      { label: 'opening after a crash (a stale index), ms', unit: 'ms', better: 'lower', ours: 'open-stale', figure: 'ms', against: 'open-decode' },
      { label: 'opening with no index, ms', unit: 'ms', better: 'lower', ours: 'open-rescan', figure: 'ms', against: 'open-decode' },
      {
        label: 'recovering the crashed run from cursor 0: heap growth, MB',
        unit: 'MB',
        better: 'lower',
        ours: 'recover',
        figure: 'heapGrowthMB',
        headline: true,
      },
      { label: 'recovering the crashed run: resident set growth, MB', unit: 'MB', better: 'lower', ours: 'recover', figure: 'rssGrowthMB' },
      { label: 'recovering the crashed run: seconds', unit: 's', better: 'lower', ours: 'recover', figure: 'seconds' },
      { label: 'append latency, median, µs', unit: 'µs', better: 'lower', ours: 'append-default', figure: 'p50Us', against: 'append-off' },
      {
        label: 'append latency, 99th percentile, µs',
        unit: 'µs',
        better: 'lower',
        ours: 'append-default',
        figure: 'p99Us',
        against: 'append-off',
        headline: true,
      },
      { label: 'append latency, worst, µs', unit: 'µs', better: 'lower', ours: 'append-default', figure: 'maxUs', against: 'append-off' },
      { label: 'closing the log (the last fsync), ms', unit: 'ms', better: 'lower', ours: 'append-default', figure: 'closeMs', against: 'append-off' },
      {
        label: 'append latency, 99th percentile, against an fsync per append, µs',
        unit: 'µs',
        better: 'lower',
        ours: 'append-default',
        figure: 'p99Us',
        against: 'append-every',
      },
    ];
    return outcome(m, specs, {
      settings: {
        points: POINTS,
        'log MB': Math.round(bytes / 1e6),
        blocks,
        'append run': '10,000 points/s in 200-point blocks every 20 ms for 6 s',
        folder: os.tmpdir(),
      },
      notes: [
        `The log: ${POINTS.toLocaleString()} points of 12 metric names as a training run logs them (five per step, the machine's every 100 steps, validation every 500), in blocks of 1,000 to 8,192 points as the pipeline flushes at a high rate; in the page cache (just written), as a run's log is when it is read back or recovered.`,
        "Heap is V8's used heap (garbage not yet collected included) plus external memory (the buffers), resident set the process's; both sampled about every 20 ms and at the end, from one collection at the start. MB/s is wall-clock time, which other processes on a busy machine stretch; MB per CPU second is the process's own CPU time. The object reader with every point at once is what readRunSeries and the CSV export did before; opening by decoding every point is what MetricsLogWriter.open did before metrics.idx. Recovery as it was before has no code left to run, so it has no baseline here.",
        'Append latency is the time append() takes, written and (with fsync) flushed on another thread every 5 s; the fsync-per-append row shows what a flush on the path of every point would cost.',
      ],
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
