// The run views in a real VS Code: a run's charts growing live while train.py runs, Compare Runs from a multi-selection
// in the Runs view (two series, differing params marked, run data shown as text), log scale and smoothing, a CSV export
// of a zoomed range equal to the stored points, and the Runs table with 200 generated runs sorted and filtered; light,
// dark and high-contrast screenshots.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { LOST_OUTPUT_START } from '../../src/core/run/outputStart';
import { listRuns, newRunRecord, readRunRecord, type RunRecord, writeRunRecord } from '../../src/core/store/runRecord';
import { RunWriter } from '../../src/core/store/runWriter';
import type { Logger, MetricPoint } from '../../src/core/types';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';
import { waitForValue } from './harness/waitForValue';
import { activeTab, activeWebview, openActivityBarView, runCommand, waitForTreeRow } from './harness/workbench';

const TRAIN = path.join(REPO_ROOT, 'examples', 'demo-workspace', 'train.py');
const HOSTILE = '<img src=x onerror="document.title=1">';
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let s: Session;

/** A finished run written with the store's own writer, as the pipeline writes one. */
function writeRun(
  runsRoot: string,
  id: string,
  name: string,
  start: number,
  params: Record<string, unknown>,
  points: MetricPoint[],
  status: RunRecord['status'],
): void {
  const record = newRunRecord(
    { id, name, command: `python3 train.py --lr ${String(params.lr)}`, cwd: '/tmp', startTime: start, host: 'e2e', user: 'e2e', tags: {} },
    { pid: 0 },
  );
  record.params = params;
  record.context = { git: { branch: 'main', commit: '0123456789abcdef', dirty: id.endsWith('b') } };
  const writer = RunWriter.open({ runDir: path.join(runsRoot, id), record, logger: quiet, seriesIndex: false });
  if (points.length > 0) writer.append(points);
  writer.record.status = status;
  writer.record.endTime = start + 60_000;
  writer.record.exitCode = status === 'finished' ? 0 : 1;
  writer.end();
}

/** `loss` falling with a spike, `eval/score` crossing zero (a log axis cannot show part of it), and a NaN and an Infinity. */
function series(start: number, lr: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (let step = 0; step < 300; step++) {
    const time = start + step * 100;
    out.push({ name: 'loss', value: step === 150 ? 5 : Math.exp(-step * lr * 0.2) + 0.05 * Math.sin(step), step, time });
    out.push({ name: 'eval/score', value: step === 40 ? Number.NaN : step === 41 ? Number.POSITIVE_INFINITY : (step - 100) * lr, step, time });
  }
  return out;
}

const GENERATED = 200;
const generated = Array.from({ length: GENERATED }, (_, i) => ({
  id: `gen-${String(i).padStart(3, '0')}`,
  lr: ((i % 10) + 1) / 1000,
  status: (i % 3 === 0 ? 'failed' : 'finished') as RunRecord['status'],
}));

before(async () => {
  s = await Session.open({
    name: 'runView',
    workspaceSettings: {
      'tracelet.run.sampleInterval': 0,
      'terminal.integrated.defaultProfile.linux': 'bash',
      'terminal.integrated.gpuAcceleration': 'off',
      'workbench.colorTheme': 'Default Light Modern',
    },
  });
  fs.copyFileSync(TRAIN, path.join(s.workspace, 'train.py'));
  const runsRoot = path.join(s.workspace, '.tracelet', 'runs');
  const t0 = Date.now() - 3_600_000;
  writeRun(runsRoot, 'compare-a', 'baseline lr 0.1', t0, { lr: 0.1, epochs: 300, optimizer: 'sgd' }, series(t0, 0.1), 'finished');
  writeRun(runsRoot, 'compare-b', 'small lr', t0 + 120_000, { lr: 0.01, epochs: 300, optimizer: 'sgd', note: HOSTILE }, series(t0 + 120_000, 0.01), 'finished');
  for (const [i, g] of generated.entries())
    writeRun(
      runsRoot,
      g.id,
      `generated ${i}`,
      t0 - (i + 1) * 60_000,
      { lr: g.lr, batch: 32 + (i % 4) * 32 },
      [{ name: 'loss', value: 1 / (i + 1), step: 0, time: t0 }],
      g.status,
    );
});

after(async () => {
  await s?.close();
});

function view(): FrameLocator {
  return activeWebview(s.page);
}

function chart(doc: FrameLocator, metric: string): Locator {
  return doc.locator(`section.chart[data-metric="${metric}"]`);
}

async function attr(locator: Locator, name: string): Promise<string> {
  return (await locator.getAttribute(name)) ?? '';
}

