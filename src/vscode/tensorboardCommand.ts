import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRunRecord, runDirIn } from '../core/store/runRecord';
import type { PluginRuntime } from '../core/host/pluginRuntime';
import type { RunningTensorBoard } from '../plugins/tensorboard/tensorboardLauncher';
import { loadTensorBoardLauncher } from './lazy';
import type { RunTreeNode } from './runs/runsTreeModel';
import type { Settings } from './settings';
import { errorText } from '../core/errors';
import { escapeRegExp } from '../core/escapeRegExp';
import * as messages from './messages';
import { showError, showWarning } from './messages';
import { eventFilesFolder, runEventFiles } from '../core/host/tensorboardWriters';

export interface TensorBoardCommandDeps {
  host: PluginRuntime;
  settings: Settings;
  log: vscode.LogOutputChannel;
  runsRoot: () => string;
}

/**
 * "Tracelet: Open in TensorBoard": starts `tensorboard --logdir` for the folder of the plugin that
 * writes TensorBoard event files (capability tensorboardLogs), or one run's folder, from the Runs view,
 * or a folder given as an argument, and shows it in the Simple Browser. One TensorBoard per folder, reused;
 * all are stopped with the window.
 */
export class TensorBoardSessions implements vscode.Disposable {
  private readonly boards = new Map<string, Promise<RunningTensorBoard>>();

  constructor(private readonly deps: TensorBoardCommandDeps) {}

  async open(arg?: unknown): Promise<void> {
    const target = await this.targetFor(arg);
    if (!target) return;
    const { logDir, run } = target;
    let board = this.boards.get(logDir);
    if (board && !(await board.then((b) => b.isRunning()).catch(() => false))) board = undefined;
    if (!board) {
      // Only a trusted workspace may run a program from its own virtual environment.
      const folders = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) : [];
      const { findTensorBoard, startTensorBoard } = loadTensorBoardLauncher();
      const exe = findTensorBoard(folders);
      if (!exe) {
        await showError(
          'Tracelet: TensorBoard is not installed. Install it in the workspace\'s .venv or on PATH (`pip install tensorboard`), then run "Open in TensorBoard" again.',
          messages.runInTerminal('Install in Terminal', 'python3 -m pip install tensorboard'),
          { title: 'Copy Install Command', run: () => vscode.env.clipboard.writeText('pip install tensorboard') },
        );
        return;
      }
      this.deps.log.info(`starting ${exe} --logdir ${logDir}`);
      board = startTensorBoard(exe, logDir, { onOutput: (text) => this.deps.log.debug(`[tensorboard] ${text.trimEnd()}`) });
      this.boards.set(logDir, board);
    }
    let running: RunningTensorBoard;
    try {
      running = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting TensorBoard for ${logDir}` }, () => board!);
    } catch (err) {
      this.boards.delete(logDir);
      const message = errorText(err);
      this.deps.log.error(message);
      void showError(`Tracelet: ${message}`, messages.showLog());
      return;
    }
    this.deps.log.info(`TensorBoard for ${logDir} at ${running.url}${run ? ` (run ${run})` : ''}`);
    // One TensorBoard serves every run of the folder; a run from the Runs view is shown through its run filter, under its own name.
    await vscode.commands.executeCommand('simpleBrowser.show', run ? `${running.url}?runFilter=${encodeURIComponent(`^${escapeRegExp(run)}$`)}` : running.url);
  }

  dispose(): void {
    for (const board of this.boards.values()) void board.then((b) => b.stop()).catch(() => undefined);
    this.boards.clear();
  }

  /**
   * What to show: an explicit folder (path or Uri); a run from the Runs view, as its run in the folder of all runs of
   * the writer it was sent to; that writer's folder; or a folder the user picks.
   */
  private async targetFor(arg: unknown): Promise<{ logDir: string; run?: string } | undefined> {
    if (typeof arg === 'string') return { logDir: arg };
    if (arg instanceof vscode.Uri) return { logDir: arg.fsPath };
    const saved = (name: string) => this.deps.settings.plugin(name).config;
    const runId = (arg as RunTreeNode | undefined)?.runId;
    if (typeof runId === 'string') {
      let files: { root: string; folder: string } | undefined;
      try {
        const record = readRunRecord(runDirIn(this.deps.runsRoot(), runId));
        files = record && runEventFiles(this.deps.host.manager, saved, record);
      } catch (err) {
        void showError(`Tracelet: ${errorText(err)}`, messages.refreshRuns());
        return undefined;
      }
      // TensorBoard names a run by its folder's path from the log folder, with / between folders.
      if (files && fs.existsSync(files.folder)) return { logDir: files.root, run: path.relative(files.root, files.folder).split(path.sep).join('/') };
      void showWarning(
        'Tracelet: this run has no TensorBoard event files (was the tensorboard backend enabled?); showing the whole folder instead.',
        messages.openPluginsView(),
      );
    }
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const root = workspace ? eventFilesFolder(this.deps.host.manager, saved, workspace) : undefined;
    if (root && fs.existsSync(root)) return { logDir: root };
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      title: 'Folder with TensorBoard event files (runs/ of a SummaryWriter, or a --logdir)',
      openLabel: 'Open in TensorBoard',
    });
    const folder = picked?.[0]?.fsPath;
    return folder ? { logDir: folder } : undefined;
  }
}
