// Our side of bench/mlflow.bench.ts in its own process: the mlflow backend (MlflowBackend.logBatch,
// the call the run pipeline makes) logs a warm-up run, then the timed run. Args: server URL, points,
// points per call. Times cover the logBatch calls only, as the Python worker's cover the client calls.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MlflowBackend } from '../src/plugins/mlflow/mlflowBackend';
import { testContext, testRun } from '../test/support/runContext';
import { point, type LoggedRun } from './mlflowPoints';
import { emit, round } from './worker';

const [url, pointsArg, chunkArg] = process.argv.slice(2) as [string, string, string];
const CHUNK = Number(chunkArg);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-mlflow-'));

async function logRun(name: string, total: number): Promise<{ run: LoggedRun; seconds: number }> {
  const backend = new MlflowBackend();
  backend.initialize({ trackingUri: url, experimentName: 'bench' }, testContext('mlflow', dir, testRun({ name })).context);
  await backend.start();
  const t0 = Date.now();
  const points = Array.from({ length: total }, (_, i) => point(i, t0));
  const start = process.hrtime.bigint();
  for (let at = 0; at < total; at += CHUNK) await backend.logBatch(points.slice(at, at + CHUNK));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await backend.finishRun('finished', Date.now());
  const runId = String(backend.getStatus().runId);
  backend.stop();
  return { run: { runId, t0, points: total }, seconds };
}

async function main(): Promise<void> {
  // Warm-up: the first connection, V8's compiled code for building requests.
  await logRun(`tracelet warm-up ${round + 1}`, 2 * CHUNK);
  const { run, seconds } = await logRun(`tracelet ${round + 1}`, Number(pointsArg));
  emit({ rate: run.points / seconds }, run);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
