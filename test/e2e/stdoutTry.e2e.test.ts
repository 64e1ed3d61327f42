// The stdout plugin's form (issue 15, item 8): with no run stored it says so; then, with run folders holding an
// output.log (corpus output copied in), a preset fills the draft, "Try on the last run's output" shows what it captures
// and what it drops against the saved settings, another run can be picked, and nothing is saved meanwhile.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { newRunRecord, writeRunRecord } from '../../src/core/store/runRecord';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { activeTab, activeWebview, openActivityBarView, waitForTreeRow } from './harness/workbench';

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'stdout-corpus');
/** Set-up lines a script prints before its fastai table: with every format on they are read as four metrics. */
const PREAMBLE = 'Loading data: seed=42 batch_size=64\nlr: 0.002\nvocab_size: 12000\n';

let s: Session;

before(async () => {
  s = await Session.open({ name: 'stdout-try', workspaceSettings: { 'tracelet.run.sampleInterval': 0 } });
});

after(async () => {
  await s?.close();
});

/** A finished run's folder in the workspace's store, as a tracked run leaves it, with its output.log. */
function addRun(id: string, startTime: number, output: string): void {
  const dir = path.join(s.workspace, '.tracelet', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const record = newRunRecord({ id, name: `train ${id.slice(-4)}`, command: 'python train.py', cwd: s.workspace, startTime, host: 'h', user: 'u', tags: {} });
  record.status = 'finished';
  writeRunRecord(dir, record);
  fs.writeFileSync(path.join(dir, 'output.log'), output);
}

function stdoutSettings(): unknown {
  const file = path.join(s.workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return (settings['tracelet.plugins'] as Record<string, unknown> | undefined)?.stdout;
}

/** The cells of a result table's rows, by column. */
async function rows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

/** Picks option `index` of a vscode-single-select by keyboard, as a user would. */
async function choose(doc: FrameLocator, selector: string, index: number): Promise<void> {
  await doc.locator(selector).focus();
  await s.page.keyboard.press('Enter');
  for (let i = 0; i < index; i++) await s.page.keyboard.press('ArrowDown');
  await s.page.keyboard.press('Enter');
}

test('a preset fills the draft and Try shows what it captures from a stored output, before saving', { timeout: 180_000 }, () =>
  s.scenario('preset-try', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    const row = await waitForTreeRow(view, 'stdout', /active$/);
    await row.hover();
    await row.locator('.action-label[aria-label="Configure Plugin"]').click();
    await activeTab(s.page).filter({ hasText: 'Configure stdout' }).waitFor();
    const doc = activeWebview(s.page);
    await doc.locator('h1', { hasText: 'Configure stdout' }).waitFor();

    // No run yet: the section says so, and so does Try.
    const result = doc.locator('[data-try-result]');
    await result.filter({ hasText: 'No run has stored output yet' }).waitFor();
    await doc.locator('#try').click();
    await doc.locator('.try-error', { hasText: /^No run has stored output yet: track a run in a terminal/ }).waitFor();

    addRun('20260101-100000-aaaa', Date.UTC(2026, 0, 1, 10), fs.readFileSync(path.join(CORPUS, 'xgboost-native.txt'), 'utf8'));
    addRun('20260101-110000-bbbb', Date.UTC(2026, 0, 1, 11), PREAMBLE + fs.readFileSync(path.join(CORPUS, 'fastai-fit-one-cycle.txt'), 'utf8'));

    // The first preset: its description, then the form filled with it (table on, the other formats off).
    await choose(doc, '#preset', 1);
    await doc.locator('[data-preset-description]', { hasText: /^Only tables: a header row/ }).waitFor();
    await doc.locator('#use-preset').click();
    await doc.locator('.status', { hasText: 'Filled in from the preset "Tables with a step column". Nothing is applied until you save.' }).waitFor();
    const checked = (format: string) =>
      doc.locator(`vscode-checkbox[data-pointer="/formats/${format}"]`).evaluate((el) => (el as unknown as { checked: boolean }).checked);
    assert.equal(await checked('table'), true);
    assert.equal(await checked('keyValue'), false);
    assert.equal(await checked('keyColon'), false);
    assert.match(await doc.locator('[data-preset-description]').innerText(), /^Only tables/, 'the preset stays chosen, its description shown');
    await s.screenshot('preset-filled');

    // Try reads the newest run: the table's four series over four epochs, and the set-up lines dropped.
    await doc.locator('#try').click();
    const summary = doc.locator('[data-try-summary]');
    await summary.waitFor();
    assert.match(await summary.innerText(), /^Run "train bbbb": read all \d+ bytes\. With the form’s settings: 16 records in 4 series\.$/);
    assert.deepEqual(await rows(doc.locator('[data-try-series]')), [
      ['train_loss', '4', '–', '–', '3', '0.308789'],
      ['valid_loss', '4', '–', '–', '3', '0.256456'],
      ['accuracy', '4', '–', '–', '3', '0.923243'],
      ['error_rate', '4', '–', '–', '3', '0.076757'],
    ]);
    assert.equal((await doc.locator('[data-try-diff]').innerText()).trim(), '−4 series against the saved settings (20 records with them).');
    assert.equal((await doc.locator('.try-removed').innerText()).trim(), '− seed, batch_size, lr, vocab_size');
    const records = await rows(doc.locator('[data-try-records]'));
    assert.equal(records.length, 16);
    assert.deepEqual(records[0], ['5', 'train_loss', '0.900617', '–', '0']);
    await doc.locator('#try-section').scrollIntoViewIfNeeded();
    await s.screenshot('preset-tried');

    // Nothing saved: the plugin's settings are as they were.
    assert.equal(fs.existsSync(path.join(s.workspace, '.vscode', 'settings.json')) ? stdoutSettings() : undefined, undefined);

    // The older run, picked from the list: XGBoost rounds, which this preset does not read.
    await choose(doc, '#try-run', 1);
    await doc.locator('#try', { hasText: "Try on this run's output" }).click();
    await summary.filter({ hasText: /^Run "train aaaa"/ }).waitFor();
    await doc.locator('[data-try-result] .empty', { hasText: 'These settings capture nothing from this output.' }).waitFor();
    assert.equal((await doc.locator('[data-try-diff]').innerText()).trim(), '−4 series against the saved settings (60 records with them).');
    await s.screenshot('other-run');
  }),
);
