// Plugins in the workspace's .tracelet/plugins run code: they load only in a trusted workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { EXAMPLE_PLUGIN_DIR } from './harness/paths';
import { Session } from './harness/session';
import { openActivityBarView, runCommand, treeRows, waitForTreeRow } from './harness/workbench';

let s: Session;

before(async () => {
  s = await Session.open({ name: 'untrusted', untrusted: true, workspacePluginPackages: [EXAMPLE_PLUGIN_DIR] });
});

after(async () => {
  await s?.close();
});

test('in an untrusted workspace, its plugin packages are not loaded and the log says why', { timeout: 90_000 }, () =>
  s.scenario('untrusted', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    await waitForTreeRow(view, 'local', /active$/);
    const labels = (await treeRows(view)).map((r) => r.label);
    assert.ok(labels.includes('system'), 'the built-ins run');
    assert.ok(!labels.includes('csv_backend'), `the workspace's csv_backend must not load: ${labels.join(', ')}`);
    const log = fs.readFileSync(s.traceletLog()!, 'utf8');
    assert.match(log, /\[warning\] workspace plugins in \S+[\\/]\.tracelet[\\/]plugins not loaded: the workspace is not trusted/);
    assert.equal(log.match(/not loaded: the workspace is not trusted/g)?.length, 1, 'said once');
    await runCommand(s.page, 'Tracelet: Open Logs');
    await s.screenshot('untrusted');
  }),
);
