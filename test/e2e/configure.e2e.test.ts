// The plugin configuration form: a hand-edited invalid config shows on the plugin, the form checks fields as they are
// typed, saves non-secret values to settings and the token to SecretStorage only, restarts the plugin, and shows the
// token as stored when reopened. Then the token is looked for everywhere it must not be. Also the tree's plugin actions.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { listRuns } from '../../src/core/store/runRecord';
import { findFiles } from './harness/artifacts';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';
import { activeTab, activeWebview, openActivityBarView, runCommand, waitForTreeRow } from './harness/workbench';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins-e2e', 'config-backend');
/** Long and unusual enough that finding it anywhere can only mean it leaked. */
const TOKEN = 'tlt-e2e-5ecret-Q7vZ9xK2mW4pR8';
const TRAIN = 'import time\nfor i in range(3):\n    print(f"step={i} loss={1.0 / (i + 1):.3f}", flush=True)\n    time.sleep(0.2)\n';

let s: Session;

before(async () => {
  s = await Session.open({
    name: 'configure',
    pluginPackages: [FIXTURE],
    workspaceSettings: {
      // Hand-edited and invalid: the plugin must show the error naming the field, and activation must go on.
      'tracelet.plugins': { config_backend: { config: { serverUrl: 'http://127.0.0.1:5000', batchSize: 0 } } },
      'tracelet.run.sampleInterval': 0,
      'terminal.integrated.defaultProfile.linux': 'bash',
      'terminal.integrated.gpuAcceleration': 'off',
    },
  });
  fs.writeFileSync(path.join(s.workspace, 'train.py'), TRAIN);
});

after(async () => {
  await s?.close();
});

/** The form inside the configuration panel, and its parts by JSON Pointer. */
function form(page: Page): FrameLocator {
  return activeWebview(page);
}

function input(doc: FrameLocator, pointer: string): Locator {
  return doc.locator(`vscode-textfield[data-pointer="${pointer}"] input`);
}

function fieldError(doc: FrameLocator, pointer: string): Locator {
  return doc.locator(`[data-error-for="${pointer}"]`);
}

async function openForm(page: Page): Promise<FrameLocator> {
  await activeTab(page).filter({ hasText: 'Configure config_backend' }).waitFor({ state: 'visible' });
  const doc = form(page);
  await doc.locator('h1', { hasText: 'Configure config_backend' }).waitFor({ state: 'visible' });
  await doc.locator('vscode-textfield[data-pointer="/serverUrl"]').waitFor({ state: 'visible' });
  return doc;
}

/**
 * Tracelet: Configure Plugin from the palette, then config_backend in its quick pick. Not runCommand:
 * the palette turns into the plugin picker instead of closing.
 */
async function configureFromPalette(page: Page): Promise<FrameLocator> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.fill('>Tracelet: Configure Plugin');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Tracelet: Configure Plugin' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tracelet: Configure Plugin' }).waitFor();
  await box.fill('config_backend');
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name', { hasText: /^config_backend$/ })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  return openForm(page);
}

function workspaceSettings(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(s.workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

function pluginEntry(): { enabled?: boolean; config?: Record<string, unknown> } {
  return ((workspaceSettings()['tracelet.plugins'] as Record<string, unknown>)?.config_backend ?? {}) as {
    enabled?: boolean;
    config?: Record<string, unknown>;
  };
}

async function waitFor(what: string, check: () => boolean, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200)); // files have no event to wait on
  }
}

test('an invalid hand-edited config shows on the plugin, naming the field, and the other plugins start', { timeout: 90_000 }, () =>
  s.scenario('invalid-settings', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    const row = await waitForTreeRow(view, 'config_backend', /error/);
    assert.match(await row.locator('.label-description').innerText(), /error: invalid configuration: \/batchSize must be at least 1/);
    await waitForTreeRow(view, 'local', /active$/);
  }),
);

