import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../../core/errors';
import { sinkForBackend } from '../../core/pipeline/backendSink';
import { readParamsFiles } from '../../core/run/paramsFile';
import { maskCommandLine } from '../../core/secrets/maskSecrets';
import type { RunSession } from '../../core/run/runSession';
import type { BackendLike } from '../../core/plugin';
import type { PluginHost } from '../pluginHost';
import { TRACKING, setContextKey } from '../contextKeys';
import { OPEN_RUN_OUTPUT, REPARSE_RUN, SEND_RUN_TO_BACKENDS, SWITCH_METRICS_VERSION } from '../commandIds';
import { loadRecovery, loadRunHandlers, loadRunSession } from '../lazy';
import type { Settings } from '../settings';
import { markRunTracked } from '../walkthrough';
import type { RunOutputDeps } from './runOutputCommands';
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
      maskCommand: (commandLine) => maskCommandLine(commandLine, host.knownSecrets()),
    });
    this.statusItem = new RunStatusItem(this.tracker);
    context.subscriptions.push(
      ...registerRunOutputCommands({
        host,
        settings,
        tracker: this.tracker,
        log,
        runsRoot: () => this.runsRoot(),
        refresh: onRunsChanged,
        runSession: loadRunSession,
      }),
    );
    this.tracker.onDidChange(() => this.changed());
  }

  /** A run started, changed or ended: the status item, the Runs view and the `when` clauses follow. */
  private changed(): void {
    this.statusItem.update();
    setContextKey(TRACKING, this.tracker.sessions().length > 0);
    this.onRunsChanged();
  }

  /** The store: where the active runStore plugin keeps runs (the `local` plugin's choice), else the extension's storage. */
  runsRoot(): string {
    return this.host.manager.capable('runStore')[0]?.instance.runsRoot ?? path.join(this.context.globalStorageUri.fsPath, 'runs');
  }

  /** The workspace folder a command runs in: what paths from workspace settings must stay inside. */
  private workspaceFolderOf(cwd: string): string {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(cwd))?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? cwd;
  }

  private async startSession(request: SessionRequest): Promise<RunSession> {
    await this.host.settled();
    const manager = this.host.manager;
    const paramsFiles = this.settings.paramsFiles();
    const files = readParamsFiles(paramsFiles.paths, request.cwd, paramsFiles.fromWorkspace ? this.workspaceFolderOf(request.cwd) : undefined);
    for (const error of files.errors) this.log.warn(`params file ${error}`);
    const logFolders = this.settings.logFolders();
    const session = await loadRunSession().start({
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
      fsync: this.settings.runFsync(),
      outputLogMaxBytes: this.settings.runOutputLogMaxBytes(),
      routes: this.settings.routes(),
      params: files.params,
      logFolders: logFolders.paths,
      ...(logFolders.fromWorkspace ? { logFoldersWithin: this.workspaceFolderOf(request.cwd) } : {}),
      knownSecrets: this.host.knownSecrets(),
      onProcessorCosts: (costs) => this.host.recordProcessorCosts(costs),
    });
    this.sessionSubscriptions.push(session.onDidChange(() => this.changed()));
    this.onRunsChanged();
    markRunTracked();
    return session;
  }

  /**
   * Delivers what a previous window left pending and closes its unfinished runs. In Restricted Mode the
   * runs are closed but nothing is sent: run folders in an untrusted workspace may be anyone's, and go to
   * the user's trackers only once the folder is trusted (this runs again then).
   */
  async recover(): Promise<void> {
    const root = this.runsRoot();
    const { findRunsToRecover, recoverRun } = loadRecovery();
    const candidates = findRunsToRecover(root, undefined, (folder, problem) => this.log.warn(`run folder ${folder}: ${problem}`));
    if (candidates.length === 0) return;
    const manager = this.host.manager;
    const send = vscode.workspace.isTrusted;
    for (const candidate of candidates) {
      try {
        const behind = await recoverRun(
          candidate,
          async (backend, record) => {
            if (!send || manager.getPluginInfo(backend)?.state !== 'active') return undefined;
            const instance = (await manager.createRunInstance(backend, { ...record })) as BackendLike;
            return sinkForBackend(backend, instance, (phase, fn) => manager.call(backend, phase, fn));
          },
          this.log,
        );
        this.log.info(`recovered run ${candidate.record.id} as ${candidate.status}${behind.length ? `; still pending for ${behind.join(', ')}` : ''}`);
      } catch (err) {
        // One unreadable or hostile run folder must not keep the others from being recovered.
        this.log.error(`run ${candidate.record.id} in ${candidate.runDir} was not recovered: ${errorText(err)}`);
      }
    }
    this.onRunsChanged();
  }

  dispose(): void {
    this.tracker.dispose();
    this.statusItem.dispose();
    for (const d of this.sessionSubscriptions) d.dispose();
  }
}

/** Open Run Output, Re-parse Run, Send Run to Backends and Switch Metrics Version, their code loaded when first run. */
function registerRunOutputCommands(deps: RunOutputDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_RUN_OUTPUT, (node?: unknown) => loadRunHandlers().openRunOutput(deps, node)),
    vscode.commands.registerCommand(REPARSE_RUN, (node?: unknown) => loadRunHandlers().reparseRunCommand(deps, node)),
    vscode.commands.registerCommand(SEND_RUN_TO_BACKENDS, (node?: unknown) => loadRunHandlers().sendRunToBackends(deps, node)),
    vscode.commands.registerCommand(SWITCH_METRICS_VERSION, (node?: unknown) => loadRunHandlers().switchMetricsVersion(deps, node)),
  ];
}
