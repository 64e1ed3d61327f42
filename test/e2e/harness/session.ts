import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from './codeServer';
import { installExtension, packageExtension, packageFolder, readManifest, type ExtensionManifest } from './extension';
import { findFiles, keepArtifacts } from './artifacts';
import { CHROMIUM, SCREENSHOTS_DIR } from './paths';

export interface SessionOptions {
  /** Names the temporary folder, the screenshots and the artifacts folder. */
  name: string;
  /** Plugin package folders copied into the workspace's plugin path. */
  pluginPackages?: string[];
  /** Extra workspace settings, merged over `tracelet.pluginPaths`. */
  workspaceSettings?: Record<string, unknown>;
  /** Plugin package folders copied into the workspace's own `.tracelet/plugins`. */
  workspacePluginPackages?: string[];
  /** Folders copied into the workspace before VS Code opens it: [source, path relative to the workspace]. */
  workspaceCopies?: [string, string][];
  /** Open the workspace untrusted (VS Code's workspace trust on, nobody answering its prompt). */
  untrusted?: boolean;
  /** Extra user settings (in the user-data folder), merged over the quiet defaults. */
  userSettings?: Record<string, unknown>;
  /** Folders of other extensions (stand-ins of ones that cannot be installed here), packaged and installed beside Tracelet. */
  otherExtensions?: string[];
  /** Extra environment for code-server and so the extension host. */
  env?: Record<string, string>;
}

/** Chromium as the recipe says: no sandbox as root, and none of its background traffic on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * User settings that keep the workbench quiet and predictable: no welcome page, tips or surveys, no
 * sticky tree headers, which float over the first rows and take the pointer events a test sends them, and
 * no auto save. code-server is VS Code for the web, whose `files.autoSave` defaults to `afterDelay` (1 s;
 * desktop VS Code's is `off`): on a loaded machine a pause of a second between two keys saved a half-typed
 * line, and the plugin showed that file's error where the test expected the one of its own Ctrl+S. A test
 * saves when it means to.
 */
const USER_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'workbench.tree.enableStickyScroll': false,
};

