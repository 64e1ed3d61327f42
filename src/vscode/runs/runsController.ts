import * as path from 'node:path';
import * as vscode from 'vscode';
import { findRunsToRecover, recoverRun } from '../../core/pipeline/recovery';
import { sinkForBackend } from '../../core/pipeline/backendSink';
import { readParamsFiles } from '../../core/run/paramsFile';
import { RunSession, type OutputParser } from '../../core/run/runSession';
import type { BackendLike } from '../../core/plugin';
import type { PluginHost } from '../pluginHost';
import type { Settings } from '../settings';
import { RunStatusItem } from './runStatusItem';
import { TerminalTracker, type SessionRequest } from './terminalTracker';

/**
 * Owns run tracking for the window: where runs are stored, starting sessions
 * with the current plugins and settings, and recovering runs a previous
 * window left unfinished.
 */
export class RunsController implements vscode.Disposable {
  readonly tracker: TerminalTracker;
  private readonly statusItem: RunStatusItem;
  private readonly sessionSubscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly host: PluginHost,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
    private readonly context: vscode.ExtensionContext,
    private readonly onRunsChanged: () => void,
  ) {
    this.tracker = new TerminalTracker({
      log,
      startSession: (request) => this.startSession(request),
      autoTrackPatterns: () => (settings.autoTrackEnabled() ? settings.autoTrackPatterns() : undefined),
    });
    this.statusItem = new RunStatusItem(this.tracker);
    this.tracker.onDidChange(() => {
      this.statusItem.update();
      onRunsChanged();
    });
  }

  /** The store: the `local` plugin's directory, else the workspace's .tracelet/runs, else the extension's storage. */
  runsRoot(): string {
    const configured = this.settings.plugin('local').config as { directory?: unknown };
    if (typeof configured?.directory === 'string' && configured.directory.trim()) return configured.directory;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return folder ? path.join(folder, '.tracelet', 'runs') : path.join(this.context.globalStorageUri.fsPath, 'runs');
  }

  private async startSession(request: SessionRequest): Promise<RunSession> {
    const manager = this.host.manager;
    const files = readParamsFiles(this.settings.paramsFiles(), request.cwd);
    for (const error of files.errors) this.log.warn(`params file ${error}`);
    const stdout = manager.getInstance('stdout') as { createParser?(): OutputParser } | undefined;
    const session = await RunSession.start({
      manager,
      runsRoot: this.runsRoot(),
      logger: this.log,
      command: request.command,
      cwd: request.cwd,
      ...(request.pid ? { pid: request.pid } : {}),
      ...(request.startTime ? { startTime: request.startTime } : {}),
      ...(request.name ? { name: request.name } : {}),
      versions: { vscode: vscode.version, extension: String(this.context.extension.packageJSON.version) },
      sampleIntervalMs: this.settings.runSampleInterval(),
      routes: this.settings.routes(),
      params: files.params,
      logFolders: this.settings.logFolders(),
      ...(typeof stdout?.createParser === 'function' ? { parser: stdout.createParser() } : {}),
    });
    this.sessionSubscriptions.push(
      session.onDidChange(() => {
        this.statusItem.update();
        this.onRunsChanged();
      }),
    );
    this.onRunsChanged();
    return session;
  }

  /** Delivers what a previous window left pending and closes its unfinished runs. */
  async recover(): Promise<void> {
    const root = this.runsRoot();
    const candidates = findRunsToRecover(root);
    if (candidates.length === 0) return;
    const manager = this.host.manager;
    for (const candidate of candidates) {
      const behind = await recoverRun(
        candidate,
        async (backend, record) => {
          if (manager.getPluginInfo(backend)?.state !== 'active') return undefined;
          const instance = (await manager.createRunInstance(backend, { ...record })) as BackendLike;
          return sinkForBackend(backend, instance, (phase, fn) => manager.call(backend, phase, fn));
        },
        this.log,
      );
      this.log.info(`recovered run ${candidate.record.id} as ${candidate.status}${behind.length ? `; still pending for ${behind.join(', ')}` : ''}`);
    }
    this.onRunsChanged();
  }

  dispose(): void {
    this.tracker.dispose();
    this.statusItem.dispose();
    for (const d of this.sessionSubscriptions) d.dispose();
  }
}