test('the form checks fields as they are typed, saves settings and the secret apart, and restarts the plugin', { timeout: 180_000 }, () =>
  s.scenario('save', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    const row = await waitForTreeRow(view, 'config_backend', /error/);
    await row.hover();
    await row.locator('.action-label[aria-label="Configure Plugin"]').click();
    const doc = await openForm(s.page);

    // What settings.json holds, with the default filled in where it says nothing, and the live error at the field.
    assert.equal(await input(doc, '/serverUrl').inputValue(), 'http://127.0.0.1:5000');
    assert.equal(await input(doc, '/batchSize').inputValue(), '0');
    assert.equal((await fieldError(doc, '/batchSize').innerText()).trim(), 'must be at least 1');
    assert.match(await doc.locator('[data-plugin-error]').innerText(), /\/batchSize must be at least 1/);
    assert.equal((await doc.locator('[data-secret-status="/token"]').innerText()).trim(), 'Not set');

    // Typing an invalid URL shows the error under it at once, and Save is refused.
    await input(doc, '/serverUrl').fill('not a url');
    await fieldError(doc, '/serverUrl').filter({ hasText: 'must be a valid uri' }).waitFor();
    await doc.locator('vscode-textfield[data-pointer="/serverUrl"][invalid]').waitFor();
    assert.equal(await doc.locator('#save').getAttribute('disabled'), '');
    assert.match(await doc.locator('.summary').innerText(), /2 problems to fix before saving/);
    await s.screenshot('form-with-errors');

    // Fixing both, then the rest by keyboard: the mode dropdown, the checkbox, the token.
    await input(doc, '/serverUrl').fill('http://127.0.0.1:5001/api');
    await input(doc, '/batchSize').fill('25');
    await fieldError(doc, '/serverUrl').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
    assert.equal(await fieldError(doc, '/batchSize').innerText(), '');
    const mode = doc.locator('vscode-single-select[data-pointer="/mode"]');
    await mode.focus();
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('Enter');
    await doc.locator('vscode-checkbox[data-pointer="/verifyTls"]').focus();
    await s.page.keyboard.press('Space');
    await input(doc, '/token').fill(TOKEN);
    assert.equal((await doc.locator('[data-secret-status="/token"]').innerText()).trim(), 'New value will be stored on save');
    assert.equal(await doc.locator('#save').getAttribute('disabled'), null);

    // Test connection runs on the host with the typed token, and reports without showing it.
    await doc.locator('#test').click();
    const tested = doc.locator('[data-test-result]').filter({ hasText: 'Connection works' });
    await tested.waitFor();
    assert.equal((await tested.innerText()).trim(), `Connection works: http://127.0.0.1:5001/api accepted a token of ${TOKEN.length} characters`);

    await doc.locator('vscode-radio[data-scope="workspace"]').waitFor();
    await doc.locator('#save').click();
    const saved = doc.locator('.status.success');
    await saved.waitFor({ timeout: 30_000 });
    assert.equal((await saved.innerText()).trim(), 'Saved to Workspace settings. config_backend restarted and is active.');
    await doc.locator('[data-plugin-state="active"]').waitFor();
    assert.equal(await doc.locator('[data-plugin-error]').count(), 0);
    assert.equal((await doc.locator('[data-secret-status="/token"]').innerText()).trim(), 'Stored');
    assert.equal(await input(doc, '/token').inputValue(), '', 'the token is not shown back');
    await s.screenshot('form-saved');

    // settings.json holds the non-secret values, and not the token.
    await waitFor('the saved config in settings.json', () => pluginEntry().config?.batchSize === 25);
    assert.deepEqual(pluginEntry().config, { serverUrl: 'http://127.0.0.1:5001/api', batchSize: 25, mode: 'offline', verifyTls: false });
    assert.doesNotMatch(fs.readFileSync(path.join(s.workspace, '.vscode', 'settings.json'), 'utf8'), new RegExp(TOKEN));

    // The plugin restarted into active with the token merged in from the secret storage.
    await waitForTreeRow(view, 'config_backend', /1\.0\.0 · active$/);
    await runCommand(s.page, 'Tracelet: Open Logs');
    const log = (): string => fs.readFileSync(s.traceletLog()!, 'utf8');
    await waitFor('the restart in the log', () =>
      /\[config_backend\] initialized for http:\/\/127\.0\.0\.1:5001\/api \(batch 25, offline\); token received/.test(log()),
    );
  }),
);

