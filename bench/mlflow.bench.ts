// Issue 8's figures: 100,000 metric points into one local MLflow server, our backend's logBatch
// against the official Python client's MlflowClient.log_batch (chunks of 1000) and a per-call
// log_metric loop, in the same run. Needs the .venv of scripts/setup-python.sh; skips without it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricPoint } from '../src/core/types';
import { MlflowBackend } from '../src/plugins/mlflow/mlflowBackend';
import { MlflowServer } from '../test/support/mlflowServer';
import { requirePeers, type Peers } from '../test/support/peers';
import { testContext, testRun } from '../test/support/runContext';

export const title = 'MLflow backend vs the official Python client (MlflowClient)';

const TOTAL = 100_000;
const CHUNK = 1000;
const LOOP_CALLS = 2000;
const NAMES = ['train/loss', 'train/accuracy', 'lr', 'grad_norm', 'val/loss', 'val/accuracy', 'epoch', 'throughput', 'tokens', 'gpu/util'];

/** The same points on both sides: 10 names, 10,000 steps each, distinct timestamps. */
function points(total: number, t0: number): MetricPoint[] {
  return Array.from({ length: total }, (_, i) => ({ name: NAMES[i % NAMES.length]!, value: Math.sin(i), step: Math.floor(i / NAMES.length), time: t0 + i }));
}

/**
 * A Python worker driving MlflowClient, one command a line on stdin, one JSON answer a line:
 * `run <name>` makes a run; `log_batch <n> <chunk>` logs its next n points in log_batch calls
 * of <chunk>; `log_metric <n>` logs its next n points one log_metric call each. Times cover the
 * client calls only (the Metric objects are built beforehand, as our points are).
 */
const WORKER = `
import json, math, sys, time
from mlflow import MlflowClient
from mlflow.entities import Metric
uri, exp_id = sys.argv[1], sys.argv[2]
names = ${JSON.stringify(NAMES)}
client = MlflowClient(tracking_uri=uri)
run_id, next_i, t0 = None, 0, 0
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd, *args = line.split()
    if cmd == "run":
        run_id, next_i, t0 = client.create_run(exp_id, run_name=args[0]).info.run_id, 0, int(time.time() * 1000)
        print(json.dumps({"run_id": run_id}), flush=True)
        continue
    n = int(args[0])
    metrics = [Metric(names[i % len(names)], math.sin(i), t0 + i, i // len(names)) for i in range(next_i, next_i + n)]
    next_i += n
    start = time.perf_counter()
    if cmd == "log_batch":
        chunk = int(args[1])
        for at in range(0, n, chunk):
            client.log_batch(run_id, metrics=metrics[at:at + chunk])
    else:
        for m in metrics:
            client.log_metric(run_id, m.key, m.value, timestamp=m.timestamp, step=m.step)
    print(json.dumps({"seconds": time.perf_counter() - start}), flush=True)
`;

class PythonClient {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (err: Error) => void } | undefined;

  constructor(peers: Peers, url: string, experimentId: string) {
    this.child = spawn(peers.python, ['-c', WORKER, url, experimentId], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' } });
    let buffered = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = undefined;
          w.resolve(line);
        } else this.lines.push(line);
      }
    });
    this.child.once('exit', (code) => this.waiting?.reject(new Error(`the Python client exited (${code})`)));
  }

  async ask<T>(command?: string): Promise<T> {
    if (command) this.child.stdin!.write(`${command}\n`);
    const line = this.lines.shift() ?? (await new Promise<string>((resolve, reject) => (this.waiting = { resolve, reject })));
    return JSON.parse(line) as T;
  }

  close(): void {
    this.child.stdin!.end();
  }
}

async function stored(server: MlflowServer, runId: string): Promise<number> {
  let n = 0;
  for (const key of NAMES) n += ((await server.api<{ metrics?: unknown[] }>('metrics/get-history', { run_id: runId, metric_key: key })).metrics ?? []).length;
  return n;
}

