// One contender of bench/pipeline.bench.ts in its own process. Args: what (ingest, latency, memory),
// side (ours, or the baseline: jsonl, pipe, queue), size. Each warms up before it measures.
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
import { RunWriter } from '../src/core/store/runWriter';
import type { MetricPoint } from '../src/core/types';
import { emit } from './worker';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const NAMES = ['train/loss', 'train/accuracy', 'lr', 'grad_norm', 'val/loss', 'val/accuracy', 'epoch', 'throughput'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-pipeline-'));

function record(id: string): RunRecord {
  return {
    formatVersion: 1,
    id,
    name: id,
    command: 'bench',
    cwd: '/',
    startTime: Date.now(),
    host: '',
    user: '',
    tags: {},
    status: 'running',
    versions: {},
    params: {},
    context: {},
    backends: [],
    ownerPid: process.pid,
    metrics: {},
    updatedAt: 0,
  };
}

function open(name: string, sinks: BackendSink[] = [], extra: Partial<Parameters<typeof RunPipeline.open>[0]> = {}): RunPipeline {
  return RunPipeline.open({ runDir: path.join(dir, name), record: record(name), sinks, logger: quiet, ...extra });
}

function batchOf(n: number, from: number): MetricPoint[] {
  const out: MetricPoint[] = new Array(n);
  const time = Date.now();
  for (let i = 0; i < n; i++) out[i] = { name: NAMES[(from + i) % NAMES.length]!, value: Math.sin(from + i), step: from + i, time };
  return out;
}

/** Points appended in batches of 1000: ours through RunPipeline into the binary log, the baseline as one JSON line a point. */
/**
 * What keeping series.idx costs RunWriter, measured in one process: runs with and without it alternated (ABBA, after
 * a warm-up of each), so that the machine's load, the compiled code and the page cache are the same for both; the
 * cost is the ratio of the medians of their CPU time (user and system, all threads), in percent.
 */
async function seriesIndexCost(total: number): Promise<void> {
  const all = Array.from({ length: total / 1000 }, (_, b) => batchOf(1000, b * 1000));
  const once = (name: string, keep: boolean, batches: MetricPoint[][]): number => {
    const cpu = process.cpuUsage();
    const w = RunWriter.open({ runDir: path.join(dir, name), record: record(name), logger: quiet, seriesIndex: keep });
    for (const b of batches) w.add(b);
    w.end();
    const used = process.cpuUsage(cpu);
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    return (used.user + used.system) / 1e6;
  };
  once('warm-with', true, all.slice(0, all.length / 5));
  once('warm-without', false, all.slice(0, all.length / 5));
  const withIndex: number[] = [];
  const without: number[] = [];
  for (let k = 0; k < 8; k++) {
    const first = k % 4 === 0 || k % 4 === 3;
    (first ? withIndex : without).push(once(`a${k}`, first, all));
    (first ? without : withIndex).push(once(`b${k}`, !first, all));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  emit({
    costPercent: (median(withIndex) / median(without) - 1) * 100,
    cpuRateWith: total / median(withIndex) / 1e6,
    cpuRateWithout: total / median(without) / 1e6,
  });
}

async function ingest(side: string, total: number): Promise<void> {
  if (side === 'series-index-ab') return seriesIndexCost(total);
  const all = Array.from({ length: total / 1000 }, (_, b) => batchOf(1000, b * 1000));
  const once = async (name: string, batches: MetricPoint[][]): Promise<{ seconds: number; bytes: number; cpuSeconds?: number }> => {
    const t = process.hrtime.bigint();
    if (side === 'writer' || side === 'writer-no-series-index') {
      // RunWriter, as RunPipeline opens it (default flushPoints and fsync), with or without series.idx kept as blocks
      // are written; its end (which writes series.idx a last time) is timed too. CPU time as well as wall time: on a
      // busy machine the wall clock also counts the time other processes had the cores, which hides a 5 % difference.
      const cpu = process.cpuUsage();
      const w = RunWriter.open({ runDir: path.join(dir, name), record: record(name), logger: quiet, seriesIndex: side === 'writer' });
      for (const b of batches) w.add(b);
      w.end();
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      const used = process.cpuUsage(cpu);
      return { seconds, cpuSeconds: (used.user + used.system) / 1e6, bytes: fs.statSync(path.join(dir, name, 'metrics.bin')).size };
    }
    if (side === 'ours') {
      const pipe = open(name);
      for (const b of batches) pipe.ingest(b);
      pipe.flush();
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      await pipe.finish('finished');
      return { seconds, bytes: fs.statSync(path.join(dir, name, 'metrics.bin')).size };
    }
    const file = path.join(dir, `${name}.jsonl`);
    const fd = fs.openSync(file, 'a');
    for (const b of batches) {
      let chunk = '';
      for (const p of b) chunk += `${JSON.stringify(p)}\n`;
      fs.writeSync(fd, chunk);
    }
    fs.closeSync(fd);
    return { seconds: Number(process.hrtime.bigint() - t) / 1e9, bytes: fs.statSync(file).size };
  };
  await once('warm-up', all.slice(0, all.length / 5));
  const { seconds, bytes, cpuSeconds } = await once('timed', all);
  emit({ rate: total / seconds / 1e6, bytesPerPoint: bytes / total, ...(cpuSeconds ? { cpuRate: total / cpuSeconds / 1e6 } : {}) });
}

/**
 * A child prints `step=N loss=… sent=<ms>` at `rate` lines a second; each line is timed from print to
 * durable in the run's log (ours: parser and pipeline) or to read by this process (the pipe alone:
 * lines split and `sent=` read). The first second is warm-up.
 */
async function latency(side: string, rate: number): Promise<void> {
  const seconds = 3;
  const warm = rate;
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
  const lags: number[] = [];
  const now = (): number => performance.timeOrigin + performance.now();
  const take = (step: number, sent: number, at: number): void => {
    if (step >= warm) lags.push(at - sent);
  };
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pipe: RunPipeline | undefined;
  if (side === 'ours') {
    const parser = new StdoutParser();
    let step = -1;
    pipe = open('run', [], {
      processors: [
        (points) => {
          const at = now();
          for (const p of points) if (p.name === 'sent') take(p.step ?? -1, p.value, at);
          return points;
        },
      ],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const points: MetricPoint[] = [];
      for (const r of parser.push(chunk)) {
        if (r.name === 'step') step = r.value;
        points.push({ name: r.name, value: r.value, step: r.step ?? step, time: Date.now() });
      }
      if (points.length > 0) pipe!.ingest(points);
    });
  } else {
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const at = now();
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^step=(\d+) .* sent=([\d.]+)$/.exec(line);
        if (m) take(Number(m[1]), Number(m[2]), at);
      }
    });
  }
  await new Promise((resolve) => child.on('exit', resolve));
  await new Promise((r) => setTimeout(r, 100));
  await pipe?.finish('finished');
  const pct = (q: number): number => [...lags].sort((a, b) => a - b)[Math.min(lags.length - 1, Math.floor(q * lags.length))]!;
  emit({ p50: pct(0.5), p99: pct(0.99), max: Math.max(...lags), lines: lags.length });
}

