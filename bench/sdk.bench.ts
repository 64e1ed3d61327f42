// Metric points into the trackers' Python SDKs in their local modes (W&B offline, an Aim repository, ClearML
// offline): our backends through the Python bridge against each SDK called directly from a Python loop in its
// usual form (W&B: one run.log per step with that step's metrics; Aim: one run.track per value; ClearML: one
// Logger.report_scalar per value), each process on a run of its own; all timed to the SDK's closing call,
// when it has written every point.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requirePeers, type Peers } from '../test/support/peers';
import { measure, nodeWorker, type Contender } from './harness';
import { outcome, type BenchOutcome, type ComparisonSpec } from './report';

export const title = 'W&B, Aim and ClearML backends through the Python bridge vs each SDK called directly';

/** Points of a timed run, per SDK: ClearML's default reporting (a subprocess) takes ~5 ms a point here, so it gets fewer. */
const POINTS = { wandb: 20_000, aim: 20_000, clearml: 5_000 } as const;
const PER_STEP = 5;
type Sdk = keyof typeof POINTS;

function sdkVersion(python: string, sdk: Sdk): string | undefined {
  const code = sdk === 'aim' ? 'from aim.__version__ import __version__ as v; print(v)' : `import ${sdk}; print(${sdk}.__version__)`;
  try {
    return execFileSync(python, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
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
  const versions: Partial<Record<Sdk, string>> = {};
  for (const sdk of Object.keys(POINTS) as Sdk[]) {
    const v = sdkVersion(peers.python, sdk);
    if (v) versions[sdk] = v;
    else console.log(`${sdk}: not installed in .venv, left out`);
  }
  if (Object.keys(versions).length === 0) {
    console.log('skipped: none of wandb, aim, clearml is installed in .venv');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-sdk-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env = {
    HOME: home,
    WANDB_CONFIG_DIR: path.join(home, '.config', 'wandb'),
    WANDB_CACHE_DIR: path.join(home, '.cache', 'wandb'),
    WANDB_SILENT: 'true',
    CLEARML_CONFIG_FILE: path.join(home, 'clearml.conf'),
    CLEARML_CACHE_DIR: path.join(home, '.clearml'),
  };
  const contenders: Contender[] = [];
  const specs: ComparisonSpec[] = [];
  const ours = (sdk: Sdk, label: string): Contender => {
    const folder = path.join(dir, `${sdk}-ours`);
    fs.mkdirSync(folder, { recursive: true });
    return {
      name: `${sdk}-ours`,
      label,
      role: 'ours',
      command: nodeWorker('sdkWorker.ts', sdk, folder, String(POINTS[sdk]), String(PER_STEP), peers.python),
      env,
    };
  };
  const direct = (sdk: Sdk, mode: string, name: string, label: string): Contender => ({
    name,
    label,
    role: 'peer',
    command: [peers.python, path.join(__dirname, 'sdkWorker.py'), mode, path.join(dir, name), String(POINTS[sdk]), String(PER_STEP)],
    env,
  });
  const cpu = (sdk: Sdk, what: string): ComparisonSpec => ({
    label: `extension-host CPU per 100,000 points delivered into ${what}`,
    unit: 'ms',
    better: 'lower',
    ours: `${sdk}-ours`,
    figure: 'hostCpuMsPer100k',
  });
  try {
    if (versions.wandb) {
      const v = versions.wandb;
      contenders.push(ours('wandb', `Tracelet wandb backend (logBatch, 1000 points a call) through the bridge into wandb ${v}`));
      contenders.push(direct('wandb', 'wandb', 'wandb-direct', `wandb ${v} from a Python loop, one run.log per step`));
      specs.push({
        label: 'points/s into W&B (offline), to run.finish',
        unit: 'points/s',
        better: 'higher',
        ours: 'wandb-ours',
        figure: 'rate',
        against: 'wandb-direct',
        headline: true,
      });
      specs.push(cpu('wandb', 'W&B'));
    }
    if (versions.aim) {
      const v = versions.aim;
      contenders.push(ours('aim', `Tracelet aim backend (logBatch, 1000 points a call) through the bridge into aim ${v}`));
      contenders.push(direct('aim', 'aim', 'aim-direct', `aim ${v} from a Python loop, one run.track per value`));
      specs.push({
        label: 'points/s into Aim (a local repository), to run.close',
        unit: 'points/s',
        better: 'higher',
        ours: 'aim-ours',
        figure: 'rate',
        against: 'aim-direct',
        headline: true,
      });
      specs.push(cpu('aim', 'Aim'));
    }
    if (versions.clearml) {
      const v = versions.clearml;
      contenders.push(ours('clearml', `Tracelet clearml backend (logBatch, 1000 points a call, task.flush after each) through the bridge into clearml ${v}`));
      contenders.push(
        direct(
          'clearml',
          'clearml',
          'clearml-direct',
          `clearml ${v} from a Python loop, one Logger.report_scalar per value (ClearML's default: reporting in a subprocess)`,
        ),
      );
      contenders.push(
        direct(
          'clearml',
          'clearml-thread',
          'clearml-direct-thread',
          `clearml ${v} from a Python loop, one Logger.report_scalar per value, reporting in a thread (as the bridge runs it)`,
        ),
      );
      specs.push({
        label: 'points/s into ClearML (offline), to task.close',
        unit: 'points/s',
        better: 'higher',
        ours: 'clearml-ours',
        figure: 'rate',
        against: 'clearml-direct',
        headline: true,
      });
      specs.push({
        label: 'points/s into ClearML (offline), to task.close, against the same loop with reporting in a thread',
        unit: 'points/s',
        better: 'higher',
        ours: 'clearml-ours',
        figure: 'rate',
        against: 'clearml-direct-thread',
      });
      specs.push(cpu('clearml', 'ClearML'));
    }
    console.log(
      `${Object.entries(versions)
        .map(([s, v]) => `${s} ${v}`)
        .join(', ')} in local modes; each process logs a warm-up run, then a timed run (${Object.entries(POINTS)
        .map(([s, n]) => `${s}: ${n.toLocaleString('en-US')} points`)
        .join(', ')}; ${PER_STEP} metrics a step)`,
    );
    const m = await measure({ contenders });
    return outcome(m, specs, {
      settings: {
        'points per timed run (wandb)': POINTS.wandb,
        'points per timed run (aim)': POINTS.aim,
        'points per timed run (clearml)': POINTS.clearml,
        'metrics per step': PER_STEP,
        'points per logBatch': 1000,
        modes: 'wandb offline, aim local repository, clearml offline',
      },
      notes: [
        'The timed part is the logging calls and the SDK’s closing call (run.finish, run.close, task.close: the SDK has then written every point); the SDK’s init is outside it on both sides. Our side also waits, after each batch, for the SDK’s acknowledgement point (W&B: its service answers a request sent after the batch; Aim: run.track has written to the repository; ClearML: task.flush), see docs/python-bridge.md.',
        'ClearML: the bridge has ClearML report from a thread of the bridge process (development.report_use_subprocess off); its default, a reporting subprocess, took seconds to answer each task.flush here. The second ClearML comparison is against a direct loop with the same setting.',
      ],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
