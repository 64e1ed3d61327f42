// `npm run screenshot`: the picture the README opens with, taken from the packaged extension in a real VS Code
// (code-server and Chromium, as the e2e suite drives them): the demo's train.py tracked in a terminal, its Run view
// growing live, the Runs view and the status bar's system metrics. Writes media/readme/tracked-run.png.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns } from '../src/core/store/runRecord';
import { REPO_ROOT } from '../test/e2e/harness/paths';
import { Session } from '../test/e2e/harness/session';
import { openTerminal, typeCommand } from '../test/e2e/harness/terminal';
import { activeTab, activeWebview, openActivityBarView, waitForTreeRow } from '../test/e2e/harness/workbench';

const OUT = path.join(REPO_ROOT, 'media', 'readme', 'tracked-run.png');

async function until<T>(what: string, read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250)); // the run folder appears on the extension's schedule
  }
}

async function main(): Promise<void> {
  const s = await Session.open({
    name: 'readme',
    workspaceSettings: {
      'terminal.integrated.defaultProfile.linux': 'bash',
      'terminal.integrated.gpuAcceleration': 'off',
      'workbench.colorTheme': 'Default Dark Modern',
    },
    workspaceCopies: [[path.join(REPO_ROOT, 'examples', 'demo-workspace', 'train.py'), 'train.py']],
  });
  try {
    await s.page.setViewportSize({ width: 1400, height: 860 });
    // A repository, so that the run's header shows its branch and commit as a user's would.
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', ...args], { cwd: s.workspace, stdio: 'ignore' });
    };
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Train the demo model');
    await openTerminal(s.page);
    await typeCommand(s.page, 'python3 train.py --epochs 300 --delay 0.1 --lr 0.05');
    const root = path.join(s.workspace, '.tracelet', 'runs');
    const run = await until('the tracked run', () => listRuns(root).find((r) => r.command.startsWith('python3 train.py')), 60_000);
    const pane = await openActivityBarView(s.page, 'Tracelet', 'Runs');
    await (await waitForTreeRow(pane, run.name)).click();
    await activeTab(s.page)
      .filter({ hasText: `Run: ${run.name}` })
      .waitFor();
    const doc = activeWebview(s.page);
    const loss = doc.locator('section.chart[data-metric="loss"]');
    await loss.and(doc.locator('[data-loaded]')).waitFor({ timeout: 30_000 });
    // Long enough into the run for the curves to have a shape, while it is still live.
    const deadline = Date.now() + 60_000;
    while (Number((await loss.getAttribute('data-points')) ?? 0) < 120 && Date.now() < deadline) await s.page.waitForTimeout(500);
    // The panel's top edge dragged down, so the charts get most of the height and the terminal a few lines.
    const panel = await s.page.locator('.part.panel').boundingBox();
    if (panel) {
      await s.page.mouse.move(700, panel.y - 1);
      await s.page.mouse.down();
      await s.page.mouse.move(700, 640, { steps: 5 });
      await s.page.mouse.up();
    }
    await s.page.waitForTimeout(1500); // the charts redraw at their new size on the page's own schedule
    await s.page.mouse.move(0, 0);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await s.page.screenshot({ path: OUT });
    process.stdout.write(`wrote ${path.relative(REPO_ROOT, OUT)}\n`);
  } finally {
    await s.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
