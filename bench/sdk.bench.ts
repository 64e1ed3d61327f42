// Metric points into the W&B SDK (offline): our wandb backend through the Python bridge against the SDK
// called directly from a Python loop in its usual form (one run.log per step with that step's metrics),
// each process on a run of its own; both timed to run.finish, when W&B has written every point.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requirePeers, type Peers } from '../test/support/peers';
import { measure, nodeWorker, type Contender } from './harness';
import { outcome, type BenchOutcome } from './report';

export const title = 'W&B backend through the Python bridge vs the wandb SDK called directly';

const POINTS = 20_000;
const PER_STEP = 5;

export async function run(): Promise<BenchOutcome | void> {
  execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'setup-python.sh')], { stdio: 'inherit' });
  let peers: Peers;
  try {
    peers = requirePeers();
    execFileSync(peers.python, ['-c', 'import wandb']);
  } catch (err) {
    console.log(`skipped: ${(err as Error).message}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-sdk-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env = { HOME: home, WANDB_CONFIG_DIR: path.join(home, '.config', 'wandb'), WANDB_CACHE_DIR: path.join(home, '.cache', 'wandb'), WANDB_SILENT: 'true' };
  try {
    const version = execFileSync(peers.python, ['-c', 'import wandb; print(wandb.__version__)'], { encoding: 'utf8' }).trim();
    const contenders: Contender[] = [
      {
        name: 'ours',
        label: `Tracelet wandb backend (logBatch, 1000 points a call) through the bridge into wandb ${version}`,
        role: 'ours',
        command: nodeWorker('sdkWorker.ts', path.join(dir, 'ours'), String(POINTS), String(PER_STEP), peers.python),
        env,
      },
      {
        name: 'direct',
        label: `wandb ${version} from a Python loop, one run.log per step`,
        role: 'peer',
        command: [peers.python, path.join(__dirname, 'sdkWorker.py'), path.join(dir, 'direct'), String(POINTS), String(PER_STEP)],
        env,
      },
    ];
    console.log(
      `wandb ${version}, offline; each process logs a warm-up run, then a timed run of ${POINTS.toLocaleString('en-US')} points (${PER_STEP} a step)`,
    );
    const m = await measure({ contenders });
    return outcome(
      m,
      [
        {
          label: 'points/s into W&B (offline), to run.finish',
          unit: 'points/s',
          better: 'higher',
          ours: 'ours',
          figure: 'rate',
          against: 'direct',
          headline: true,
        },
        { label: 'extension-host CPU per 100,000 points delivered', unit: 'ms', better: 'lower', ours: 'ours', figure: 'hostCpuMsPer100k' },
      ],
      {
        settings: { 'points per timed run': POINTS, 'metrics per step': PER_STEP, 'points per logBatch': 1000, mode: 'offline' },
        notes: [
          'The timed part is the logging calls and run.finish (W&B has then written every point to its run file); wandb.init is outside it on both sides. Our side also waits, after each batch, for W&B’s service to answer a request sent after the batch (see docs/python-bridge.md).',
        ],
      },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
