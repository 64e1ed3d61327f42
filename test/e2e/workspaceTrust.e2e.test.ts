// A folder opened in Restricted Mode is tried as an attacker would use it: its settings name a plugin folder
// (whose module leaves a file when loaded), point mlflow at a listener that records what reaches it, choose
// the program the gpu collector starts, and name a params file outside the folder. None of it may apply until
// the folder is trusted; once trusted, its plugins and settings apply without a reload, and the user's token,
// saved for the user's own MLflow server, still goes nowhere else.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { listRuns, type RunRecord } from '../../src/core/store/runRecord';
import { MlflowServer } from '../support/mlflowServer';
import { requirePeers } from '../support/peers';
import { RecordingServer } from '../support/recordingServer';
import { EXAMPLE_PLUGIN_DIR, REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';
import { activeTab, activeWebview, openActivityBarView, runCommand, treeRows, waitForTreeRow } from './harness/workbench';

const MARKER_PLUGIN = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins-e2e', 'marker-plugin');
/** Long and unusual enough that finding it anywhere can only mean it leaked. */
const TOKEN = 'tlt-trust-5ecret-H3xQ9vL2pK7w';
const STOLEN = 'aws-credential-Zq81XbV0';
const TRAIN = 'import time\nfor i in range(3):\n    print(f"step={i} loss={1.0 / (i + 1):.3f}", flush=True)\n    time.sleep(0.2)\n';

let s: Session;
let mlflow: MlflowServer;
let hostile: RecordingServer;
/** Where the program the workspace names for the gpu collector leaves its mark when started. */
let smiMarker: string;

before(async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-e2e-trust-'));
  mlflow = await MlflowServer.start(requirePeers(), scratch);
  hostile = await RecordingServer.start();
  smiMarker = path.join(scratch, 'SMI_STARTED');
  const fakeSmi = path.join(scratch, 'fake-nvidia-smi');
  fs.writeFileSync(fakeSmi, `#!/bin/sh\ntouch '${smiMarker}'\nexit 1\n`, { mode: 0o755 });
  s = await Session.open({
    name: 'untrusted',
    untrusted: true,
    workspacePluginPackages: [EXAMPLE_PLUGIN_DIR],
    workspaceCopies: [[MARKER_PLUGIN, path.join('tools', 'marker-plugin')]],
    workspaceSettings: {
      'tracelet.pluginPaths': ['./tools'],
      'tracelet.plugins': { mlflow: { enabled: true, config: { trackingUri: hostile.url } }, gpu: { config: { command: fakeSmi } } },
      'tracelet.run.paramsFiles': ['../outside.env'],
    },
    // The terminal's own settings are restricted too: the user's apply.
    userSettings: { 'terminal.integrated.defaultProfile.linux': 'bash', 'terminal.integrated.gpuAcceleration': 'off', 'tracelet.run.sampleInterval': 0 },
  });
  fs.writeFileSync(path.join(s.workspace, 'train.py'), TRAIN);
  fs.writeFileSync(path.join(s.root, 'outside.env'), `AWS_SESSION=${STOLEN}\n`);
});

after(async () => {
  await s?.close();
  await mlflow?.stop();
  await hostile?.close();
});

const loaded = (): string => path.join(s.workspace, 'tools', 'marker-plugin', 'LOADED');
const log = (): string => fs.readFileSync(s.traceletLog()!, 'utf8');
const runsRoot = (): string => path.join(s.workspace, '.tracelet', 'runs');

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200)); // files and other processes have no event to wait on
  }
}

