// Metric points into one local MLflow server: our backend's logBatch against the official Python
// client's MlflowClient.log_batch (chunks of 1000) and a log_metric loop, each process on its own
// run of the same server, and every run read back afterwards to prove both sides stored the same points.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MlflowServer } from '../test/support/mlflowServer';
import { requirePeers, type Peers } from '../test/support/peers';
import { measure, nodeWorker, type Contender, type Measurements } from './harness';
import { checkStored, type LoggedRun } from './mlflowPoints';
import { outcome, type BenchOutcome } from './report';

export const title = 'MLflow backend vs the official Python client (MlflowClient)';

const POINTS = 10_000;
const CHUNK = 1000;
/** log_metric makes one request a point: fewer points keep its processes short; its figure is a rate all the same. */
const LOOP_POINTS = 200;

/** Every timed run, read back: the same points, values, steps and timestamps as logged, or the benchmark fails. */
async function checkAll(server: MlflowServer, m: Measurements): Promise<string> {
  const problems: string[] = [];
  const stored: string[] = [];
  for (const c of m.contenders) {
    const runs = m.outputs[c.name]!.map((o) => o.detail as LoggedRun);
    for (const run of runs) problems.push(...(await checkStored(server, run)));
    stored.push(`${c.name} ${runs.length} × ${runs[0]!.points.toLocaleString('en-US')}`);
  }
  if (problems.length > 0) throw new Error(`the MLflow server does not hold the points that were logged:\n  ${problems.join('\n  ')}`);
  return `Read back from the server after the run (metrics/get-history, every name of every timed run): ${stored.join(', ')} points, each stored once with the value, step and timestamp logged.`;
}

export async function run(): Promise<BenchOutcome | void> {
  execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'setup-python.sh')], { stdio: 'inherit' });
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
    const { experiment_id: experiment } = await server.api<{ experiment_id: string }>('experiments/create', undefined, { name: 'bench' });
    const version = execFileSync(peers.python, ['-c', 'import mlflow; print(mlflow.__version__)'], { encoding: 'utf8' }).trim();
    const python = (mode: string, points: number): string[] => [
      peers.python,
      path.join(__dirname, 'mlflowWorker.py'),
      server.url,
      experiment,
      mode,
      String(points),
      String(CHUNK),
    ];
    const env = { MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };
    const contenders: Contender[] = [
      {
        name: 'ours',
        label: `Tracelet MlflowBackend.logBatch, ${CHUNK} points a call`,
        role: 'ours',
        command: nodeWorker('mlflowWorker.ts', server.url, String(POINTS), String(CHUNK)),
      },
      {
        name: 'log_batch',
        label: `Python MlflowClient.log_batch (mlflow ${version}), ${CHUNK} points a call`,
        role: 'peer',
        command: python('log_batch', POINTS),
        env,
      },
      {
        name: 'log_metric',
        label: `Python MlflowClient.log_metric (mlflow ${version}), a call a point`,
        role: 'peer',
        command: python('log_metric', LOOP_POINTS),
        env,
      },
    ];
    console.log(
      `server: mlflow ${version} server, SQLite store, 1 worker, ${server.url}; each process logs a warm-up run, then a timed run of ${POINTS.toLocaleString('en-US')} points (log_metric: ${LOOP_POINTS.toLocaleString('en-US')})`,
    );
    const m = await measure({ contenders });
    const checked = await checkAll(server, m);
    return outcome(
      m,
      [
        {
          label: 'points/s into one MLflow server, batches of 1000',
          unit: 'points/s',
          better: 'higher',
          ours: 'ours',
          figure: 'rate',
          against: 'log_batch',
          headline: true,
        },
        { label: 'points/s, against a log_metric call a point', unit: 'points/s', better: 'higher', ours: 'ours', figure: 'rate', against: 'log_metric' },
      ],
      {
        settings: {
          'points per timed run': POINTS,
          'log_metric points per timed run': LOOP_POINTS,
          'points per request': CHUNK,
          server: 'mlflow server, SQLite, 1 worker, loopback',
        },
        notes: [
          `Ten metric names, a step per ten points, distinct timestamps; the timed part is the logging calls alone (runs are created and ended outside it). ${checked}`,
        ],
      },
    );
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
