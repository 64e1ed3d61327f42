// A run keeps its output (issue 15, item 7): a script tracked in a real terminal prints colours, tqdm-style redraws, a
// secret and a format the default settings do not read; its output.log holds the lines as the terminal showed them
// (bars as their last redraw, no escapes, the secret masked), Open Run Output shows it, and after a custom pattern
// is added to the stdout settings Re-parse Run makes metrics version 2, whose new series the Run view charts, while
// version 1 stays byte for byte as it was.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { listRuns, readRunRecord, runDirIn } from '../../src/core/store/runRecord';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';
import { activeTab, activeWebview, runCommand } from './harness/workbench';

// It starts as a real script does, importing for a moment, so that its first line comes after its start (VS Code drops
// output that reaches the extension together with a command's start: src/core/run/outputStart.ts).
const SCRIPT = `import sys, time
time.sleep(0.3)
print("\\x1b[1mtraining\\x1b[0m with --api-key sk-e2e-not-for-logs", flush=True)
for epoch in range(4):
    for p in range(0, 101, 10):
        sys.stdout.write(f"\\r\\x1b[32mepoch {epoch}: {p:3d}%\\x1b[0m|{'#' * (p // 10):<10}|")
        sys.stdout.flush()
        time.sleep(0.01)
    print(flush=True)
    print(f"epoch {epoch} loss={1 / (epoch + 1):.4f}", flush=True)
    print(f">> grad norm is {0.5 * epoch + 1:.2f} at {epoch}", flush=True)
    time.sleep(0.2)
`;

let s: Session;
let runDir = '';

before(async () => {
  s = await Session.open({
    name: 'run-output',
    workspaceSettings: { 'terminal.integrated.defaultProfile.linux': 'bash', 'terminal.integrated.gpuAcceleration': 'off', 'tracelet.run.sampleInterval': 250 },
  });
  fs.writeFileSync(path.join(s.workspace, 'train_custom.py'), SCRIPT);
  await openTerminal(s.page);
});

after(async () => {
  await s?.close();
});

/** Runs a Tracelet command from the palette, then picks `label` in the run picker it opens. */
async function runOnPicked(title: string, pickerTitle: string, label: string): Promise<void> {
  await s.page.keyboard.press('Escape');
  await runCommand(s.page, title, { opensPicker: true });
  await s.page.locator('.quick-input-widget .quick-input-title', { hasText: pickerTitle }).waitFor();
  await s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name', { hasText: label }).first().click();
}

function writeWorkspaceSettings(extra: Record<string, unknown>): void {
  const file = path.join(s.workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...settings, ...extra }, null, 2));
}

test('a tracked run writes output.log as the terminal showed it, and Open Run Output opens it', { timeout: 180_000 }, () =>
  s.scenario('output', async () => {
    await typeCommand(s.page, 'python3 train_custom.py');
    const root = path.join(s.workspace, '.tracelet', 'runs');
    let run: ReturnType<typeof listRuns>[number] | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && !run; await s.page.waitForTimeout(250)) {
      run = listRuns(root).find((r) => r.command.includes('train_custom.py') && r.status !== 'running');
    }
    assert.ok(run, 'the run finished');
    runDir = runDirIn(root, run.id);
    const output = fs.readFileSync(path.join(runDir, 'output.log'), 'utf8');
    const lines = output.trimEnd().split('\n');
    assert.equal(lines[0], 'training with --api-key ********');
    assert.deepEqual(lines.slice(1, 4), ['epoch 0: 100%|##########|', 'epoch 0 loss=1.0000', '>> grad norm is 1.00 at 0']);
    assert.equal(lines.length, 13, output);
    assert.ok(!/[\x1b\r]/.test(output) && !output.includes('sk-e2e'), 'no escapes, no redraws, no secret');
    assert.ok(fs.existsSync(path.join(runDir, 'output.times')));
    const points = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    assert.equal(points.filter((p) => p.name === 'loss').length, 4);
    assert.ok(!points.some((p) => p.name.includes('grad')), 'the default settings do not read the custom line');

    await runOnPicked('Tracelet: Open Run Output', 'Open the output of which run?', run.name);
    await activeTab(s.page).filter({ hasText: 'output.log' }).waitFor();
    await s.page.locator('.editor-instance .view-lines', { hasText: 'epoch 3 loss=0.2500' }).waitFor();
    await s.screenshot('open-run-output');
  }),
);

test('Re-parse Run with a custom pattern makes version 2; the Run view charts its new series; version 1 is untouched', { timeout: 180_000 }, () =>
  s.scenario('reparse', async () => {
    assert.ok(runDir, 'the first test left a run');
    const before = fs.readFileSync(path.join(runDir, 'metrics.bin'));
    writeWorkspaceSettings({
      'tracelet.plugins': { stdout: { config: { customPatterns: [{ pattern: 'grad norm is (?<value>[0-9.]+) at (?<step>\\d+)', name: 'grad_norm' }] } } },
    });
    const name = readRunRecord(runDir)!.name;
    // The stdout plugin restarts with the new settings; Re-parse waits for the plugins to settle.
    await s.page.waitForTimeout(1500);
    await runOnPicked('Tracelet: Re-parse Run', 'Re-parse which run with the current stdout settings?', name);
    const toast = s.page.locator('.notification-toast', { hasText: `Re-parsed "${name}"` });
    await toast.waitFor({ timeout: 30_000 });
    const text = (await toast.textContent()) ?? '';
    assert.match(text, /\d+ series, [\d,]+ points \(was \d+ series, [\d,]+ points\)/);
    await s.screenshot('reparse-result');
    const record = readRunRecord(runDir)!;
    assert.equal(record.metricsVersion, 2);
    assert.deepEqual(fs.readFileSync(path.join(runDir, 'metrics.bin')), before, 'version 1 unchanged');
    const fresh = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    assert.deepEqual(
      fresh.filter((p) => p.name === 'grad_norm').map((p) => [p.step, p.value]),
      [0, 1, 2, 3].map((e) => [e, 0.5 * e + 1]),
    );
    const system = (pts: typeof fresh) => pts.filter((p) => p.name.startsWith('system/') || p.name.startsWith('process/')).length;
    assert.equal(system(fresh), system(readAllPoints(path.join(runDir, 'metrics.bin')).points), 'the samplers’ points are carried');

    await s.page.keyboard.press('Escape');
    await runOnPicked('Tracelet: Open Run View', 'Open which run?', name);
    await activeTab(s.page)
      .filter({ hasText: `Run: ${name}` })
      .waitFor();
    const doc = activeWebview(s.page);
    await doc.locator('section.chart[data-metric="grad_norm"]').and(doc.locator('[data-loaded]')).waitFor({ timeout: 30_000 });
    await doc.locator('section.chart[data-metric="loss"]').waitFor();
    await s.screenshot('reparse-run-view');
  }),
);