/** Tracelet: Configure Plugin from the palette, then the plugin in its quick pick. */
async function configure(page: Page, plugin: string): Promise<FrameLocator> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.fill('>Tracelet: Configure Plugin');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Tracelet: Configure Plugin' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tracelet: Configure Plugin' }).waitFor();
  await box.fill(plugin);
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${plugin}$`) })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await activeTab(page)
    .filter({ hasText: `Configure ${plugin}` })
    .waitFor({ state: 'visible' });
  const doc = activeWebview(page);
  await doc.locator('h1', { hasText: `Configure ${plugin}` }).waitFor({ state: 'visible' });
  return doc;
}

async function trackedRun(command: string, predicate: (r: RunRecord) => boolean): Promise<RunRecord> {
  await typeCommand(s.page, command);
  let found: RunRecord | undefined;
  await waitFor(`a finished run of "${command}"`, () => (found = listRuns(runsRoot()).find((r) => r.status === 'finished' && predicate(r))) !== undefined);
  return found!;
}

test('in Restricted Mode no plugin from the folder loads and the workspace does not choose the gpu program', { timeout: 120_000 }, () =>
  s.scenario('untrusted-plugins', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    await waitForTreeRow(view, 'local', /active$/);
    const labels = (await treeRows(view)).map((r) => r.label);
    assert.ok(labels.includes('system'), 'the built-ins run');
    for (const name of ['marker_collector', 'csv_backend'])
      assert.ok(!labels.includes(name), `${name} from the workspace must not be listed: ${labels.join(', ')}`);
    assert.ok(!fs.existsSync(loaded()), 'the workspace plugin module did not run');
    assert.match(log(), /\[warning\] workspace plugins in \S+[\\/]\.tracelet[\\/]plugins not loaded: the workspace is not trusted/);
    assert.equal(log().match(/not loaded: the workspace is not trusted/g)?.length, 1, 'said once');
    // The status bar reads the gpu collector: it tried the user's command (nvidia-smi, not on this machine), not the workspace's.
    await waitFor('the gpu collector to try nvidia-smi', () => /\[gpu\] nvidia-smi was not found on PATH/.test(log()));
    assert.ok(!fs.existsSync(smiMarker), "the workspace's gpu command was not started");
    await s.screenshot('untrusted-plugins');
  }),
);

test('in Restricted Mode a run goes to the user’s MLflow with the user’s token, and nothing reaches the workspace’s server', { timeout: 240_000 }, () =>
  s.scenario('untrusted-secret', async () => {
    const doc = await configure(s.page, 'mlflow');
    assert.equal(await doc.locator('vscode-radio[data-scope="workspace"]').count(), 0, 'no Workspace scope to save to until the folder is trusted');
    await doc.locator('vscode-textfield[data-pointer="/trackingUri"] input').fill(mlflow.url);
    await doc.locator('vscode-textfield[data-pointer="/token"] input').fill(TOKEN);
    await doc.locator('#save').click();
    await doc.locator('.status.success').waitFor({ timeout: 30_000 });
    assert.match(await doc.locator('.status.success').innerText(), /Saved to User settings\. mlflow restarted and is active\./);
    await s.page.keyboard.press('Escape');
    await runCommand(s.page, 'View: Close All Editors');

    await openTerminal(s.page);
    const run = await trackedRun('python3 train.py --lr 0.01', (r) => r.command.includes('--lr 0.01'));
    assert.deepEqual(run.params, { lr: 0.01 }, "the workspace's params file (outside the folder) was not read");
    const inMlflow = async (): Promise<boolean> => {
      const found = await mlflow.api<{ runs?: { data: { params?: { key: string; value: string }[] } }[] }>('runs/search', undefined, { experiment_ids: ['0'] });
      return (found.runs ?? []).some((r) => r.data.params?.some((p) => p.key === 'lr' && p.value === '0.01'));
    };
    await waitFor("the run in the user's MLflow", inMlflow);
    assert.deepEqual(hostile.requests, [], "the workspace's trackingUri received nothing");
    assert.ok(!JSON.stringify(run).includes(STOLEN));
    await s.screenshot('untrusted-run');
  }),
);

test('granting trust applies the folder’s plugins and settings without a reload, and the token stays bound to the user’s server', { timeout: 240_000 }, () =>
  s.scenario('trust-granted', async () => {
    await runCommand(s.page, 'Workspaces: Manage Workspace Trust');
    await s.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).click();
    await s.page
      .locator('.part.statusbar', { hasText: 'Restricted Mode' })
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => undefined);

    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    await waitForTreeRow(view, 'marker_collector', /active$/, 60_000);
    await waitForTreeRow(view, 'csv_backend', /active$/);
    assert.ok(fs.existsSync(loaded()), 'the workspace plugin loaded once trusted');
    // The workspace's trackingUri applies now, and the token saved for the user's server is held back, naming both.
    const mlflowRow = await waitForTreeRow(view, 'mlflow', /error/);
    const saidHost = new URL(mlflow.url).host;
    assert.match(
      await mlflowRow.locator('.label-description').innerText(),
      new RegExp(`the token was saved for http://${saidHost.replace(/\./g, '\\.')}, not ${hostile.url.replace(/\./g, '\\.')}; re-enter it to use it there`),
    );
    // The workspace's program for the gpu collector is now the one started.
    await waitFor("the workspace's gpu command, now trusted", () => fs.existsSync(smiMarker));
    await s.screenshot('trust-granted');

    await typeCommand(s.page, 'clear');
    const run = await trackedRun('python3 train.py --lr 0.02', (r) => r.command.includes('--lr 0.02'));
    assert.deepEqual(run.params, { lr: 0.02 }, 'a params file outside the folder is refused even from a trusted workspace setting');
    assert.match(log(), /params file tracelet\.run\.paramsFiles entry "\.\.\/outside\.env" leaves the workspace folder, which a workspace setting may not do/);
    assert.deepEqual(
      hostile.requests.filter((r) => r.headers.authorization !== undefined),
      [],
      'no request to the workspace server carried a token',
    );
    assert.ok(!hostile.everything().includes(TOKEN), 'the token never reached the workspace server');
    assert.ok(!hostile.everything().includes(STOLEN));
  }),
);
