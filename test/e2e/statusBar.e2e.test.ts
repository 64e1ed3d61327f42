// The system-metrics status-bar item in a real workbench: plausible values, the tooltip table, the
// details quick pick, and settings that apply live without reloading the plugins.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { Session } from './harness/session';
import { dismissHover, hoverText } from './harness/workbench';

let s: Session;

/** The item, found by the accessibility label the extension gives it. */
function item(): Locator {
  return s.page.locator('.part.statusbar .statusbar-item[aria-label^="System metrics:"]');
}

async function itemText(): Promise<string> {
  return (await item().innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until the item's text matches, and returns the match. */
async function waitForText(pattern: RegExp, timeout = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    if (await item().count()) {
      last = await itemText();
      const m = pattern.exec(last);
      if (m) return m;
    }
    if (Date.now() > deadline) throw new Error(`status-bar item never matched ${pattern}; last text: "${last}"`);
    await s.page.waitForTimeout(250); // the item's text changes with each sample: there is no event to wait on
  }
}

function pluginStarts(): number {
  const log = s.traceletLog();
  return log ? (fs.readFileSync(log, 'utf8').match(/Plugin manager started/g) ?? []).length : 0;
}

before(async () => {
  s = await Session.open({ name: 'statusbar' });
});

after(async () => {
  await s?.close();
});

test('the status-bar item shows CPU between 0 and 100 and memory below the total', { timeout: 90_000 }, () =>
  s.scenario('values', async () => {
    const m = await waitForText(/CPU (\d+)% · MEM ([\d.]+)\/([\d.]+)G/, 60_000);
    const [cpu, used, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.ok(cpu >= 0 && cpu <= 100, `CPU ${cpu}%`);
    assert.ok(used > 0 && used < total, `memory ${used} of ${total} GiB`);
    // The same machine as this test: the total is its memory, as the status bar rounds it.
    const gib = os.totalmem() / 1024 ** 3;
    assert.ok(Math.abs(total - gib) <= (gib >= 10 ? 0.5 : 0.05), `total ${total} GiB, machine ${gib.toFixed(2)} GiB`);
    const hasNvidiaSmi = (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'nvidia-smi')));
    if (!hasNvidiaSmi) assert.doesNotMatch(await itemText(), /GPU/, 'no GPU field without nvidia-smi');
    await s.screenshot('item');
  }),
);

test('its tooltip is a table of the current values and what each collector costs', { timeout: 60_000 }, () =>
  s.scenario('tooltip', async () => {
    const text = await hoverText(s.page, item());
    await s.screenshot('tooltip');
    await dismissHover(s.page);
    for (const label of ['Tracelet: this machine', 'CPU', 'Per core', 'Memory', 'Disk /', 'Network', 'Collector cost', 'system']) {
      assert.ok(text.includes(label), `tooltip has "${label}": ${text}`);
    }
    assert.match(text, /system\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+%\s+ok/);
  }),
);

test('clicking it opens the live System Details quick pick', { timeout: 60_000 }, () =>
  s.scenario('details', async () => {
    await item().click();
    const widget = s.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Tracelet: System Details' }).waitFor({ state: 'visible' });
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    await rows
      .filter({ hasText: /Core 0/ })
      .first()
      .waitFor({ state: 'visible' });
    const shown = (await rows.allInnerTexts()).join('\n');
    await s.screenshot('details');
    await s.page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
    for (const heading of ['CPU', 'Memory', 'Disks']) assert.ok(shown.includes(heading), `"${heading}" group in: ${shown}`);
    assert.match(shown, /All cores\s+[█░]{10}\s+\d+%/);
  }),
);

test('settings apply live, without a plugin reload', { timeout: 90_000 }, () =>
  s.scenario('settings', async () => {
    const starts = pluginStarts();
    assert.equal(starts, 1, 'one plugin start so far');
    const settingsFile = path.join(s.workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ ...settings, 'tracelet.statusBar.fields': ['net', 'cpu', 'disk'], 'tracelet.statusBar.interval': 500 }, null, 2),
    );
    await waitForText(/^NET ↓\S+ ↑\S+ · CPU \d+% · DISK \d+%$/);
    await s.screenshot('fields');
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'tracelet.statusBar.enabled': false }, null, 2));
    await item().waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(pluginStarts(), starts, 'status-bar settings did not reload the plugins');
  }),
);