/** Our backend for one run, timed per call. */
async function ourRun(server: MlflowServer, dir: string, name: string): Promise<{ backend: MlflowBackend; points: MetricPoint[]; next: number }> {
  const backend = new MlflowBackend();
  backend.initialize({ trackingUri: server.url, experimentName: 'bench' }, testContext('mlflow', dir, testRun({ name })).context);
  await backend.start();
  return { backend, points: points(TOTAL, Date.now()), next: 0 };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(): Promise<void> {
  let peers: Peers;
  try {
    peers = requirePeers();
  } catch (err) {
    console.log(`skipped: ${(err as Error).message}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-mlflow-'));
  const server = await MlflowServer.start(peers, dir);
  try {
    const { experiment_id: exp } = await server.api<{ experiment_id: string }>('experiments/create', undefined, { name: 'bench' });
    console.log(`server: mlflow server, SQLite store, 1 worker, ${server.url}; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const py = new PythonClient(peers, server.url, exp);
    await py.ask('');
    try {
      // Warm-up: imports, first connections, the SQLite file.
      const warm = await ourRun(server, dir, 'warm-up');
      await warm.backend.logBatch(warm.points.slice(0, 2000));
      warm.backend.stop();
      await py.ask('run warm-up');
      await py.ask(`log_batch 2000 ${CHUNK}`);

      // Alternating request by request, so that both meet the same machine load and database size.
      const mine = await ourRun(server, dir, 'tracelet');
      const theirs = await py.ask<{ run_id: string }>('run python-log_batch');
      let oursSeconds = 0;
      let batchSeconds = 0;
      const perRound: number[] = [];
      for (let at = 0; at < TOTAL; at += 10 * CHUNK) {
        const o = await timed(async () => {
          for (let c = at; c < at + 10 * CHUNK; c += CHUNK) await mine.backend.logBatch(mine.points.slice(c, c + CHUNK));
        });
        const b = (await py.ask<{ seconds: number }>(`log_batch ${10 * CHUNK} ${CHUNK}`)).seconds;
        oursSeconds += o;
        batchSeconds += b;
        perRound.push(b / o);
      }
      await mine.backend.finishRun('finished', Date.now());
      const oursRunId = String(mine.backend.getStatus().runId);
      mine.backend.stop();
      await py.ask('run python-log_metric');
      const loopSeconds = (await py.ask<{ seconds: number }>(`log_metric ${LOOP_CALLS}`)).seconds;

      const counts = { ours: await stored(server, oursRunId), log_batch: await stored(server, theirs.run_id) };
      const fmt = (r: number) => `${Math.round(r).toLocaleString('en-US')} points/s`;
      const oursRate = TOTAL / oursSeconds;
      const batchRate = TOTAL / batchSeconds;
      const loopRate = LOOP_CALLS / loopSeconds;
      console.log(`${TOTAL.toLocaleString('en-US')} points (10 names x 10,000 steps) in requests of ${CHUNK}, alternating 10 requests of ours with 10 of log_batch:`);
      console.log(`  ours, MlflowBackend.logBatch (${CHUNK} points per call): ${fmt(oursRate)} (${oursSeconds.toFixed(2)} s)`);
      console.log(`  Python MlflowClient.log_batch (chunks of ${CHUNK}): ${fmt(batchRate)} (${batchSeconds.toFixed(2)} s)`);
      console.log(
        `  Python MlflowClient.log_metric loop: ${fmt(loopRate)} (measured on ${LOOP_CALLS.toLocaleString('en-US')} calls in ${loopSeconds.toFixed(2)} s, extrapolated to ${(TOTAL / loopRate).toFixed(0)} s for ${TOTAL.toLocaleString('en-US')})`,
      );
      console.log(`  stored (metrics/get-history): ours ${counts.ours.toLocaleString('en-US')}, log_batch ${counts.log_batch.toLocaleString('en-US')}`);
      console.log(`  ratios: ours / log_batch = ${(oursRate / batchRate).toFixed(2)}x (goal >= 1); ours / log_metric loop = ${(oursRate / loopRate).toFixed(1)}x (goal >= 10)`);
      console.log(`  ours / log_batch per 10,000 points: ${perRound.map((r) => r.toFixed(2)).join(' ')}; load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    } finally {
      py.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
