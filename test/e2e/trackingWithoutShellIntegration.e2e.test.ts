// A terminal without shell integration: tracking records its process usage and says what is missing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { listRuns } from '../../src/core/store/runRecord';
import { Session } from './harness/session';
import { openTerminal } from './harness/terminal';
import { openActivityBarView, runCommand, waitForTreeRow } from './harness/workbench';

let s: Session;

before(async () => {
  s = await Session.open({
    name: 'no-shell-integration',
    workspaceSettings: { 'terminal.integrated.shellIntegration.enabled': false, 'tracelet.run.sampleInterval': 300 },
  });
});

after(async () => {
  await s?.close();
});

test('Start Tracking without shell integration tracks the terminal’s processes and explains what is missing', { timeout: 120_000 }, () =>
  s.scenario('track', async () => {
    await openTerminal(s.page);
    await runCommand(s.page, 'Tracelet: Start Tracking Active Terminal');
    const toast = s.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'has no shell integration' });
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await toast.innerText();
    assert.match(text, /records only its processes' CPU and memory/);
    assert.match(text, /terminal\.integrated\.shellIntegration\.enabled/);
    await s.screenshot('notification');

    const root = path.join(s.workspace, '.tracelet', 'runs');
    const [run] = listRuns(root);
    assert.ok(run, 'a run was started');
    assert.match(run.command, /^\(terminal ".*"\)$/);
    assert.match(run.name, /^bash processes /);
    const deadline = Date.now() + 15_000;
    while (!readAllPoints(path.join(root, run.id, 'metrics.bin')).points.some((p) => p.name === 'process/rssBytes') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(
      readAllPoints(path.join(root, run.id, 'metrics.bin')).points.some((p) => p.name === 'process/rssBytes'),
      'the shell’s process tree is sampled',
    );

    await runCommand(s.page, 'Tracelet: Stop Tracking');
    const view = await openActivityBarView(s.page, 'Tracelet', 'Runs');
    await waitForTreeRow(view, run.name, /^stopped/);
    await s.screenshot('stopped');
  }),
);
