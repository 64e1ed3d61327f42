// `npm run test:integration`: the suite .vscode-test.mjs describes, run in code-server instead of a downloaded
// VS Code. code-server's command line refuses --extensionTestsPath, but its web workbench reads
// extensionDevelopmentPath and extensionTestsPath from the page address's `payload` parameter (as
// @vscode/test-web uses it); the remote extension host then requires @vscode/test-cli's own runner, which
// reads the files and mocha options from VSCODE_TEST_OPTIONS as it does under test-electron. The workbench
// hands the runner's exit code to window.codeAutomationExit, and mocha's JSON reporter writes the results to
// a file, since that host's output reaches no terminal.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { findFiles, keepArtifacts } from '../e2e/harness/artifacts';
import { startCodeServer, type CodeServer } from '../e2e/harness/codeServer';
import { installExtension, packageExtension, readManifest } from '../e2e/harness/extension';
import { CHROMIUM, REPO_ROOT } from '../e2e/harness/paths';
import { CHROMIUM_ARGS } from '../e2e/harness/session';
import { formatReport, readReport } from './mochaReport';

/** The part of a test-cli configuration the run needs (its files, mocha options, folder and environment). */
interface SuiteConfig {
  label: string;
  files: string[];
  workspaceFolder: string;
  mocha: Record<string, unknown>;
  env: Record<string, string>;
}

/** Longer than the whole suite takes on a loaded machine; mocha's own per-test timeout catches a stuck test first. */
const RUN_TIMEOUT_MS = 20 * 60_000;
const RUNNER = path.join(REPO_ROOT, 'node_modules', '@vscode', 'test-cli', 'out', 'runner.cjs');

async function loadConfig(): Promise<SuiteConfig> {
  const configs = (await import(pathToFileURL(path.join(REPO_ROOT, '.vscode-test.mjs')).href)).default as SuiteConfig[];
  // Every entry runs the same suite on another VS Code version; code-server brings its own (1.100.3).
  const config = configs[0]!;
  if (config.files.length === 0) throw new Error('.vscode-test.mjs names no test files');
  return config;
}

/** Where code-server's --install-extension unpacked the .vsix: that folder is the extension under test. */
function installedFolder(extensionsDir: string): string {
  const m = readManifest();
  const folder = path.join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`);
  if (!fs.existsSync(path.join(folder, 'package.json'))) throw new Error(`the .vsix was not installed into ${folder}`);
  return folder;
}

async function main(): Promise<number> {
  const config = await loadConfig();
  const vsix = packageExtension();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-integration-'));
  const [userDataDir, extensionsDir, home] = ['user-data', 'extensions', 'home'].map((d) => path.join(root, d)) as [string, string, string];
  for (const dir of [userDataDir, extensionsDir, home]) fs.mkdirSync(dir, { recursive: true });
  const reportFile = path.join(root, 'mocha-report.json');
  installExtension(vsix, extensionsDir, userDataDir);
  const developmentPath = installedFolder(extensionsDir);

  const testOptions = {
    mochaOpts: { ...config.mocha, reporter: 'json', reporterOption: { output: reportFile } },
    files: config.files,
    preload: [],
    colorDefault: false,
  };
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const hostErrors: string[] = [];
  try {
    server = await startCodeServer({
      workspace: path.resolve(REPO_ROOT, config.workspaceFolder),
      userDataDir,
      extensionsDir,
      logFile: path.join(root, 'code-server.log'),
      // A home of its own, so that ~/.tracelet/plugins on this machine plays no part.
      env: { HOME: home, ...config.env, VSCODE_TEST_OPTIONS: JSON.stringify(testOptions) },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    let exited!: (code: number) => void;
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    // The workbench calls it with the runner's exit code once the tests are over (as under @vscode/test-web).
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    page.on('console', (m) => {
      if (m.type() === 'error') hostErrors.push(m.text());
    });
    // The remote extension host reads these paths on the server's disk: vscode-remote URIs of its authority.
    const remote = (file: string): string => `vscode-remote://127.0.0.1:${server!.port}${pathToFileURL(file).pathname}`;
    const payload = [
      ['extensionDevelopmentPath', remote(developmentPath)],
      ['extensionTestsPath', remote(RUNNER)],
    ];
    process.stdout.write(`integration: ${config.files.length} test files from .vscode-test.mjs in code-server, extension from ${path.basename(vsix)}\n`);
    await page.goto(`${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exitCode, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), RUN_TIMEOUT_MS)))]);
    clearTimeout(timer);

    const report = readReport(reportFile);
    if (report) process.stdout.write(`\n${formatReport(report)}\n`);
    const ok = code === 0 && report !== undefined && report.stats.failures === 0 && report.stats.tests > 0;
    if (!ok) {
      const why = code === -1 ? `no result within ${RUN_TIMEOUT_MS / 60_000} min` : `the extension host's test runner exited with ${code}`;
      process.stderr.write(`\nintegration: ${why}${report ? '' : ', and mocha wrote no report'}\n${hostErrors.map((e) => `  ${e}`).join('\n')}\n`);
      const logs = path.join(userDataDir, 'logs');
      await keepArtifacts({
        name: 'integration',
        page,
        logs: [
          ['code-server.log', server.logFile],
          ['exthost.log', findFiles(logs, (f) => path.basename(f) === 'remoteexthost.log')[0]],
          ['Tracelet.log', findFiles(logs, (f) => path.basename(f) === 'Tracelet.log')[0]],
          ['mocha-report.json', reportFile],
        ],
      });
    }
    return ok ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`integration: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
