import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../../core/errors';
import { currentVersion, listVersions, readVersionInfo, switchVersion } from '../../core/output/metricsVersions';
import { OUTPUT_LOG_FILE } from '../../core/output/outputFiles';
import { ReparseError, reparseRun, type ReparseResult } from '../../core/output/reparse';
import { sinkForBackend, type BackendSink } from '../../core/pipeline/backendSink';
import { sendMetricsVersion, versionRunInfo } from '../../core/pipeline/sendVersion';
import type { BackendLike } from '../../core/plugin';
import { listRuns, readRunRecord, runDirIn, type RunRecord } from '../../core/store/runRecord';
import { OPEN_RUN_VIEW } from '../commandIds';
import type { RunSession } from '../../core/run/runSession';
import type { PluginHost } from '../pluginHost';
import type { Settings } from '../settings';
import type { RunTreeNode } from './runsTreeModel';
import type { TerminalTracker } from './terminalTracker';
import * as messages from '../messages';
import { offerInfo, showError, showWarning } from '../messages';

export interface RunOutputDeps {
  host: PluginHost;
  settings: Settings;
  tracker: TerminalTracker;
  log: vscode.LogOutputChannel;
  runsRoot: () => string;
  refresh: () => void;
  /** The run session's module (src/vscode/lazy.ts loads it), whose output parser a re-parse uses. */
  runSession: () => typeof RunSession;
}

/** What the commands act on: a run folder and its record. */
interface Target {
  dir: string;
  record: RunRecord;
}

const number = (n: number) => n.toLocaleString('en-US');