/** Opens a dropdown by keyboard and moves `steps` options down (up when negative) from the one selected. */
async function pickOption(doc: FrameLocator, selectId: string, steps: number): Promise<void> {
  const select = doc.locator(`vscode-single-select#${selectId}`);
  await select.focus();
  await s.page.keyboard.press('Enter');
  for (let i = 0; i < Math.abs(steps); i++) await s.page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
  await s.page.keyboard.press('Enter');
}

async function setTheme(theme: string, bodyClass: string, doc: FrameLocator): Promise<void> {
  const file = path.join(s.workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
  await doc.locator(`body.${bodyClass}`).waitFor({ timeout: 30_000 });
}

async function closeEditors(): Promise<void> {
  // Keys typed while the focus is inside a webview may not reach the workbench (and a click on a webview's tab gives
  // the focus back to the webview): the side bar's title takes it first.
  await s.page.locator('.part.sidebar .composite.title').click();
  await runCommand(s.page, 'View: Close All Editors');
}

/**
 * Tracelet: Open Run View from the palette, then the run in its quick pick. Not runCommand: the palette turns into
 * the run picker instead of closing.
 */
async function openRunFromPalette(name: string): Promise<FrameLocator> {
  await s.page.keyboard.press('Escape');
  await s.page.keyboard.press('F1');
  const box = s.page.locator('.quick-input-widget .quick-input-box input');
  await box.fill('>Tracelet: Open Run View');
  await s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Tracelet: Open Run View' }).first().waitFor();
  await s.page.keyboard.press('Enter');
  await s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open which run?' }).waitFor();
  await box.fill(name);
  await s.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${name}$`) })
    .first()
    .click();
  await activeTab(s.page)
    .filter({ hasText: `Run: ${name}` })
    .waitFor();
  const doc = view();
  await chart(doc, 'loss').and(doc.locator('[data-loaded]')).waitFor({ timeout: 30_000 });
  return doc;
}

/** The Runs view with room to show its rows: the Plugins view above it collapsed, the list scrolled to its top (newest runs). */
async function runsPane(): Promise<Locator> {
  const pane = await openActivityBarView(s.page, 'Tracelet', 'Runs');
  const plugins = s.page.locator('.pane-header[aria-label="Plugins Section"]');
  if ((await plugins.getAttribute('aria-expanded')) === 'true') await plugins.click();
  await pane.locator('.monaco-list').first().hover();
  await s.page.mouse.wheel(0, -100_000);
  return pane;
}

test('a click on a live run opens its charts, which grow while train.py runs', { timeout: 180_000 }, () =>
  s.scenario('live', async () => {
    await openTerminal(s.page);
    await typeCommand(s.page, 'python3 train.py --epochs 400 --delay 0.15 --lr 0.05');
    const root = path.join(s.workspace, '.tracelet', 'runs');
    const run = await waitForValue(
      'the tracked run',
      async () => listRuns(root).find((r) => r.command.startsWith('python3 train.py --epochs 400')),
      (r) => r !== undefined,
      60_000,
    );
    const tree = await runsPane();
    const row = await waitForTreeRow(tree, run!.name);
    // Sampling is off here: only the view's own tick moves a live row on (its duration, its last loss).
    const described = async (): Promise<string> => (await row.locator('.label-description').innerText()).trim();
    const shown = await described();
    assert.match(shown, /^running · /);
    await waitForValue('the live row to move on', described, (d) => d !== shown && d.startsWith('running · '), 15_000);
    // Each click opens the run, though its row is drawn again every second (a row command with arguments expired
    // with each redraw, and a click in between did nothing).
    for (let i = 0; i < 3; i++) {
      await row.click();
      await activeTab(s.page)
        .filter({ hasText: `Run: ${run!.name}` })
        .waitFor({ timeout: 30_000 });
      // Closed once its page is up: a webview that takes the focus as it loads would close the command palette.
      await chart(view(), 'loss').and(view().locator('[data-loaded]')).waitFor({ timeout: 30_000 });
      await closeEditors();
    }
    await row.click();
    await activeTab(s.page)
      .filter({ hasText: `Run: ${run!.name}` })
      .waitFor();
    const doc = view();
    await doc.locator('h1', { hasText: run!.name }).waitFor();
    const loss = chart(doc, 'loss');
    await loss.and(doc.locator('[data-loaded]')).waitFor({ timeout: 30_000 });
    const first = Number(await attr(loss, 'data-points'));
    assert.ok(first > 0, 'the chart has points');
    const later = await waitForValue(
      'more points in the loss chart',
      async () => Number(await attr(loss, 'data-points')),
      (n) => n > first,
      30_000,
    );
    assert.ok(later > first, `the point count grew from ${first} to ${later}`);
    assert.match(await doc.locator('.run-header').innerText(), /running/);
    assert.match(await doc.locator('.run-header').innerText(), /python3 train\.py --epochs 400/);
    // The params parsed from the command line are in the header.
    assert.match(await doc.locator('table.params').innerText(), /lr\s+0\.05/);
    // The duration of a live run moves on by itself, between the host's updates of the header.
    const duration = doc.locator('.run-header span.duration');
    const before = await duration.innerText();
    assert.match(before, / so far$/);
    await waitForValue(
      'the duration to move on',
      () => duration.innerText(),
      (t) => t !== before,
      10_000,
    );
    await s.screenshot('live-run');
    await runCommand(s.page, 'View: Toggle Panel Visibility');
  }),
);

test('Compare Runs on two runs selected in the Runs view: two series, differing params marked, run data as text', { timeout: 180_000 }, () =>
  s.scenario('compare', async () => {
    await closeEditors();
    const tree = await runsPane();
    const a = await waitForTreeRow(tree, 'baseline lr 0.1');
    await a.click();
    await activeTab(s.page).filter({ hasText: 'Run: baseline lr 0.1' }).waitFor();
    const b = await waitForTreeRow(tree, 'small lr');
    await b.click({ modifiers: ['ControlOrMeta'] });
    await b.click({ button: 'right' });
    // The menu ignores a mouse-up that comes right after it opened: point at the item and press Enter.
    await s.page.locator('.context-view .monaco-menu .action-label', { hasText: /^Compare Runs$/ }).hover();
    await s.page.keyboard.press('Enter');
    await activeTab(s.page).filter({ hasText: 'Compare 2 runs' }).waitFor();
    const doc = view();
    const loss = chart(doc, 'loss');
    await loss.and(doc.locator('[data-loaded]')).waitFor({ timeout: 30_000 });
    assert.equal(await attr(loss, 'data-series'), '2');
    assert.deepEqual(
      (await loss.locator('.legend-item').allInnerTexts()).map((t) => t.trim()),
      ['baseline lr 0.1', 'small lr'],
    );
    assert.equal(await attr(doc.locator('tr.param[data-param="lr"]'), 'data-differs'), 'true');
    assert.equal(await attr(doc.locator('tr.param[data-param="optimizer"]'), 'data-differs'), 'false');
    // A param value holding markup is shown as those characters, and no element is made of it.
    const note = doc.locator('tr.param[data-param="note"] td').nth(1);
    assert.equal(await note.textContent(), HOSTILE);
    assert.equal(await doc.locator('img').count(), 0);
    // The NaN and the Infinity are gaps, said so under the chart.
    assert.match(await chart(doc, 'eval/score').locator('.chart-note').innerText(), /not finite \((NaN, Infinity|Infinity, NaN)\)/);
    // The crosshair names every run's value.
    const over = loss.locator('.u-over');
    const box = (await over.boundingBox())!;
    await s.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await waitForValue(
      'the crosshair readout',
      () => loss.locator('.readout').innerText(),
      (t) => /baseline lr 0\.1: .*small lr: /.test(t),
    );
    await s.screenshot('compare');
  }),
);

test('log scale says what it cannot show; smoothing draws the smoothed line over the raw one', { timeout: 120_000 }, () =>
  s.scenario('log-smoothing', async () => {
    const doc = view();
    const score = chart(doc, 'eval/score');
    await pickOption(doc, 'y-scale', 1);
    await waitForValue(
      'the log-axis note',
      () => score.locator('.chart-note').innerText(),
      (t) => /zero or negative: a log axis cannot show them/.test(t),
    );
    // Smoothing by keyboard: focus the slider, step it up.
    await doc.locator('#smoothing').focus();
    for (let i = 0; i < 60; i++) await s.page.keyboard.press('ArrowRight');
    assert.equal((await doc.locator('.smoothing-value').innerText()).trim(), '0.60');
    await waitForValue(
      'smoothed series',
      () => attr(chart(doc, 'loss'), 'data-smoothed'),
      (v) => v === 'true',
    );
    await s.screenshot('compare-log-smoothed');
    await pickOption(doc, 'y-scale', -1);
    await waitForValue(
      'the linear axis again',
      () => score.locator('.chart-note').innerText(),
      (t) => !/log axis/.test(t),
    );
    // Relative time on the x axis: every chart asks again.
    await pickOption(doc, 'x-axis', 1);
    await waitForValue(
      'relative time on the x axis',
      () => attr(chart(doc, 'loss'), 'data-x'),
      (v) => v === 'relative',
    );
    await pickOption(doc, 'x-axis', -1);
    await waitForValue(
      'steps on the x axis',
      () => attr(chart(doc, 'loss'), 'data-x'),
      (v) => v === 'step',
    );
  }),
);

test('drag to zoom, then Export CSV: the file holds exactly the stored points of the visible range', { timeout: 120_000 }, () =>
  s.scenario('export-csv', async () => {
    await closeEditors();
    const doc = await openRunFromPalette('baseline lr 0.1');
    const loss = chart(doc, 'loss');
    const box = (await loss.locator('.u-over').boundingBox())!;
    await s.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await s.page.mouse.down();
    await s.page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await s.page.mouse.up();
    const range = await waitForValue(
      'a zoomed range',
      () => attr(doc.locator('body'), 'data-range'),
      (r) => r !== '',
    );
    const [from, to] = range.split(',').map(Number) as [number, number];
    await waitForValue(
      'the zoomed chart',
      () => attr(loss, 'data-in-range'),
      (n) => Number(n) > 0 && Number(n) < 300,
    );
    await loss.locator('vscode-button', { hasText: 'CSV' }).click();
    // VS Code's own save dialog (the simple one in a browser), with the file name filled in.
    const input = s.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    const target = await waitForValue(
      'the file name in the save dialog',
      () => input.inputValue(),
      (v) => v.endsWith('.csv'),
    );
    assert.match(target, /baseline_lr_0\.1-loss-step-\d+-\d+\.csv$/);
    await s.page.keyboard.press('Enter');
    await doc.locator('.toolbar-status', { hasText: /^Saved / }).waitFor({ timeout: 30_000 });
    const file = path.join(s.workspace, path.basename(target));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'run,metric,x,step,value,time');
    const stored = readAllPoints(path.join(s.workspace, '.tracelet', 'runs', 'compare-a', 'metrics.bin')).points.filter(
      (p) => p.name === 'loss' && p.step! >= from && p.step! <= to,
    );
    assert.ok(stored.length > 10, `the range ${from}–${to} holds points`);
    assert.deepEqual(
      lines.slice(1),
      stored.map((p) => `baseline lr 0.1,loss,${p.step},${p.step},${p.value},${new Date(p.time).toISOString()}`),
    );
    assert.equal(Number(await attr(loss, 'data-in-range')), stored.length);
    // The chart as a PNG, through the same dialog.
    await loss.locator('vscode-button', { hasText: 'PNG' }).click();
    const png = await waitForValue(
      'the PNG name in the save dialog',
      () => input.inputValue(),
      (v) => v.endsWith('.png'),
    );
    await s.page.keyboard.press('Enter');
    await doc.locator('.toolbar-status', { hasText: /^Saved .*\.png$/ }).waitFor({ timeout: 30_000 });
    assert.deepEqual([...fs.readFileSync(path.join(s.workspace, path.basename(png))).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    // Double-click resets the zoom.
    await s.page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await waitForValue(
      'the whole series again',
      () => attr(loss, 'data-in-range'),
      (n) => n === '300',
    );
  }),
);

test('the Runs table lists 200 generated runs, sorts by a param, filters with an expression and compares selected rows', { timeout: 180_000 }, () =>
  s.scenario('table', async () => {
    await closeEditors();
    await runCommand(s.page, 'Tracelet: Open Runs Table');
    await activeTab(s.page)
      .filter({ hasText: /^Runs$/ })
      .waitFor();
    const doc = view();
    const table = doc.locator('table.runs-table');
    const total = listRuns(path.join(s.workspace, '.tracelet', 'runs')).length;
    assert.ok(total >= GENERATED + 2);
    await waitForValue(
      'every run in the table',
      () => attr(table, 'data-rows'),
      (n) => Number(n) === total,
    );
    // Only the rows in view are drawn.
    const drawn = await table.locator('tbody tr[data-run]').count();
    assert.ok(drawn > 5 && drawn < 80, `${drawn} rows drawn of ${total}`);

    // Sort by lr, ascending: the smallest first.
    await doc.locator('button.sort[data-column="params.lr"]').click();
    await waitForValue(
      'sorted by lr',
      () => attr(doc.locator('th:has(button[data-column="params.lr"])'), 'aria-sort'),
      (v) => v === 'ascending',
    );
    const lrIndex = await doc.locator('thead th').evaluateAll((ths) => ths.findIndex((th) => th.querySelector('[data-column="params.lr"]')));
    const firstLr = await table.locator('tbody tr[data-run]').first().locator('td').nth(lrIndex).innerText();
    assert.equal(firstLr.trim(), '0.001');

    const filter = doc.locator('vscode-textfield#filter input');
    await filter.fill('lr < 0.005 and status = finished');
    const expected = generated.filter((g) => g.lr < 0.005 && g.status === 'finished').length;
    await waitForValue(
      'the filtered rows',
      () => attr(table, 'data-rows'),
      (n) => Number(n) === expected,
    );
    await doc.locator('.count', { hasText: `${expected} of ${total} runs` }).waitFor();
    await filter.fill('command ~ "lr 0.01"');
    await waitForValue(
      'rows whose command holds "lr 0.01"',
      () => attr(table, 'data-rows'),
      (n) => Number(n) === 1 + generated.filter((g) => g.lr === 0.01).length,
    );
    // A filter that does not read: the core's error, the place marked, the rows of the last filter that read.
    await filter.fill('lr < ');
    await doc.locator('.filter-error', { hasText: 'The filter does not read at 6: a value (a number, a quoted text or a name) after "<"' }).waitFor();
    assert.equal(await doc.locator('.filter-error mark').count(), 1);
    await s.screenshot('table-filter-error');
    await filter.fill('lr < 0.005 and status = finished');
    await waitForValue(
      'the filtered rows again',
      () => attr(table, 'data-rows'),
      (n) => Number(n) === expected,
    );

    // Only columns that differ: batch differs, so it stays; the branch is main in every run, so it goes; status stays anyway.
    await doc.locator('vscode-checkbox#only-differing').focus();
    await s.page.keyboard.press('Space');
    await doc.locator('button.sort[data-column="branch"]').waitFor({ state: 'detached' });
    await doc.locator('button.sort[data-column="params.batch"]').waitFor();
    assert.equal(await doc.locator('button.sort[data-column="params.optimizer"]').count(), 0);
    await s.screenshot('table-light');

    // Two rows selected, compared.
    const boxes = table.locator('tbody tr[data-run] input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await doc.locator('#compare-selected', { hasText: 'Compare selected (2)' }).click();
    await activeTab(s.page).filter({ hasText: 'Compare 2 runs' }).waitFor();
  }),
);

test('the views follow the theme: dark and high contrast', { timeout: 120_000 }, () =>
  s.scenario('themes', async () => {
    await closeEditors();
    let doc = await openRunFromPalette('small lr');
    await s.screenshot('run-light');
    await setTheme('Default Dark Modern', 'vscode-dark', doc);
    await chart(doc, 'loss').and(doc.locator('[data-loaded]')).waitFor();
    await s.screenshot('run-dark');
    await setTheme('Default High Contrast', 'vscode-high-contrast', doc);
    await s.screenshot('run-high-contrast');
    await closeEditors();
    await runCommand(s.page, 'Tracelet: Open Runs Table');
    doc = view();
    await doc.locator('table.runs-table tbody tr[data-run]').first().waitFor();
    await s.screenshot('table-high-contrast');
    await setTheme('Default Dark Modern', 'vscode-dark', doc);
    await s.screenshot('table-dark');
  }),
);

test('a run that lost output, then is deleted while its view is open, says so; a metric with a single point is drawn and named', { timeout: 120_000 }, () =>
  s.scenario('deleted', async () => {
    await closeEditors();
    const doc = await openRunFromPalette('generated 5');
    assert.match(await chart(doc, 'loss').locator('.chart-note').innerText(), /One point so far/);
    // What the terminal tracker records when VS Code dropped the start of the command's output.
    const runDir = path.join(s.workspace, '.tracelet', 'runs', 'gen-005');
    writeRunRecord(runDir, { ...readRunRecord(runDir)!, outputNotes: [LOST_OUTPUT_START] });
    await doc.locator('.notice.warning', { hasText: /generated 5: VS Code did not pass on the start of the command's output/ }).waitFor({ timeout: 30_000 });
    await s.screenshot('run-lost-output-start');
    fs.rmSync(runDir, { recursive: true, force: true });
    await doc.locator('.notice.error', { hasText: /"generated 5" was deleted or renamed/ }).waitFor({ timeout: 30_000 });
    await s.screenshot('run-deleted');
    // Through all of the above, the pages broke no CSP rule and sent nothing the protocol refused.
    const log = fs.readFileSync(s.traceletLog()!, 'utf8');
    assert.doesNotMatch(log, /broke its Content-Security-Policy|ignored a message from the view/);
  }),
);