function heapNow(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

/** Memory over a long run whose backend lags far behind: ours keeps the backlog on disk, the baseline in an in-memory queue. */
async function memory(side: string, total: number): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const once = async (name: string, points: number): Promise<{ growth: number; backlog: number }> => {
    const before = heapNow(gc);
    if (side === 'queue') {
      const queue: MetricPoint[] = [];
      for (let i = 0; i < points; i += 1000) queue.push(...batchOf(1000, i));
      const growth = heapNow(gc) - before;
      return { growth, backlog: queue.length };
    }
    const slow: BackendSink = {
      name: 'slow',
      send: () => new Promise((r) => setTimeout(r, 5)),
      logParams: async () => undefined,
      finish: async () => undefined,
    };
    const pipe = open(name, [slow], { delivery: { batchSize: 1000 } });
    for (let i = 0; i < points; i += 1000) {
      pipe.ingest(batchOf(1000, i));
      if (i % 50_000 === 0) await new Promise((r) => setImmediate(r));
    }
    pipe.flush();
    const growth = heapNow(gc) - before;
    const backlog = pipe.status().deliveries[0]!.pending;
    await pipe.suspend();
    return { growth, backlog };
  };
  await once('warm-up', total / 10);
  const { growth, backlog } = await once('timed', total);
  emit({ growthMB: growth / 1e6, backlog });
}

async function main(): Promise<void> {
  const [what, side, size] = process.argv.slice(2) as [string, string, string];
  if (what === 'ingest') await ingest(side, Number(size));
  else if (what === 'latency') await latency(side, Number(size));
  else await memory(side, Number(size));
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