/** The clicked run, or one the user picks among those `fits` accepts; undefined (with a message) when there is none. */
async function targetOf(deps: RunOutputDeps, node: unknown, title: string, fits: (t: Target) => boolean, none: string): Promise<Target | undefined> {
  const root = deps.runsRoot();
  const id = (node as RunTreeNode | undefined)?.runId;
  try {
    if (id) {
      const dir = runDirIn(root, id);
      const record = readRunRecord(dir);
      if (record) return { dir, record };
      void showWarning(`Tracelet: run ${id} has no readable run.json; it may have been deleted.`, messages.refreshRuns());
      return undefined;
    }
  } catch (err) {
    void showError(`Tracelet: ${errorText(err)}`, messages.refreshRuns());
    return undefined;
  }
  const targets = listRuns(root)
    .map((record) => ({ dir: runDirIn(root, record.id), record }))
    .filter(fits);
  if (targets.length === 0) {
    void vscode.window.showInformationMessage(`Tracelet: ${none}`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    targets.map((t) => ({
      label: t.record.name,
      description: `${t.record.status} · ${new Date(t.record.startTime).toLocaleString()}`,
      detail: t.record.command,
      target: t,
    })),
    { title, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.target;
}

const hasOutput = (t: Target) => fs.existsSync(path.join(t.dir, OUTPUT_LOG_FILE));

function isTracked(deps: RunOutputDeps, t: Target): boolean {
  return deps.tracker.sessions().some((s) => s.id === t.record.id);
}

const NO_OUTPUT = (name: string) =>
  `Tracelet: run "${name}" has no stored output. Output is kept (output.log) for runs tracked in a terminal since Tracelet 0.2, unless tracelet.run.outputLogMaxMB is 0.`;

export async function openRunOutput(deps: RunOutputDeps, node?: unknown): Promise<void> {
  const t = await targetOf(
    deps,
    node,
    'Open the output of which run?',
    hasOutput,
    'no run has stored output yet. Track a training command in a terminal first.',
  );
  if (!t) return;
  const file = path.join(t.dir, OUTPUT_LOG_FILE);
  if (!fs.existsSync(file)) {
    void vscode.window.showInformationMessage(NO_OUTPUT(t.record.name));
    return;
  }
  // A text editor on the file: what the program printed is shown as text, never run or rendered.
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
}

export async function reparseRunCommand(deps: RunOutputDeps, node?: unknown): Promise<void> {
  const t = await targetOf(
    deps,
    node,
    'Re-parse which run with the current stdout settings?',
    (c) => hasOutput(c) && !isTracked(deps, c) && c.record.status !== 'running',
    'no ended run has stored output to re-parse.',
  );
  if (!t) return;
  if (isTracked(deps, t) || t.record.status === 'running') {
    void showWarning(`Tracelet: run "${t.record.name}" is still being tracked; re-parse it once it has ended.`, messages.stopTracking());
    return;
  }
  if (!hasOutput(t)) {
    void vscode.window.showInformationMessage(NO_OUTPUT(t.record.name));
    return;
  }
  await deps.host.settled();
  const manager = deps.host.manager;
  const parserName = manager.capable('outputParser')[0]?.name ?? 'core';
  let result: ReparseResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Re-parsing "${t.record.name}" with the current ${parserName} settings` },
      async () => {
        const session = deps.runSession();
        return session.withProcessors(manager, t.record, deps.log, (chain) =>
          reparseRun({
            runDir: t.dir,
            record: t.record,
            parser: session.outputParser(manager, deps.log, t.record.id),
            parserName,
            fallbackPrefixes: [...manager.capable('runSampler'), ...manager.capable('fileSource')].map((p) => p.metadata.metricPrefix),
            fsync: deps.settings.runFsync(),
            ...(chain.empty ? {} : { process: (points) => chain.run(points) }),
          }),
        );
      },
    );
  } catch (err) {
    const text = err instanceof ReparseError ? err.message : `run "${t.record.name}" was not re-parsed: ${errorText(err)}`;
    void showError(`Tracelet: ${text}`, messages.configurePlugin(parserName), messages.showLog());
    return;
  }
  deps.log.info(
    `run ${t.record.id} re-parsed into metrics version ${result.version}: ${result.series} series, ${result.points} points (${result.carried} carried)`,
  );
  deps.refresh();
  await reopenRunViews(t);
  const send = 'Send to Backends';
  const versions = 'Metrics Versions…';
  const answer = await vscode.window.showInformationMessage(
    `Re-parsed "${t.record.name}": ${number(result.series)} series, ${number(result.points)} points (was ${number(result.before.series)} series, ${number(result.before.points)} points). The views show metrics version ${result.version}; backends get it only if you send it.`,
    send,
    versions,
  );
  if (answer === send) await sendRunToBackends(deps, { runId: t.record.id });
  else if (answer === versions) await switchMetricsVersion(deps, { runId: t.record.id });
}

/** Open Run views of the run read the version they opened with: they are opened again on the version shown now. */
async function reopenRunViews(t: Target): Promise<void> {
  const title = `Run: ${t.record.name}`;
  const open = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('tracelet.runView') && tab.label === title);
  if (open.length === 0) return;
  await vscode.window.tabGroups.close(open);
  await vscode.commands.executeCommand(OPEN_RUN_VIEW, { runId: t.record.id });
}

export async function switchMetricsVersion(deps: RunOutputDeps, node?: unknown): Promise<void> {
  const t = await targetOf(deps, node, 'Metrics versions of which run?', (c) => listVersions(c.dir).length > 1, 'no run has been re-parsed yet.');
  if (!t) return;
  const versions = listVersions(t.dir);
  const shown = currentVersion(t.record);
  const sent = t.record.backendsVersion ?? 1;
  const items = versions.map((v) => {
    const info = readVersionInfo(t.dir, v);
    const detail = info
      ? `Re-parsed ${new Date(info.createdAt).toLocaleString()} by ${info.parser} from version ${info.from}: ${number(info.series)} series, ${number(info.points)} points`
      : 'As tracked';
    return {
      label: `Metrics version ${v} of ${versions.length}`,
      description: [v === shown ? 'shown' : '', v === sent ? 'sent to backends' : ''].filter(Boolean).join(' · '),
      detail,
      version: v,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title: `Show which metrics version of "${t.record.name}"?` });
  if (!picked || picked.version === shown) return;
  try {
    switchVersion(t.dir, t.record, picked.version);
  } catch (err) {
    void showError(`Tracelet: ${errorText(err)}`, messages.refreshRuns(), messages.showLog());
    return;
  }
  deps.refresh();
  await reopenRunViews(t);
  void vscode.window.setStatusBarMessage(`Tracelet: "${t.record.name}" shows metrics version ${picked.version} of ${versions.length}`, 5000);
}

export async function sendRunToBackends(deps: RunOutputDeps, node?: unknown): Promise<void> {
  const t = await targetOf(
    deps,
    node,
    'Send the metrics version shown of which run?',
    (c) => currentVersion(c.record) > 1,
    'no run shows a re-parsed metrics version.',
  );
  if (!t) return;
  const version = currentVersion(t.record);
  if (version === 1) {
    void vscode.window.showInformationMessage(
      `Tracelet: "${t.record.name}" shows metrics version 1, which its backends got while it was tracked. Re-parse it to make another version.`,
    );
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void showWarning('Tracelet: runs are sent to backends only in a trusted workspace; trust this folder first.', messages.manageTrust());
    return;
  }
  await deps.host.settled();
  const manager = deps.host.manager;
  const backends = manager.listPlugins('backend').filter((p) => p.state === 'active' && !p.metadata?.capabilities.includes('runStore'));
  if (backends.length === 0) {
    void offerInfo('Tracelet: no backend is enabled. Enable MLflow, W&B, TensorBoard, Aim or ClearML in the Plugins view first.', messages.openPluginsView());
    return;
  }
  const picked = await vscode.window.showQuickPick(
    backends.map((b) => ({ label: b.name, description: b.metadata?.description ?? '', picked: true })),
    { canPickMany: true, title: `Send metrics version ${version} of "${t.record.name}" to which backends? Each records it as a new run.` },
  );
  if (!picked || picked.length === 0) return;
  const info = versionRunInfo(t.record, version);
  const sinks: BackendSink[] = [];
  for (const { label: name } of picked) {
    try {
      const instance = (await manager.createRunInstance(name, info)) as BackendLike;
      sinks.push(sinkForBackend(name, instance, (phase, fn) => manager.call(name, phase, fn)));
    } catch (err) {
      void showError(`Tracelet: not sent to ${name}: ${errorText(err)}`, messages.configurePlugin(name), messages.showPluginLog(name));
    }
  }
  if (sinks.length === 0) return;
  const behind = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Sending metrics version ${version} of "${t.record.name}" to ${sinks.map((s) => s.name).join(', ')}`,
    },
    () => sendMetricsVersion({ runDir: t.dir, record: t.record, version, sinks, fromStart: true, routes: deps.settings.routes(), logger: deps.log }),
  );
  deps.refresh();
  const done = sinks.map((s) => s.name).filter((n) => !behind.includes(n));
  const parts = [
    done.length ? `sent to ${done.join(', ')}` : '',
    behind.length ? `${behind.join(', ')} still behind: the rest is sent after the next start` : '',
  ];
  void vscode.window.showInformationMessage(`Tracelet: metrics version ${version} of "${t.record.name}" ${parts.filter(Boolean).join('; ')}.`);
}

/** Registers the commands on a run's output and metrics versions. */
