// Run tracking in a real terminal: Start Tracking on a running script, the Runs view, the store's contents; a failing script.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { listRuns, type RunRecord } from '../../src/core/store/runRecord';
import { assertStoredAsPrinted, printedCounts, storedCounts } from '../support/storedAsPrinted';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { openTerminal, typeCommand, waitForTerminalText } from './harness/terminal';
import { hoverText, openActivityBarView, runCommand, waitForTreeRow } from './harness/workbench';

const TRAIN = path.join(REPO_ROOT, 'examples', 'demo-workspace', 'train.py');
// It starts as a real script does, importing for a moment, so that its first line usually comes after its start.
const FAIL = `import sys, time\ntime.sleep(0.3)\nfor i in range(3):\n    print(f"step={i} loss={1.0 / (i + 1):.3f}", flush=True)\n    time.sleep(0.2)\nprint("diverged", file=sys.stderr)\nsys.exit(3)\n`;

let s: Session;

before(async () => {
  s = await Session.open({
    name: 'tracking',
    workspaceSettings: {
      'tracelet.autoTrack.enabled': false,
      'tracelet.run.sampleInterval': 500,
      'terminal.integrated.defaultProfile.linux': 'bash',
      'terminal.integrated.gpuAcceleration': 'off',
    },
  });
  fs.copyFileSync(TRAIN, path.join(s.workspace, 'train.py'));
  fs.writeFileSync(path.join(s.workspace, 'fail.py'), FAIL);
});

after(async () => {
  await s?.close();
});

async function waitForRun(predicate: (r: RunRecord) => boolean, timeout = 60_000): Promise<RunRecord> {
  const root = path.join(s.workspace, '.tracelet', 'runs');
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = listRuns(root).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no run matching in ${root}: ${JSON.stringify(listRuns(root).map((r) => [r.command, r.status]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('Start Tracking on a running script captures every printed metric and ends as finished', { timeout: 180_000 }, () =>
  s.scenario('train', async () => {
    const args = ['--epochs', '12', '--delay', '0.4'];
    const expected = printedCounts(execFileSync('python3', [TRAIN, ...args], { encoding: 'utf8' }));
    await openTerminal(s.page);
    await typeCommand(s.page, `python3 train.py ${args.join(' ')}`);
    await waitForTerminalText(s.page, /epoch=2 loss=/);
    await runCommand(s.page, 'Tracelet: Start Tracking Active Terminal');

    const running = await waitForRun((r) => r.command.startsWith('python3 train.py'));
    const view = await openActivityBarView(s.page, 'Tracelet', 'Runs');
    await waitForTreeRow(view, running.name, /^running/);
    await s.page
      .locator('.part.statusbar')
      .getByText(new RegExp(`${running.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · CPU \\d+% · RSS \\d+M`))
      .waitFor({ timeout: 15_000 });
    await s.screenshot('running');
    const done = await waitForRun((r) => r.id === running.id && r.status !== 'running');
    assert.equal(done.status, 'finished');
    assert.equal(done.exitCode, 0);
    assert.deepEqual(done.params, { epochs: 12, delay: 0.4 });

    const row = await waitForTreeRow(view, running.name, /^finished · \d+s · loss 0\.\d+/);
    assert.ok(done.endTime! - done.startTime >= 12 * 400, 'the run lasts from the command’s start, not from when tracking began');
    const runDir = path.join(s.workspace, '.tracelet', 'runs', running.id);
    assertStoredAsPrinted(runDir, done, expected);
    assert.ok(
      readAllPoints(path.join(runDir, 'metrics.bin')).points.some((p) => p.name.startsWith('process/')),
      'the run’s process usage is sampled',
    );
    const tooltip = await hoverText(s.page, row);
    assert.match(tooltip, /Status\s+finished \(exit 0\)/);
    assert.match(tooltip, /val_accuracy/);
    await s.screenshot('finished');
  }),
);

test('a script that exits non-zero ends as failed', { timeout: 120_000 }, () =>
  s.scenario('fail', async () => {
    await runCommand(s.page, 'Tracelet: Start Tracking Active Terminal');
    await typeCommand(s.page, 'python3 fail.py');
    const failed = await waitForRun((r) => r.command === 'python3 fail.py' && r.status !== 'running');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.exitCode, 3);
    assertStoredAsPrinted(path.join(s.workspace, '.tracelet', 'runs', failed.id), failed, { loss: 3 });
    const view = await openActivityBarView(s.page, 'Tracelet', 'Runs');
    await waitForTreeRow(view, failed.name, /^failed/);
    await s.screenshot('failed');
  }),
);

test('a window reload mid-run keeps what was stored and closes the run as stopped, its process going on', { timeout: 180_000 }, () =>
  s.scenario('reload', async () => {
    await runCommand(s.page, 'Tracelet: Start Tracking Active Terminal');
    // Long enough (100 s) to outlive a reload and recovery on a loaded machine: "its process going on" is checked.
    await typeCommand(s.page, 'python3 train.py --epochs 400 --delay 0.25');
    const running = await waitForRun((r) => r.command.includes('--epochs 400') && (r.metrics.loss?.count ?? 0) >= 4);
    const runDir = path.join(s.workspace, '.tracelet', 'runs', running.id);
    const before = storedCounts(runDir).loss ?? 0;

    await runCommand(s.page, 'Developer: Reload Window');
    await s.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    const recovered = await waitForRun((r) => r.id === running.id && r.status !== 'running', 60_000);
    assert.equal(recovered.status, 'stopped');
    assert.match(recovered.statusReason ?? '', /the process went on/);
    const after = storedCounts(runDir).loss ?? 0;
    assert.ok(after >= before && after >= 4, `points stored before the reload are kept (${before} before, ${after} after)`);
    const view = await openActivityBarView(s.page, 'Tracelet', 'Runs');
    await waitForTreeRow(view, recovered.name, /^stopped/);
    await waitForTreeRow(await openActivityBarView(s.page, 'Tracelet', 'Plugins'), 'local', /active$/, 15_000);
    await s.screenshot('reloaded');

    // Start Tracking on the command still running from before the reload: its output is out of reach, its processes are not.
    await runCommand(s.page, 'Tracelet: Start Tracking Active Terminal');
    const toast = s.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'started before this window' });
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await toast.innerText(), /cannot read its output; it will track the next command there/);
    await s.screenshot('running-before-this-window');
    await toast.getByRole('button', { name: 'Track Its Processes' }).click();
    const processes = await waitForRun((r) => /^\(terminal ".*"\)$/.test(r.command));
    const processLog = path.join(s.workspace, '.tracelet', 'runs', processes.id, 'metrics.bin');
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await s.page.waitForTimeout(250))
      if (readAllPoints(processLog).points.some((p) => p.name === 'process/rssBytes')) break;
    assert.ok(
      readAllPoints(processLog).points.some((p) => p.name === 'process/rssBytes'),
      'the terminal’s processes are sampled',
    );
    await runCommand(s.page, 'Tracelet: Stop Tracking');
    assert.equal((await waitForRun((r) => r.id === processes.id && r.status !== 'running')).status, 'stopped');
    if (running.pid) process.kill(running.pid, 'SIGTERM');
  }),
);