test('reopened, the form shows the stored values and the token only as stored', { timeout: 90_000 }, () =>
  s.scenario('reopen', async () => {
    await s.page.keyboard.press('Escape');
    await runCommand(s.page, 'View: Close All Editors');
    const doc = await configureFromPalette(s.page);
    assert.equal(await input(doc, '/serverUrl').inputValue(), 'http://127.0.0.1:5001/api');
    assert.equal(await input(doc, '/batchSize').inputValue(), '25');
    const mode = doc.locator('vscode-single-select[data-pointer="/mode"]');
    assert.equal(await mode.evaluate((el) => (el as unknown as { value: string }).value), '1', 'the second option');
    assert.equal((await mode.locator('vscode-option[value="1"]').textContent())?.trim(), 'offline');
    assert.equal(await doc.locator('vscode-checkbox[data-pointer="/verifyTls"]').evaluate((el) => (el as unknown as { checked: boolean }).checked), false);
    assert.equal((await doc.locator('[data-secret-status="/token"]').innerText()).trim(), 'Stored');
    assert.equal(await input(doc, '/token').inputValue(), '');
    assert.ok(!(await doc.locator('body').innerHTML()).includes(TOKEN), 'the token is nowhere in the form');
    await doc.locator('[data-plugin-state="active"]').waitFor();
    await s.screenshot('form-reopened');
  }),
);

test('the form runs under its CSP without a violation, and a violation would be reported', { timeout: 60_000 }, () =>
  s.scenario('csp', async () => {
    const doc = form(s.page);
    await doc.locator('h1').waitFor();
    const log = (): string => fs.readFileSync(s.traceletLog()!, 'utf8');
    assert.doesNotMatch(log(), /broke its Content-Security-Policy/, 'no violation while the form loaded and was used');
    // A canary: an inline style is exactly what the policy forbids; the form must notice and tell the host.
    // The tsconfig has no DOM lib: the element is typed by what the callback uses.
    await doc.locator('body').evaluate((body) => {
      const d = (body as unknown as { ownerDocument: { createElement(t: string): { textContent: string }; head: { append(n: unknown): void } } }).ownerDocument;
      const style = d.createElement('style');
      style.textContent = 'body { outline: 1px solid red; }';
      d.head.append(style);
    });
    await waitFor('the canary violation in the log', () =>
      /\[config_backend\] the configuration form broke its Content-Security-Policy: style-src-elem blocked inline/.test(log()),
    );
  }),
);

test('a tracked run leaves the token in no settings, log or run file', { timeout: 120_000 }, () =>
  s.scenario('no-leak', async () => {
    await openTerminal(s.page);
    await typeCommand(s.page, 'python3 train.py');
    const runs = path.join(s.workspace, '.tracelet', 'runs');
    await waitFor('the auto-tracked run to finish', () => listRuns(runs).some((r) => r.status === 'finished'), 60_000);
    const storage = path.join(s.userDataDir, 'User', 'globalStorage', `${s.manifest.publisher}.${s.manifest.name}`);
    const places = [
      ...findFiles(s.root, (f) => path.basename(f) === 'settings.json'),
      ...findFiles(path.join(s.userDataDir, 'logs'), () => true),
      ...findFiles(runs, () => true),
      ...findFiles(storage, () => true),
    ];
    assert.ok(
      places.some((f) => f.endsWith(path.join('.vscode', 'settings.json'))),
      'the workspace settings.json is searched',
    );
    assert.ok(
      places.some((f) => path.basename(f) === 'Tracelet.log'),
      'the Tracelet log is searched',
    );
    assert.ok(
      places.some((f) => f.startsWith(runs) && f.endsWith('run.json')),
      'the run files are searched',
    );
    const leaks = places.filter((f) => fs.readFileSync(f).includes(TOKEN));
    assert.deepEqual(leaks, [], `the token was found in ${leaks.join(', ')}`);
  }),
);

