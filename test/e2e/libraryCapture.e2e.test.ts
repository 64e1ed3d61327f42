// Zero-code capture of what XGBoost and LightGBM really print (issue 15): each trains for real in a tracked VS Code
// terminal, and the run's store must hold, per printed series, exactly as many points as the library evaluated and
// the last value it printed. What is expected comes from the library's own record of its evaluations (XGBoost's
// evals_result, LightGBM's record_evaluation), which the script writes to a file beside its printing.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readRunSeries } from '../../src/core/store/runReader';
import { listRuns, runDirIn } from '../../src/core/store/runRecord';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';

const SCRIPTS = path.join(REPO_ROOT, 'test', 'fixtures', 'libraries');
const PYTHON = path.join(REPO_ROOT, '.cache', 'venv-corpus', 'bin', 'python');

interface Expected {
  first_step: number;
  values: number[];
}

let s: Session;

before(async () => {
  // XGBoost and LightGBM (about 60 MB of wheels), installed by the project's own script; fails rather than skips.
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'setup-corpus.sh'), 'live'], {
    stdio: 'inherit',
    env: { ...process.env, TRACELET_REQUIRE_CORPUS: '1' },
  });
  s = await Session.open({
    name: 'library-capture',
    // Auto-track (on by default) picks the runs up, as it would for a user; bash for shell integration, the DOM renderer to read the screen.
    workspaceSettings: { 'terminal.integrated.defaultProfile.linux': 'bash', 'terminal.integrated.gpuAcceleration': 'off' },
    workspaceCopies: [
      [path.join(SCRIPTS, 'train_xgboost.py'), 'train_xgboost.py'],
      [path.join(SCRIPTS, 'train_lightgbm.py'), 'train_lightgbm.py'],
    ],
  });
  await openTerminal(s.page);
});

after(async () => {
  await s?.close();
});

/** Runs `script` in the terminal, waits for its run to finish, and returns the run's stored series and the library's record. */
async function track(script: string): Promise<{ series: ReturnType<typeof readRunSeries>; expected: Record<string, Expected> }> {
  const record = path.join(s.workspace, `${script}.record.json`);
  await typeCommand(s.page, `${PYTHON} ${script} ${record}`);
  const root = path.join(s.workspace, '.tracelet', 'runs');
  let run: ReturnType<typeof listRuns>[number] | undefined;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await s.page.waitForTimeout(250)) {
    run = listRuns(root).find((r) => r.command.includes(script) && r.status !== 'running');
    if (run) break;
  }
  assert.ok(run, `${script}: no finished run in ${root}`);
  assert.equal(run.status, 'finished', `${script} ended ${run.status}`);
  return { series: readRunSeries(runDirIn(root, run.id)), expected: JSON.parse(fs.readFileSync(record, 'utf8')) as Record<string, Expected> };
}

/** Every series the library evaluated is stored under its printed name with one point per round, the right steps, and the printed last value. */
function checkCapture(library: string, got: Awaited<ReturnType<typeof track>>, printedDigits: (v: number) => number): void {
  for (const [name, { first_step, values }] of Object.entries(got.expected)) {
    const series = got.series.get(name);
    assert.ok(series, `${library}: no series "${name}" stored; stored: ${[...got.series.keys()].join(', ')}`);
    assert.equal(series.total, values.length, `${library}: "${name}" has ${series.total} points, the library evaluated ${values.length} rounds`);
    assert.deepEqual(
      series.points.map((p) => p.step),
      values.map((_, i) => first_step + i),
      `${library}: "${name}" steps`,
    );
    const last = series.points.at(-1)!.value;
    const want = values.at(-1)!;
    assert.ok(Math.abs(last - want) <= printedDigits(want), `${library}: "${name}" last value ${last}, the library's ${want}`);
  }
}

test('XGBoost in a tracked terminal: every train-/valid- series stored with its rounds and last value', { timeout: 300_000 }, () =>
  s.scenario('xgboost', async () => {
    const got = await track('train_xgboost.py');
    assert.deepEqual(Object.keys(got.expected).sort(), ['train-auc', 'train-logloss', 'valid-auc', 'valid-logloss']);
    // XGBoost prints five decimals.
    checkCapture('XGBoost', got, () => 5e-6);
    await s.screenshot('xgboost');
  }),
);

test("LightGBM in a tracked terminal: train's l2 becomes train-l2, every series stored with its rounds and last value", { timeout: 300_000 }, () =>
  s.scenario('lightgbm', async () => {
    const got = await track('train_lightgbm.py');
    assert.deepEqual(Object.keys(got.expected).sort(), ['train-l1', 'train-l2', 'valid-l1', 'valid-l2']);
    // LightGBM prints six significant digits (%g).
    checkCapture('LightGBM', got, (v) => Math.abs(v) * 5e-6);
    await s.screenshot('lightgbm');
  }),
);
