// Open in TensorBoard from a run's context menu in the Runs view: the tensorboard backend (found by its capability,
// tensorboardLogs) wrote two tracked runs' event files under its logDir; the command starts the workspace .venv's
// TensorBoard on that folder and shows it in the Simple Browser filtered to the run picked, under its own name, and
// TensorBoard itself serves the run's scalars, every step of them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { listRuns } from '../../src/core/store/runRecord';
import { peerTest, requirePeers } from '../support/peers';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';
import { waitForValue } from './harness/waitForValue';
import { activeTab, activeWebview, openActivityBarView, waitForTreeRow } from './harness/workbench';

// It starts as a real script does, importing for a moment, so that its first line comes after its start (VS Code drops
// output that reaches the extension together with a command's start: src/core/run/outputStart.ts).
const SCRIPT = `import time
time.sleep(0.3)
for epoch in range(5):
    print(f"epoch {epoch} loss={1 / (epoch + 1):.4f}", flush=True)
    time.sleep(0.1)
`;

let s: Session;

before(async () => {
  if (peerTest().skip) return;
  const { venv } = requirePeers();
  s = await Session.open({
    name: 'tensorboard',
    userSettings: { 'tracelet.plugins': { tensorboard: { enabled: true, config: { logDir: 'tb' } } } },
    workspaceSettings: { 'terminal.integrated.defaultProfile.linux': 'bash', 'terminal.integrated.gpuAcceleration': 'off', 'tracelet.run.sampleInterval': 0 },
  });
  fs.writeFileSync(path.join(s.workspace, 'train_tb.py'), SCRIPT);
  // The launcher takes TensorBoard from a trusted workspace's .venv: the project's, with the pinned peers.
  fs.symlinkSync(venv, path.join(s.workspace, '.venv'));
  await openTerminal(s.page);
});

after(async () => {
  await s?.close();
});

test('Open in TensorBoard on a run from the Runs view shows that run, by its name, in one TensorBoard for all runs', { ...peerTest(), timeout: 300_000 }, () =>
  s.scenario('open-run', async () => {
    const root = path.join(s.workspace, '.tracelet', 'runs');
    const finished = () => listRuns(root).filter((r) => r.command.includes('train_tb.py') && r.status !== 'running');
    for (const count of [1, 2]) {
      await typeCommand(s.page, 'python3 train_tb.py');
      await waitForValue(
        `run ${count} finished`,
        () => finished().length,
        (n) => n === count,
        90_000,
      );
    }
    // The older of the two: TensorBoard must show it alone, though both are in its folder.
    const run = finished().at(-1)!;
    assert.ok(run.backends.includes('tensorboard'), `sent to ${run.backends.join(', ')}`);
    const logDir = path.join(s.workspace, 'tb');
    const runName = run.name.replace(/:/g, '_');
    assert.deepEqual(fs.readdirSync(logDir).length, 2);
    assert.ok(
      fs.readdirSync(path.join(logDir, runName)).some((f) => f.startsWith('events.out.tfevents.')),
      `event files in ${path.join(logDir, runName)}`,
    );

    const tree = await openActivityBarView(s.page, 'Tracelet', 'Runs');
    const row = await waitForTreeRow(tree, run.name, /finished/);
    await row.click({ button: 'right' });
    // The menu ignores a mouse-up that comes right after it opened: point at the item and press Enter.
    await s.page.locator('.context-view .monaco-menu .action-label', { hasText: /^Open in TensorBoard$/ }).hover();
    await s.page.keyboard.press('Enter');

    const said = `TensorBoard for ${logDir} at `;
    const url = (await waitForValue(
      'Tracelet saying where TensorBoard serves the run',
      () => {
        const log = s.traceletLog();
        const line = (log ? fs.readFileSync(log, 'utf8') : '').split('\n').find((l) => l.includes(said));
        return line && /at (http:\S+) \(run (.*)\)$/.exec(line);
      },
      (m) => !!m && m[2] === runName,
      120_000,
    ))![1]!;
    await activeTab(s.page).filter({ hasText: 'Simple Browser' }).waitFor({ timeout: 30_000 });
    // TensorBoard's own scalars API: the run under its folder's name, every step of its loss.
    const scalars = (await waitForValue(
      'TensorBoard serving the run’s loss',
      async () => {
        const res = await fetch(`${url.replace(/\/$/, '')}/data/plugin/scalars/scalars?run=${encodeURIComponent(runName)}&tag=loss`).catch(() => undefined);
        return res?.ok ? ((await res.json()) as [number, number, number][]) : undefined;
      },
      (v) => v !== undefined && v.length === 5,
      60_000,
    ))!;
    assert.deepEqual(
      scalars.map(([, step, value]) => [step, Math.round(value * 1e4) / 1e4]),
      [0, 1, 2, 3, 4].map((i) => [i, Math.round((1 / (i + 1)) * 1e4) / 1e4]),
    );
    // The Simple Browser shows TensorBoard's page: the run list filtered to this run, under its name, and its loss chart.
    const board = activeWebview(s.page).locator('iframe').contentFrame();
    await board.locator('tb-webapp').waitFor({ state: 'attached', timeout: 60_000 });
    await board.getByText('loss', { exact: true }).first().waitFor({ timeout: 60_000 });
    await board.getByText(runName, { exact: true }).first().waitFor({ timeout: 30_000 });
    const other = finished()[0]!.name.replace(/:/g, '_');
    assert.equal(await board.getByText(other, { exact: true }).count(), 0, `${other} is filtered out`);
    await s.screenshot('open-run');
  }),
);
