// One process of bench/store.bench.ts: `<mode> <folder>` does one measured job on the folder the benchmark
// made (log/metrics.bin, stale.idx, crash/) after its own warm-up, and prints one JSON line of figures.
// Memory figures are the process's own, sampled about every 20 ms and at the end, after one collection at
// the start: heap (used, with garbage not yet collected, plus external memory: buffers) and resident set.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRunsToRecover, recoverRun } from '../src/core/pipeline/recovery';
import { DEFAULT_FSYNC, type FsyncPolicy } from '../src/core/store/fsyncPolicy';
import { MetricsLogReader, MetricsLogWriter, readAllPoints } from '../src/core/store/metricsLog';
import { newRunRecord, writeRunRecord } from '../src/core/store/runRecord';
import type { MetricPoint } from '../src/core/types';
import { emit } from './worker';

const [mode, root] = process.argv.slice(2) as [string, string];
const logDir = path.join(root, 'log');
const logFile = path.join(logDir, 'metrics.bin');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

/** External memory includes the array buffers (Buffers): memoryUsage() counts them in both. */
function heap(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/**
 * Peak heap and resident set over a job, sampled when `sample` is called at least 20 ms after the last sample,
 * and at the end. It starts once the event loop has turned, on a stack that holds nothing a warm-up read.
 */
async function memoryMeter(): Promise<{ sample(): void; figures(): Record<string, number> }> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const before = { heap: heap(), rss: process.memoryUsage.rss() };
  const peak = { ...before };
  let last = 0;
  const take = (): void => {
    peak.heap = Math.max(peak.heap, heap());
    peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
  };
  return {
    sample() {
      const now = performance.now();
      if (now - last < 20) return;
      last = now;
      take();
    },
    figures() {
      take();
      return { heapPeakMB: peak.heap / 1e6, heapGrowthMB: (peak.heap - before.heap) / 1e6, rssGrowthMB: (peak.rss - before.rss) / 1e6 };
    },
  };
}

// Each reader sums the values, so that nothing read can be optimised away. A sum is added up in a local
// variable and carried over once per block: a number kept in a closure's variable is boxed at every change.

function scanAll(sample: () => void): number {
  let sum = 0;
  new MetricsLogReader(logFile).scan((b) => {
    let blockSum = 0;
    for (let i = 0; i < b.length; i++) blockSum += b.values[i]!;
    sum += blockSum;
    sample();
  });
  return sum;
}

function readBatched(sample: () => void): number {
  const reader = new MetricsLogReader(logFile);
  let sum = 0;
  for (let batch = reader.read(8192); batch.points.length > 0; batch = reader.read(8192)) {
    for (const p of batch.points) sum += p.value;
    sample();
  }
  return sum;
}

function readWhole(): number {
  let sum = 0;
  for (const p of readAllPoints(logFile).points) sum += p.value;
  return sum;
}

/** The same code over the first 100,000 points (the file is in the page cache already): enough for V8 to optimise it, too little to swell the process. */
function warmUpReading(): number {
  return new MetricsLogReader(logFile).scan(() => undefined, 1e5).points + new MetricsLogReader(logFile).read(1e5).points.length;
}

async function read(how: string): Promise<void> {
  const warm = warmUpReading();
  const meter = await memoryMeter();
  const cpu = process.cpuUsage();
  const began = performance.now();
  const sum = how === 'scan' ? scanAll(meter.sample) : how === 'objects-batched' ? readBatched(meter.sample) : readWhole();
  const seconds = (performance.now() - began) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const mb = fs.statSync(logFile).size / 1e6;
  emit({ MBps: mb / seconds, cpuMBps: mb / ((user + system) / 1e6), seconds, ...meter.figures() }, { sum, warm });
}

/** What the writer's open did before the index: every point of the log decoded (the object reader in batches, as its scan did). */
function decodeEverything(): void {
  const reader = new MetricsLogReader(logFile);
  while (reader.read(8192).points.length > 0);
}

async function open(how: string): Promise<void> {
  // Warm-up: the same opens on a small log of its own.
  const warmDir = fs.mkdtempSync(path.join(root, 'warm-'));
  const warm = MetricsLogWriter.open(path.join(warmDir, 'metrics.bin'), { fsync: 'off' });
  for (let i = 0; i < 20; i++) warm.append(points(1000, i * 1000));
  warm.close();
  MetricsLogWriter.open(path.join(warmDir, 'metrics.bin'), { fsync: 'off' }).close();
  fs.rmSync(warmDir, { recursive: true });
  const index = path.join(logDir, 'metrics.idx');
  if (how === 'open-stale') fs.copyFileSync(path.join(root, 'stale.idx'), index);
  if (how === 'open-rescan') fs.rmSync(index, { force: true });
  const meter = await memoryMeter();
  const began = performance.now();
  let writer: MetricsLogWriter | undefined;
  if (how === 'open-decode') decodeEverything();
  else writer = MetricsLogWriter.open(logFile, { fsync: 'off' });
  const figures = { ms: performance.now() - began, ...meter.figures() };
  // Closing writes the index afresh, for the next process.
  writer?.close();
  emit(figures, { nextSeq: writer?.nextSeq });
}

