// `npm run demo` serves the demo workspace with the extension and its sample plugin package.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findFiles, keepArtifacts } from './harness/artifacts';
import { freePort } from '../../src/plugins/tensorboard/freePort';
import { CHROMIUM, REPO_ROOT, SCREENSHOTS_DIR } from './harness/paths';
import { CHROMIUM_ARGS } from './harness/session';
import { dismissHover, openActivityBarView, treeRow, waitForTreeRow } from './harness/workbench';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-e2e-demo-'));
let demo: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let output = '';

after(async () => {
  await browser?.close();
  if (demo?.pid !== undefined && demo.exitCode === null) {
    const exited = new Promise((r) => demo!.once('exit', r));
    process.kill(-demo.pid, 'SIGTERM');
    await exited;
  }
  if (!process.env.TRACELET_E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
});

/** Starts scripts/demo.sh and resolves with the address it prints. */
async function startDemo(port: number): Promise<string> {
  const home = path.join(root, 'home');
  fs.mkdirSync(home, { recursive: true });
  demo = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'demo.sh')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), TRACELET_DEMO_DIR: path.join(root, 'demo'), HOME: home, TRACELET_PLUGIN_PATH: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo printed no address within 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    demo!.stdout!.on('data', onData);
    demo!.stderr!.on('data', onData);
    demo!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output}`));
    });
  });
}

test('npm run demo serves the demo workspace with the sample plugin package', { timeout: 180_000 }, async () => {
  try {
    const port = await freePort();
    const url = await startDemo(port);
    assert.equal(url, `http://127.0.0.1:${port}/?folder=${path.join(REPO_ROOT, 'examples', 'demo-workspace')}`);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    const explorer = page.locator('.part.sidebar');
    for (const file of ['train.py', 'README.md']) await treeRow(explorer, file).waitFor({ state: 'visible' });

    // The workspace's relative plugin path (../plugin-package) brings in the CSV backend.
    const view = await openActivityBarView(page, 'Tracelet', 'Plugins');
    await waitForTreeRow(view, 'csv_backend', /active/);
    await waitForTreeRow(view, 'local', /active/);
    await dismissHover(page);
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'demo-plugins.png') });
  } catch (err) {
    const logs = path.join(root, 'demo', 'user-data', 'logs');
    await keepArtifacts({
      name: 'demo',
      page,
      logs: [
        ['code-server.log', path.join(root, 'demo', 'code-server.log')],
        ['exthost.log', findFiles(logs, (f) => /^(remote)?exthost\.log$/.test(path.basename(f)))[0]],
        ['Tracelet.log', findFiles(logs, (f) => path.basename(f) === 'Tracelet.log')[0]],
      ],
    });
    throw err;
  }
});
