import * as vscode from 'vscode';
import type { PluginInfo } from '../core/registry';
import type { ManagerStatus, StateChange } from '../core/managerTypes';
import { CORE_VERSION } from '../core/version';
import { PackageWatcher } from './authoring/packageWatcher';
import { VIEW_PLUGINS, VIEW_RUNS } from './commandIds';
import { createCommands } from './commands';
import { PluginLogDocuments } from './config/pluginLogDocuments';
import { PluginSecrets } from './config/pluginSecrets';
import { PluginSettingsWriter } from './config/pluginSettingsWriter';
import { disposeConfigPanels, loadStatusBar } from './lazy';
import { PluginHost } from './pluginHost';
import { PluginsTreeProvider } from './pluginsTree';
import { RunsController } from './runs/runsController';
import { RunsTreeProvider } from './runs/runsTree';
import { RunViews } from './views/runViews';
import { Settings } from './settings';
import type { StatusBar } from './statusBar';
import { StatusDocuments } from './statusDocuments';
import { registerWalkthrough } from './walkthrough';
import { TensorBoardSessions } from './tensorboardCommand';

/** What other extensions get from `vscode.extensions.getExtension('tracelet.tracelet-vscode').exports`. */
export interface TraceletApi {
  readonly coreVersion: string;
  registerPlugin(pluginClass: unknown): Promise<PluginInfo>;
  listPlugins(): PluginInfo[];
  getStatus(): Promise<ManagerStatus>;
  readonly onDidChangePlugins: vscode.Event<StateChange | undefined>;
  /** Milliseconds spent in activate(). */
  readonly activationMs: number;
}

let activeHost: PluginHost | undefined;
let activeRuns: RunsController | undefined;

export function activate(context: vscode.ExtensionContext): TraceletApi {
  const began = performance.now();
  const log = vscode.window.createOutputChannel('Tracelet', { log: true });
  const settings = new Settings();
  const secrets = new PluginSecrets(context.secrets);
  const host = new PluginHost(settings, log, vscode.Uri.joinPath(context.globalStorageUri, 'plugins').fsPath, secrets);
  activeHost = host;
  const tree = new PluginsTreeProvider(
    () => host.list(),
    () => host.discovered(),
    (name) => host.isEnabled(name),
    () => host.processorCosts(),
  );
  const view = vscode.window.createTreeView(VIEW_PLUGINS, { treeDataProvider: tree, showCollapseAll: true });
  const statusDocs = new StatusDocuments();
  // VS Code writes a log output channel to <logUri>/<name>.log; Show Plugin Log reads it from there.
  const logDocs = new PluginLogDocuments(vscode.Uri.joinPath(context.logUri, 'Tracelet.log').fsPath);
  context.subscriptions.push(log, host, tree, view, statusDocs, logDocs, { dispose: disposeConfigPanels });

  let runsTree: RunsTreeProvider | undefined;
  const runs = new RunsController(host, settings, log, context, () => runsTree?.refresh());
  activeRuns = runs;
  runsTree = new RunsTreeProvider(
    () => runs.runsRoot(),
    () => runs.tracker.sessions().map((s) => s.record),
  );
  const runsView = vscode.window.createTreeView(VIEW_RUNS, { treeDataProvider: runsTree, canSelectMany: true });
  registerWalkthrough(context, (terminal, commandLine) => runs.tracker.runTracked(terminal, commandLine));
  const runViews = new RunViews(
    context.extensionUri,
    log,
    () => runs.runsRoot(),
    runsTree.onDidChangeTreeData,
    runsTree.listing,
    () => runsView.selection,
  );
  context.subscriptions.push(runs, runsTree, runsView, runViews);
  // The status bar's code, its first render and the start of its sampler wait until activate() has returned:
  // it has nothing to show before the plugins start, and they start after activation.
  let statusBar: StatusBar | undefined;
  setImmediate(() => {
    statusBar = new (loadStatusBar())(host, settings);
    context.subscriptions.push(statusBar);
  });

  let refreshQueued = false;
  context.subscriptions.push(
    host.onDidChange(() => {
      // State changes come in bursts during a reload; one refresh per tick is enough.
      if (refreshQueued) return;
      refreshQueued = true;
      setImmediate(() => {
        refreshQueued = false;
        tree.refresh();
        void runsTree?.count();
      });
    }),
  );

  const runDeps = { tracker: runs.tracker, runsRoot: () => runs.runsRoot(), refresh: () => runsTree?.refresh() };
  const plugins = {
    host,
    settings,
    secrets,
    writer: new PluginSettingsWriter(),
    log,
    runsRoot: runDeps.runsRoot,
    extensionUri: context.extensionUri,
    logDocs,
    costs: () => statusBar?.reports() ?? [],
  };
  const tensorBoards = new TensorBoardSessions({ host, settings, log, runsRoot: runDeps.runsRoot });
  // Saving a file of a plugin package reloads that package alone.
  const packages = new PackageWatcher(host, log);
  context.subscriptions.push(tensorBoards, packages);
  const authoring = { host, changes: packages.changes, extensionUri: context.extensionUri };
  for (const [id, handler] of Object.entries(createCommands({ host, log, statusDocs, runs: runDeps, plugins, tensorBoards, authoring }))) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  context.subscriptions.push(
    // Plugins see the workspace folders in their context (the runs folder, the disks the readout shows).
    vscode.workspace.onDidChangeWorkspaceFolders(() => void host.reload()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Settings.affects(e)) void host.reload();
      else if (Settings.affectsPluginEntries(e)) void host.syncSettings();
    }),
    // Trust applies at once: the workspace's plugin folders, plugin settings and routes take effect, and
    // runs left pending while the folder was untrusted go to their backends.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('the workspace is now trusted: applying its settings and plugins');
      void host
        .reload()
        .then(() => runs.recover())
        .catch((err: unknown) => log.error(`applying the workspace's settings after trust was granted failed: ${String(err)}`));
    }),
  );

  void host
    .reload()
    .then(() => runs.recover())
    .catch((err: unknown) => log.error(`starting plugins or recovering runs failed: ${String(err)}`));
  const activationMs = performance.now() - began;
  log.info(`Tracelet ${String(context.extension.packageJSON.version)} (core ${CORE_VERSION}) activated in ${activationMs.toFixed(1)} ms`);

  return {
    coreVersion: CORE_VERSION,
    activationMs,
    registerPlugin: (pluginClass) => host.register(pluginClass),
    listPlugins: () => host.list(),
    getStatus: () => host.manager.getStatus(),
    onDidChangePlugins: host.onDidChange,
  };
}

export async function deactivate(): Promise<void> {
  await activeRuns?.tracker.suspendAll();
  await activeHost?.shutdown();
}