/** One code-server with a fresh user-data folder and one browser page on a workspace made for the test file. */
export class Session {
  private constructor(
    readonly name: string,
    readonly root: string,
    readonly workspace: string,
    readonly pluginsDir: string,
    readonly manifest: ExtensionManifest,
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(options: SessionOptions): Promise<Session> {
    const vsix = packageExtension();
    const manifest = readManifest();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `tracelet-e2e-${options.name}-`));
    const workspace = path.join(root, 'workspace');
    const pluginsDir = path.join(root, 'plugins');
    const userDataDir = path.join(root, 'user-data');
    const extensionsDir = path.join(root, 'extensions');
    const home = path.join(root, 'home');
    for (const dir of [workspace, pluginsDir, userDataDir, extensionsDir, home]) fs.mkdirSync(dir, { recursive: true });
    for (const pkg of options.pluginPackages ?? []) fs.cpSync(pkg, path.join(pluginsDir, path.basename(pkg)), { recursive: true });
    for (const pkg of options.workspacePluginPackages ?? [])
      fs.cpSync(pkg, path.join(workspace, '.tracelet', 'plugins', path.basename(pkg)), { recursive: true });
    for (const [from, to] of options.workspaceCopies ?? []) fs.cpSync(from, path.join(workspace, to), { recursive: true });
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'tracelet.pluginPaths': ['../plugins'], ...options.workspaceSettings }, null, 2),
    );
    fs.mkdirSync(path.join(userDataDir, 'User'));
    const trust = options.untrusted
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' }
      : {};
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust, ...options.userSettings }, null, 2));
    installExtension(vsix, extensionsDir, userDataDir);
    for (const folder of options.otherExtensions ?? []) installExtension(packageFolder(folder, root), extensionsDir, userDataDir);

    // A home of its own, so that ~/.tracelet/plugins and TRACELET_PLUGIN_PATH on this machine play no part.
    const env: NodeJS.ProcessEnv = { HOME: home, TRACELET_PLUGIN_PATH: '', ...options.env };
    const server = await startCodeServer({
      workspace,
      userDataDir,
      extensionsDir,
      env,
      logFile: path.join(root, 'code-server.log'),
      workspaceTrust: options.untrusted === true,
    });
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      // Tall enough for the Plugins view to show every built-in without scrolling: a row scrolled half under the view's header takes no clicks.
      const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
      await page.goto(server.url);
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      // The extension's activity-bar icon shows once the workbench has read its manifest: its commands are known then.
      const container = manifest.contributes.viewsContainers.activitybar[0]!.title;
      await page.locator(`.part.activitybar a.action-label[aria-label="${container}"]`).waitFor({ state: 'visible', timeout: 60_000 });
      return new Session(options.name, root, workspace, pluginsDir, manifest, server, browser, page);
    } catch (err) {
      await browser?.close();
      await server.stop();
      throw err;
    }
  }

  get userDataDir(): string {
    return this.server.userDataDir;
  }

  /** Saves a screenshot of the whole window to test/e2e/.screenshots/<session>-<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${this.name}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The extension host's log, written by VS Code under the user-data folder (code-server names it remoteexthost.log). */
  exthostLog(): string | undefined {
    return findFiles(path.join(this.userDataDir, 'logs'), (f) => /^(remote)?exthost\.log$/.test(path.basename(f)))[0];
  }

  /** The lines of the extension host log that match, such as the errors VS Code logs about the extension's views. */
  exthostLines(pattern: RegExp): string[] {
    const log = this.exthostLog();
    if (!log) throw new Error(`no extension host log under ${path.join(this.userDataDir, 'logs')}`);
    return fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line));
  }

  /**
   * Waits until the extension host log says VS Code activated the extension, without touching the
   * workbench (running one of its commands would activate it too), and returns the activation event.
   */
  async waitForActivation(timeoutMs = 60_000): Promise<{ time: string; event: string }> {
    const id = `${this.manifest.publisher}.${this.manifest.name}`.replace(/\./g, '\\.');
    const line = new RegExp(`^(\\S+ \\S+) \\[info\\] ExtensionService#_doActivateExtension ${id}, startup: \\w+, activationEvent: '([^']+)'`, 'm');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const log = this.exthostLog();
      const m = log ? line.exec(fs.readFileSync(log, 'utf8')) : null;
      if (m) return { time: m[1]!, event: m[2]! };
      if (Date.now() > deadline) throw new Error(`the extension was not activated within ${timeoutMs} ms (extension host log: ${log ?? 'none yet'})`);
      await new Promise((r) => setTimeout(r, 250)); // a log file has no event to wait on
    }
  }

  /** The "Tracelet" log output channel as VS Code writes it to disk. */
  traceletLog(): string | undefined {
    return findFiles(path.join(this.userDataDir, 'logs'), (f) => path.basename(f) === 'Tracelet.log')[0];
  }

  /**
   * Runs one scenario; if it throws, keeps a screenshot, the code-server log and the
   * extension host log under test/e2e/.artifacts/<session>-<scenario>/ and prints their paths.
   */
  async scenario(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      await keepArtifacts({
        name: `${this.name}-${name}`,
        page: this.page,
        logs: [
          ['code-server.log', this.server.logFile],
          ['exthost.log', this.exthostLog()],
          ['Tracelet.log', this.traceletLog()],
        ],
      });
      throw err;
    }
  }

  /**
   * Waits until Chromium counts its own startup as complete and returns how long that took. Until then it holds back
   * its best-effort work, the service workers' update checks among it (chrome/browser/after_startup_task_utils.cc:
   * startup is complete once the first visible tab is loaded and idle, or after a failsafe of minutes). VS Code
   * registers its webview service worker anew for each webview (the script's URL carries the webview's id), and that
   * registration waits behind the update check the previous webview's navigation queued for the same scope: a webview
   * opened after another one begins only when startup is complete. A workbench kept busy from its first seconds (a
   * terminal printing 1,000 lines/s) is never idle, and a reopened Run view began 28-36 s after its click. A user's
   * browser has long finished starting; a test that times webviews waits for this first.
   */
  async waitForBrowserStartup(timeoutMs = 60_000): Promise<number> {
    const cdp = await this.browser.newBrowserCDPSession();
    const started = Date.now();
    try {
      // Chromium records this histogram when it marks startup complete (SetBrowserStartupIsComplete), and tells no event.
      const complete = (): Promise<boolean> =>
        cdp.send('Browser.getHistogram', { name: 'Startup.AfterStartupTaskCount' }).then(
          () => true,
          () => false,
        );
      while (!(await complete())) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`Chromium did not mark its startup complete within ${timeoutMs} ms (no Startup.AfterStartupTaskCount histogram)`);
        await this.page.waitForTimeout(250);
      }
      return Date.now() - started;
    } finally {
      await cdp.detach();
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (!process.env.TRACELET_E2E_KEEP) fs.rmSync(this.root, { recursive: true, force: true });
    else process.stderr.write(`e2e: kept ${this.root}\n`);
  }
}
