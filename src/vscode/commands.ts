import * as vscode from 'vscode';
import type { CreatePluginDeps } from './authoring/createPlugin';
import { CommandId } from './commandIds';
import { configurePlugin, restartPlugin, setPluginEnabled, runPluginFix, showPluginLog, type PluginActionDeps } from './config/pluginActions';
import { pluginCostMarkdown } from './config/pluginCost';
import { loadCreatePlugin, loadRunHandlers } from './lazy';
import type { PluginHost } from './pluginHost';
import type { PluginTreeNode } from './pluginTreeModel';
import type { RunCommandDeps } from './runs/runCommands';
import { renderStatusMarkdown } from './statusDocument';
import type { StatusDocuments } from './statusDocuments';
import type { TensorBoardSessions } from './tensorboardCommand';

export interface CommandDeps {
  host: PluginHost;
  log: vscode.LogOutputChannel;
  statusDocs: StatusDocuments;
  runs: RunCommandDeps;
  plugins: PluginActionDeps;
  tensorBoards: TensorBoardSessions;
  authoring: CreatePluginDeps;
}

/** One table of every command handler; keys are the contributed command ids. */
export function createCommands(deps: CommandDeps): Record<CommandId, (...args: unknown[]) => unknown> {
  const { host, log, statusDocs, runs, plugins, tensorBoards, authoring } = deps;
  return {
    [CommandId.ReloadPlugins]: async () => {
      await vscode.window.withProgress({ location: { viewId: 'tracelet.plugins' }, title: 'Reloading plugins' }, () => host.reload());
      const failing = host.list().filter((p) => p.state === 'error');
      const message = `Tracelet: ${host.list().length} plugins loaded${failing.length ? `, ${failing.length} in error (${failing.map((p) => p.name).join(', ')})` : ''}.`;
      void vscode.window.setStatusBarMessage(message, 5000);
    },
    [CommandId.ShowPluginStatus]: async (node?: unknown) => {
      const only = (node as PluginTreeNode | undefined)?.pluginName;
      const markdown = renderStatusMarkdown(await host.manager.getStatus(), only) + (only ? pluginCostMarkdown(only, plugins.costs?.()) : '');
      await statusDocs.show(markdown);
    },
    [CommandId.StartTracking]: () => runs.tracker.trackActiveTerminal(),
    [CommandId.StopTracking]: () => loadRunHandlers().stopTracking(runs),
    [CommandId.RefreshRuns]: () => runs.refresh(),
    [CommandId.OpenRunFolder]: (node?: unknown) => loadRunHandlers().openRunFolder(runs, node),
    [CommandId.ExportRunCsv]: (node?: unknown) => loadRunHandlers().exportRunCsv(runs, node),
    [CommandId.DeleteRun]: (node?: unknown) => loadRunHandlers().deleteRun(runs, node),
    [CommandId.RenameRun]: (node?: unknown) => loadRunHandlers().renameRun(runs, node),
    [CommandId.ConfigurePlugin]: (node?: unknown) => configurePlugin(plugins, node),
    [CommandId.EnablePlugin]: (node?: unknown) => setPluginEnabled(plugins, node, true),
    [CommandId.DisablePlugin]: (node?: unknown) => setPluginEnabled(plugins, node, false),
    [CommandId.RestartPlugin]: (node?: unknown) => restartPlugin(plugins, node),
    [CommandId.ShowPluginLog]: (node?: unknown) => showPluginLog(plugins, node),
    [CommandId.RunPluginFix]: (node?: unknown) => runPluginFix(plugins, node),
    [CommandId.OpenLogs]: () => log.show(true),
    [CommandId.OpenTensorBoard]: (arg?: unknown) => tensorBoards.open(arg),
    [CommandId.CreatePlugin]: () => loadCreatePlugin()(authoring),
  };
}