/** A run left `running` under a window that is gone, with no cursor: recovery delivers its whole log. */
function crashedRecord(runDir: string, id: string): void {
  const info = { id, name: id, command: 'python train.py', cwd: root, startTime: 1.7e12, host: 'h', user: 'u', tags: {} };
  writeRunRecord(runDir, { ...newRunRecord(info, { backends: ['remote'], pid: 2 ** 22 + 9 }), ownerPid: 2 ** 22 + 7 });
  fs.rmSync(path.join(runDir, 'cursors.json'), { force: true });
}

/** Recovers run `id` of `runsRoot` into a sink that counts; returns the points delivered. */
async function recoverOnce(runsRoot: string, id: string, sample: () => void): Promise<number> {
  let delivered = 0;
  const candidate = findRunsToRecover(runsRoot).find((c) => c.record.id === id)!;
  const send = async (batch: readonly MetricPoint[]): Promise<void> => {
    delivered += batch.length;
    sample();
  };
  const behind = await recoverRun(
    candidate,
    async () => ({ name: 'remote', send, logParams: async () => undefined, finish: async () => undefined }),
    quiet,
    3_600_000,
  );
  if (behind.length > 0) throw new Error(`recovery left ${behind.join(', ')} behind`);
  return delivered;
}

async function recover(): Promise<void> {
  // Warm-up: a small crashed run of its own.
  const warmRoot = fs.mkdtempSync(path.join(root, 'warm-'));
  const warmDir = path.join(warmRoot, 'warm');
  fs.mkdirSync(warmDir);
  const warm = MetricsLogWriter.open(path.join(warmDir, 'metrics.bin'), { fsync: 'off' });
  for (let i = 0; i < 50; i++) warm.append(points(1000, i * 1000));
  warm.close();
  crashedRecord(warmDir, 'warm');
  await recoverOnce(warmRoot, 'warm', () => undefined);
  fs.rmSync(warmRoot, { recursive: true });
  // The crash: the index as a crash leaves it (up to 4 MiB behind the log).
  const crash = path.join(root, 'crash');
  crashedRecord(crash, 'crash');
  fs.copyFileSync(path.join(root, 'stale.idx'), path.join(crash, 'metrics.idx'));
  const meter = await memoryMeter();
  const began = performance.now();
  const delivered = await recoverOnce(root, 'crash', meter.sample);
  emit({ seconds: (performance.now() - began) / 1000, ...meter.figures() }, { delivered });
}

function points(n: number, from: number): MetricPoint[] {
  const time = Date.now();
  return Array.from({ length: n }, (_, i) => ({ name: `train/m${(from + i) % 8}`, value: Math.sin(from + i), step: from + i, time }));
}

const APPEND_SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 6);
const APPEND_EVERY_MS = 20;
const APPEND_POINTS = 200;

/** A run logging 10,000 points/s in the pipeline's 20 ms blocks: how long each append takes under a policy (µs), and the close. */
async function append(policy: FsyncPolicy | 'every'): Promise<void> {
  const dir = fs.mkdtempSync(path.join(root, 'append-'));
  const warm = MetricsLogWriter.open(path.join(dir, 'warm.bin'), { fsync: 'off' });
  for (let i = 0; i < 300; i++) warm.append(points(APPEND_POINTS, i * APPEND_POINTS));
  warm.close();
  const writer = MetricsLogWriter.open(path.join(dir, 'metrics.bin'), { fsync: policy === 'every' ? 'off' : policy });
  const took: number[] = [];
  const end = performance.now() + APPEND_SECONDS * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const batch = points(APPEND_POINTS, i * APPEND_POINTS);
    const began = performance.now();
    writer.append(batch);
    if (policy === 'every') writer.sync();
    took.push((performance.now() - began) * 1000);
    await new Promise((r) => setTimeout(r, APPEND_EVERY_MS));
  }
  const closing = performance.now();
  writer.close();
  const closeMs = performance.now() - closing;
  fs.rmSync(dir, { recursive: true });
  took.sort((a, b) => a - b);
  const q = (f: number): number => took[Math.min(took.length - 1, Math.floor(f * took.length))]!;
  emit({ p50Us: q(0.5), p99Us: q(0.99), maxUs: took.at(-1)!, closeMs }, { appends: took.length });
}

async function main(): Promise<void> {
  if (['scan', 'objects-batched', 'objects-all'].includes(mode)) await read(mode);
  else if (mode.startsWith('open-')) await open(mode);
  else if (mode === 'recover') await recover();
  else if (mode === 'append-off') await append('off');
  else if (mode === 'append-default') await append(DEFAULT_FSYNC);
  else if (mode === 'append-every') await append('every');
  else throw new Error(`unknown mode ${mode}`);
}

void main();
