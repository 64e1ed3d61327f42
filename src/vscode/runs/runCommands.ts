import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../../core/errors';
import type { RunSession } from '../../core/run/runSession';
import { exportMetricsCsv } from '../../core/store/runReader';
import { METRICS_FILE, metricsFolder, readRunRecord, removeRunFolder, runDirIn, writeRunRecord } from '../../core/store/runRecord';
import type { RunTreeNode } from './runsTreeModel';
import type { TerminalTracker } from './terminalTracker';
import * as messages from '../messages';
import { showError, showWarning } from '../messages';
import { CommandId } from '../commandIds';

export interface RunCommandDeps {
  tracker: TerminalTracker;
  runsRoot: () => string;
  refresh: () => void;
}

/** The run's folder, or undefined (with an error shown) when the id would lead out of the runs folder. */
function runDirOf(deps: RunCommandDeps, node: unknown): string | undefined {
  const id = (node as RunTreeNode | undefined)?.runId;
  if (!id) return undefined;
  try {
    return runDirIn(deps.runsRoot(), id);
  } catch (err) {
    void showError(`Tracelet: ${errorText(err)}`, messages.refreshRuns());
    return undefined;
  }
}

export async function stopTracking(deps: RunCommandDeps): Promise<void> {
  const sessions = deps.tracker.sessions();
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage('Tracelet: no run is being tracked.');
    return;
  }
  let chosen: RunSession | undefined = sessions[0];
  if (sessions.length > 1) {
    const pick = await vscode.window.showQuickPick(
      sessions.map((s) => ({ label: s.record.name, description: s.record.command, detail: `${s.status().acknowledged} points so far`, session: s })),
      { title: 'Stop tracking which run?', placeHolder: 'The process keeps running; only tracking stops.' },
    );
    chosen = pick?.session;
  }
  if (chosen) await deps.tracker.stop(chosen);
  deps.refresh();
}

export async function exportRunCsv(deps: RunCommandDeps, node: unknown): Promise<void> {
  const dir = runDirOf(deps, node);
  if (!dir) return;
  const target = path.join(dir, 'metrics.csv');
  // Streamed a block at a time, and renamed into place: a metrics.csv that is a link (a run folder from a cloned repository) is replaced, not written through.
  // The metrics version the views show (docs/run-format.md). A long run takes seconds: the notification shows
  // before the export starts (one turn of the event loop lets it out).
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Tracelet: exporting the run's metrics as CSV" }, async () => {
      await new Promise((r) => setImmediate(r));
      exportMetricsCsv(path.join(metricsFolder(dir, readRunRecord(dir)?.metricsVersion), METRICS_FILE), target);
    });
  } catch (err) {
    void showError(`Tracelet: the metrics were not exported: ${errorText(err)}`, messages.refreshRuns(), messages.showLog());
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true });
}

export async function openRunFolder(deps: RunCommandDeps, node: unknown): Promise<void> {
  const dir = runDirOf(deps, node);
  if (!dir) return;
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(dir, 'run.json')));
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'run.json')), { preview: true });
}

export async function deleteRun(deps: RunCommandDeps, node: unknown): Promise<void> {
  const dir = runDirOf(deps, node);
  if (!dir) return;
  const label = (node as RunTreeNode).label;
  if (deps.tracker.sessions().some((s) => s.id === (node as RunTreeNode).runId)) {
    void showWarning(`Tracelet: "${label}" is being tracked; stop tracking it before deleting it.`, messages.stopTracking());
    return;
  }
  const yes = 'Delete';
  const answer = await vscode.window.showWarningMessage(`Delete run "${label}" and its metrics and artifacts? This cannot be undone.`, { modal: true }, yes);
  if (answer !== yes) return;
  try {
    await vscode.window.withProgress({ location: { viewId: 'tracelet.runs' }, title: `Deleting "${label}"` }, () =>
      removeRunFolder(deps.runsRoot(), (node as RunTreeNode).runId),
    );
  } catch (err) {
    void showError(
      `Tracelet: run "${label}" was not deleted: ${errorText(err)}`,
      { title: 'Open Run Folder', run: () => vscode.commands.executeCommand(CommandId.OpenRunFolder, node) },
      messages.showLog(),
    );
  }
  deps.refresh();
}

export async function renameRun(deps: RunCommandDeps, node: unknown): Promise<void> {
  const id = (node as RunTreeNode | undefined)?.runId;
  if (!id) return;
  const name = await vscode.window.showInputBox({
    title: 'Rename run',
    value: (node as RunTreeNode).label,
    validateInput: (v) => (v.trim() ? undefined : 'A run needs a name'),
  });
  if (!name) return;
  const live = deps.tracker.sessions().find((s) => s.id === id);
  if (live) live.rename(name.trim());
  else {
    const dir = runDirOf(deps, node);
    const record = dir && readRunRecord(dir);
    if (!dir || !record) return;
    record.name = name.trim();
    writeRunRecord(dir, record);
  }
  deps.refresh();
}
