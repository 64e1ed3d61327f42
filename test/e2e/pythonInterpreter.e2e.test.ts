// The W&B backend runs its bridge with the Python the Python extension has selected, when that extension is
// there: ms-python.python cannot be installed here, so a stand-in exporting the same environments API (its two
// calls Tracelet makes) is installed beside Tracelet and names the project's .venv Python, which has wandb.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { activeTab, activeWebview, runCommand } from './harness/workbench';

const STANDIN = path.join(REPO_ROOT, 'test', 'fixtures', 'extensions', 'python-standin');
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

let s: Session;

before(async () => {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing: run scripts/setup-python.sh (npm run test:all does)`);
  s = await Session.open({
    name: 'python-interpreter',
    otherExtensions: [STANDIN],
    env: { TRACELET_STANDIN_PYTHON: PYTHON },
    userSettings: { 'tracelet.plugins': { wandb: { enabled: true, config: { mode: 'offline' } } } },
  });
});

after(async () => {
  await s?.close();
});

test("the wandb plugin runs with the Python extension's interpreter and says so", { timeout: 120_000 }, () =>
  s.scenario('status', async () => {
    let text = '';
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      await runCommand(s.page, 'Tracelet: Show Plugin Status');
      await activeTab(s.page).filter({ hasText: 'Preview Tracelet Plugin Status.md' }).waitFor({ state: 'visible' });
      const doc = activeWebview(s.page);
      await doc.locator('h1', { hasText: 'Tracelet plugin status' }).waitFor({ state: 'visible' });
      text = await doc.locator('body').innerText();
      if (text.includes('(Python extension)')) break;
      await s.page.waitForTimeout(1000);
    }
    await s.screenshot('plugin-status');
    assert.ok(text.includes(`"python": "${PYTHON} (Python extension)"`), `the wandb plugin's status does not name the stand-in's Python:\n${text}`);
    const rows = await activeWebview(s.page)
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.deepEqual(rows.find((r) => r[0] === 'wandb')?.slice(3, 5), ['active', ''], 'wandb is active: its SDK was found in that Python');
  }),
);