test('the tree disables, enables and restarts a plugin and shows its log', { timeout: 120_000 }, () =>
  s.scenario('tree-actions', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    const menu = async (label: string, plugin = 'config_backend'): Promise<void> => {
      const row = await waitForTreeRow(view, plugin);
      await row.click({ button: 'right' });
      // The menu ignores a mouse-up that comes right after it opened: point at the item and press Enter.
      await s.page.locator('.context-view .monaco-menu .action-label', { hasText: new RegExp(`^${label}$`) }).hover();
      await s.page.keyboard.press('Enter');
      // If the tree was refreshing as the menu ran, VS Code hands the command no item and it asks which plugin.
      const asked = await s.page
        .locator('.quick-input-widget .quick-input-title', { hasText: `Tracelet: ${label}` })
        .waitFor({ timeout: 1500 })
        .then(
          () => true,
          () => false,
        );
      if (asked) {
        await s.page.locator('.quick-input-widget .quick-input-box input').fill(plugin);
        await s.page
          .locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${plugin}$`) })
          .first()
          .waitFor();
        await s.page.keyboard.press('Enter');
      }
    };
    await menu('Disable Plugin');
    await waitForTreeRow(view, 'config_backend', /1\.0\.0 · disabled$/);
    await waitFor('enabled: false in settings.json', () => pluginEntry().enabled === false);
    assert.equal(pluginEntry().config?.batchSize, 25, 'the config is kept');
    await menu('Enable Plugin');
    await waitForTreeRow(view, 'config_backend', /1\.0\.0 · active$/);
    await waitFor('enabled: true in settings.json', () => pluginEntry().enabled === true);
    await menu('Restart Plugin');
    await s.page.locator('.part.statusbar').getByText('Tracelet: config_backend restarted (active).').waitFor();
    await menu('Show Plugin Log');
    await activeTab(s.page).filter({ hasText: 'config_backend.log' }).waitFor();
    const text = await s.page.locator('.part.editor .monaco-editor .view-lines').first().innerText();
    assert.match(text.replace(/\u00a0/g, ' '), /# config_backend: \d+ lines from the Tracelet log/);
    assert.match(text.replace(/\u00a0/g, ' '), /\[config_backend\] initialized for http:\/\/127\.0\.0\.1:5001\/api/);
    assert.doesNotMatch(text, /\[local\]/);
    await s.screenshot('plugin-log');

    // Show Plugin Status: the plugin's own getStatus(), and the cost the status bar's sampler measured.
    await menu('Show Plugin Status');
    let status = activeWebview(s.page);
    await status.locator('h2', { hasText: 'config_backend' }).waitFor();
    const json = await status.locator('pre').first().innerText();
    assert.deepEqual(JSON.parse(json), {
      running: true,
      serverUrl: 'http://127.0.0.1:5001/api',
      batchSize: 25,
      mode: 'offline',
      verifyTls: false,
      hasToken: true,
    });
    assert.match(await status.locator('body').innerText(), /Not measured/);
    await menu('Show Plugin Status', 'system');
    status = activeWebview(s.page);
    await status.locator('p', { hasText: /^Plugin system\.$/ }).waitFor();
    assert.match(await status.locator('body').innerText(), /Calls\s+[1-9]\d*/);
    await s.screenshot('plugin-status-cost');
  }),
);

test('the form follows the theme: dark and high contrast', { timeout: 90_000 }, () =>
  s.scenario('themes', async () => {
    const doc = await configureFromPalette(s.page);
    await input(doc, '/batchSize').fill('0');
    await fieldError(doc, '/batchSize').filter({ hasText: 'must be at least 1' }).waitFor();
    for (const [theme, bodyClass] of [
      ['Default Dark Modern', 'vscode-dark'],
      ['Default High Contrast', 'vscode-high-contrast'],
    ] as const) {
      const file = path.join(s.workspace, '.vscode', 'settings.json');
      fs.writeFileSync(file, JSON.stringify({ ...workspaceSettings(), 'workbench.colorTheme': theme }, null, 2));
      await doc.locator(`body.${bodyClass}`).waitFor({ timeout: 30_000 });
      await s.screenshot(`form-${bodyClass}`);
    }
    await input(doc, '/batchSize').fill('25');
    await fieldError(doc, '/batchSize').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
  }),
);

test('an unsaved edit survives the panel being hidden and shown again', { timeout: 90_000 }, () =>
  s.scenario('hide-show', async () => {
    let doc = await openForm(s.page);
    await input(doc, '/batchSize').fill('7');
    await input(doc, '/serverUrl').fill('http://127.0.0.1:5002');
    // Another editor in the same group hides the webview (its document is discarded: no retained context).
    await s.page.locator('.part.editor .tabs-container .tab', { hasText: 'config_backend.log' }).click();
    await activeTab(s.page).filter({ hasText: 'config_backend.log' }).waitFor();
    await s.page.locator('.part.editor .tabs-container .tab', { hasText: 'Configure config_backend' }).click();
    doc = await openForm(s.page);
    assert.equal(await input(doc, '/batchSize').inputValue(), '7');
    assert.equal(await input(doc, '/serverUrl').inputValue(), 'http://127.0.0.1:5002');
    assert.equal(pluginEntry().config?.batchSize, 25, 'nothing was saved');
  }),
);
