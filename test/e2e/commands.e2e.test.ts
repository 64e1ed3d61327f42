// Every Tracelet command is in the command palette (those for a state this window is not in, hidden); Reload Plugins and Show Plugin Status do their work.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { offUntilEnabled } from '../../src/plugins/builtins';
import { EXAMPLE_PLUGIN_DIR, FIXTURE_PLUGINS_DIR } from './harness/paths';
import { Session } from './harness/session';
import {
  activeTab,
  activeWebview,
  closePalette,
  lineText,
  openActivityBarView,
  outputLines,
  paletteCommands,
  runCommand,
  waitForOutputLine,
  waitForTreeRow,
} from './harness/workbench';

/** The titles a user sees, as the issue names them. */
const TITLES = [
  'Tracelet: Reload Plugins',
  'Tracelet: Show Plugin Status',
  'Tracelet: Start Tracking Active Terminal',
  'Tracelet: Configure Plugin',
  'Tracelet: Open Logs',
];

let s: Session;

before(async () => {
  s = await Session.open({ name: 'commands', pluginPackages: [EXAMPLE_PLUGIN_DIR, path.join(FIXTURE_PLUGINS_DIR, 'bad-syntax')] });
});

after(async () => {
  await s?.close();
});

test('every Tracelet command is in the command palette', { timeout: 60_000 }, () =>
  s.scenario('palette', async () => {
    const shown = await paletteCommands(s.page, 'Tracelet:');
    await s.screenshot('palette');
    await closePalette(s.page);
    for (const title of TITLES) assert.ok(shown.includes(title), `"${title}" in the palette; shown: ${shown.join(', ')}`);
    // And every command package.json contributes, so a new one cannot be left out of the palette unnoticed;
    // those it hides from the palette (`"when": "false"`, item commands of a view) must not show.
    const palette = new Map((s.manifest.contributes.menus?.commandPalette ?? []).map((m) => [m.command, m.when]));
    for (const c of s.manifest.contributes.commands) {
      const title = `${c.category ? `${c.category}: ` : ''}${c.title}`;
      const when = palette.get(c.command);
      if (when === 'false') assert.ok(!shown.includes(title), `"${title}" (${c.command}) hidden from the palette`);
      // Shown only in some states (a run tracked, runs stored, a plugin with a fix): none holds in this fresh window.
      else if (when?.startsWith('tracelet.')) assert.ok(!shown.includes(title), `"${title}" (${c.command}, when ${when}) hidden in a window with no run`);
      else if (when === undefined) assert.ok(shown.includes(title), `"${title}" (${c.command}) in the palette`);
    }
  }),
);

test('Reload Plugins reloads and reports the plugin count', { timeout: 60_000 }, () =>
  s.scenario('reload', async () => {
    // With the Plugins view open, so that the reload's every state change reaches a tree VS Code is listing.
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    await waitForTreeRow(view, 'csv_backend', /active/);
    await runCommand(s.page, 'Tracelet: Open Logs');
    const first = await waitForOutputLine(s.page, 'Plugin manager started', /Plugin manager started with \d+ plugins/);
    const n = Number(/with (\d+) plugins/.exec(first)![1]);
    const started = outputLines(s.page, /Plugin manager started/);
    assert.equal(await started.count(), 1, 'one start before the reload');

    await runCommand(s.page, 'Tracelet: Reload Plugins');
    // The command's status bar message, shown for a few seconds, then a second start in the log.
    const message = s.page.locator('.part.statusbar').getByText(`Tracelet: ${n} plugins loaded, 1 in error (bad_syntax).`);
    await message.waitFor({ state: 'visible' });
    await started.nth(1).waitFor({ state: 'visible' });
    await s.screenshot('reload');
    // Everything starts but the broken package and the plugins that are off until enabled.
    assert.match(await lineText(started.nth(1)), new RegExp(`Plugin manager started with ${n} plugins: ${n - 1 - offUntilEnabled().size} active, 1 in error`));
    await waitForTreeRow(view, 'csv_backend', /active/);
    await waitForTreeRow(view, 'bad_syntax', /error/);
    // The reload replaced every plugin under the view without VS Code losing a group whose rows it was listing.
    assert.deepEqual(s.exthostLines(/No tree item with id/), []);
  }),
);

test('Show Plugin Status opens a Markdown preview with a table of plugins', { timeout: 60_000 }, () =>
  s.scenario('status', async () => {
    await runCommand(s.page, 'Tracelet: Show Plugin Status');
    await activeTab(s.page).filter({ hasText: 'Preview Tracelet Plugin Status.md' }).waitFor({ state: 'visible' });
    const doc = activeWebview(s.page);
    await doc.locator('h1', { hasText: 'Tracelet plugin status' }).waitFor({ state: 'visible' });
    const header = (await doc.locator('table thead th').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(header, ['Plugin', 'Type', 'Version', 'State', 'Error']);
    const rows = await doc
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    const byName = new Map(rows.map((r) => [r[0], r]));
    assert.deepEqual(byName.get('csv_backend'), ['csv_backend', 'backend', '0.1.0', 'active', '']);
    assert.deepEqual(byName.get('local')?.slice(1, 2), ['backend']);
    assert.deepEqual(byName.get('system')?.slice(1, 2), ['collector']);
    const bad = byName.get('bad_syntax');
    assert.deepEqual(bad?.slice(0, 4), ['bad_syntax', '—', '—', 'error']);
    assert.match(bad?.[4] ?? '', /syntax error/);
    const summary = await doc.locator('h1 + p').innerText();
    assert.match(summary, new RegExp(`^${rows.length} plugins: `));
    await s.screenshot('plugin-status');
  }),
);
