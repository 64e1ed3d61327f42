// Issue 6's figures: ingest into the local store, print-to-stored latency, memory over a long run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { StdoutParser } from '../src/core/parse/stdoutParser';
import type { BackendSink } from '../src/core/pipeline/backendSink';
import { RunPipeline } from '../src/core/pipeline/runPipeline';
import type { RunRecord } from '../src/core/store/runRecord';
import type { MetricPoint } from '../src/core/types';

export const title = 'Run pipeline: ingest, latency, memory';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function record(id: string): RunRecord {
  return { formatVersion: 1, id, name: id, command: 'bench', cwd: '/', startTime: Date.now(), host: '', user: '', tags: {}, status: 'running', versions: {}, params: {}, context: {}, backends: [], ownerPid: process.pid, metrics: {}, updatedAt: 0 };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-'));
}

const NAMES = ['train/loss', 'train/accuracy', 'lr', 'grad_norm', 'val/loss', 'val/accuracy', 'epoch', 'throughput'];

function batchOf(n: number, from: number): MetricPoint[] {
  const out: MetricPoint[] = new Array(n);
  const time = Date.now();
  for (let i = 0; i < n; i++) out[i] = { name: NAMES[(from + i) % NAMES.length]!, value: Math.sin(from + i), step: from + i, time };
  return out;
}

/** Ours vs the obvious approach, appending one JSON line per point. */
async function ingest(total: number): Promise<void> {
  const batches = Array.from({ length: total / 1000 }, (_, b) => batchOf(1000, b * 1000));
  const dir = tmp();
  const pipe = RunPipeline.open({ runDir: path.join(dir, 'run'), record: record('run'), sinks: [], logger: quiet });
  let t = process.hrtime.bigint();
  for (const b of batches) pipe.ingest(b);
  pipe.flush();
  const ours = Number(process.hrtime.bigint() - t) / 1e9;
  await pipe.finish('finished');
  const bytes = fs.statSync(path.join(dir, 'run', 'metrics.bin')).size;

  const fd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'a');
  t = process.hrtime.bigint();
  for (const b of batches) {
    let chunk = '';
    for (const p of b) chunk += `${JSON.stringify(p)}\n`;
    fs.writeSync(fd, chunk);
  }
  const jsonl = Number(process.hrtime.bigint() - t) / 1e9;
  fs.closeSync(fd);
  const jsonlBytes = fs.statSync(path.join(dir, 'metrics.jsonl')).size;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`ingest ${total.toLocaleString()} points into the local store (target ≥ 2,000,000/s):`);
  console.log(`  ours (binary metrics log via RunPipeline): ${(total / ours / 1e6).toFixed(2)} M points/s, ${(bytes / total).toFixed(1)} bytes/point`);
  console.log(`  baseline (JSON lines, one write per batch): ${(total / jsonl / 1e6).toFixed(2)} M points/s, ${(jsonlBytes / total).toFixed(1)} bytes/point`);
  console.log(`  ratio: ${(jsonl / ours).toFixed(1)}x`);
}

/** A child prints `step=N loss=… sent=<ms>` at `rate` lines/s; we time each line from print to receipt and to durable storage. */
async function latency(rate: number, seconds: number): Promise<void> {
  const script = `
    const n = ${rate * seconds}; let i = 0; const start = performance.timeOrigin + performance.now();
    function tick() {
      const now = performance.timeOrigin + performance.now();
      while (i < n && start + (i * 1000) / ${rate} <= now) {
        process.stdout.write('step=' + i + ' loss=' + (1 / (i + 1)).toFixed(5) + ' sent=' + (performance.timeOrigin + performance.now()).toFixed(3) + '\\n');
        i++;
      }
      if (i < n) setTimeout(tick, 1);
    }
    tick();`;
  const dir = tmp();
  const received: number[] = [];
  const stored: number[] = [];
  const sentAt = new Map<number, number>();
  const parser = new StdoutParser();
  const pipe = RunPipeline.open({
    runDir: path.join(dir, 'run'),
    record: record('run'),
    sinks: [],
    logger: quiet,
    processors: [
      (points) => {
        const now = performance.timeOrigin + performance.now();
        for (const p of points) if (p.name === 'sent') stored.push(now - p.value);
        return points;
      },
    ],
  });
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk: Buffer) => {
    const now = performance.timeOrigin + performance.now();
    const records = parser.push(chunk);
    const points: MetricPoint[] = [];
    for (const r of records) {
      if (r.name === 'sent') {
        received.push(now - r.value);
        sentAt.set(r.line, r.value);
      }
      points.push({ name: r.name, value: r.value, step: r.step ?? 0, time: Date.now() });
    }
    if (points.length > 0) pipe.ingest(points);
  });
  await new Promise((resolve) => child.on('exit', resolve));
  await new Promise((r) => setTimeout(r, 100));
  await pipe.finish('finished');
  fs.rmSync(dir, { recursive: true, force: true });
  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log(`print-to-stored latency at ${rate} lines/s for ${seconds} s (${stored.length} lines; target p99 ≤ 50 ms):`);
  console.log(`  ours, printed → durable in the run's log: p50 ${pct(stored, 0.5).toFixed(1)} ms, p99 ${pct(stored, 0.99).toFixed(1)} ms, max ${Math.max(...stored).toFixed(1)} ms`);
  console.log(`  baseline, printed → read by this process (the pipe alone): p50 ${pct(received, 0.5).toFixed(1)} ms, p99 ${pct(received, 0.99).toFixed(1)} ms`);
}

function heapNow(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

/** A 1,000,000-point run with a backend that lags far behind: our heap vs an in-memory queue that holds what the backend has not taken. */
async function memory(total: number): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const dir = tmp();
  let taken = 0;
  const slow: BackendSink = {
    name: 'slow',
    send: async (points) => {
      taken += points.length;
      await new Promise((r) => setTimeout(r, 5));
    },
    logParams: async () => undefined,
    finish: async () => undefined,
  };
  const before = heapNow(gc);
  const pipe = RunPipeline.open({ runDir: path.join(dir, 'run'), record: record('run'), sinks: [slow], logger: quiet, delivery: { batchSize: 1000 } });
  for (let i = 0; i < total; i += 1000) {
    pipe.ingest(batchOf(1000, i));
    if (i % 50_000 === 0) await new Promise((r) => setImmediate(r));
  }
  pipe.flush();
  const ours = heapNow(gc) - before;
  const backlog = pipe.status().deliveries[0]!.pending;
  await pipe.suspend();

  const queueBefore = heapNow(gc);
  const queue: MetricPoint[] = [];
  for (let i = 0; i < total; i += 1000) queue.push(...batchOf(1000, i));
  const naive = heapNow(gc) - queueBefore;
  queue.length = 0;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`memory over a ${total.toLocaleString()}-point run, backend far behind (target ≤ 20 MB growth):`);
  console.log(`  ours: ${(ours / 1e6).toFixed(1)} MB growth with ${backlog.toLocaleString()} points waiting on disk (backend took ${taken.toLocaleString()})`);
  console.log(`  baseline, an in-memory queue of the same backlog: ${(naive / 1e6).toFixed(1)} MB`);
}

export async function run(): Promise<void> {
  await ingest(5_000_000);
  await latency(1000, 5);
  await memory(1_000_000);
}

if (require.main === module) void run();
