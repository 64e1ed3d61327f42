import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import type { PluginHost } from './pluginHost';
import type { PluginTreeNode } from './pluginTreeModel';
import { renderStatusMarkdown } from './statusDocument';
import type { StatusDocuments } from './statusDocuments';

export interface CommandDeps {
  host: PluginHost;
  log: vscode.LogOutputChannel;
  statusDocs: StatusDocuments;
}

/** One table of every command handler; keys are the contributed command ids. */
export function createCommands(deps: CommandDeps): Record<CommandId, (...args: unknown[]) => unknown> {
  const { host, log, statusDocs } = deps;
  return {
    [CommandId.ReloadPlugins]: async () => {
      await vscode.window.withProgress({ location: { viewId: 'tracelet.plugins' }, title: 'Reloading plugins' }, () => host.reload());
      const failing = host.list().filter((p) => p.state === 'error');
      const message = `Tracelet: ${host.list().length} plugins loaded${failing.length ? `, ${failing.length} in error (${failing.map((p) => p.name).join(', ')})` : ''}.`;
      void vscode.window.setStatusBarMessage(message, 5000);
    },
    [CommandId.ShowPluginStatus]: async (node?: unknown) => {
      const only = (node as PluginTreeNode | undefined)?.pluginName;
      const markdown = renderStatusMarkdown(await host.manager.getStatus(), only);
      await statusDocs.show(markdown);
    },
    [CommandId.StartTracking]: () =>
      vscode.window.showInformationMessage('Tracelet: tracking terminal runs is not available in this version yet.'),
    [CommandId.StopTracking]: () => vscode.window.showInformationMessage('Tracelet: no run is being tracked.'),
    [CommandId.ConfigurePlugin]: (node?: unknown) => {
      const name = (node as PluginTreeNode | undefined)?.pluginName;
      return vscode.commands.executeCommand('workbench.action.openSettings', name ? `tracelet.plugins` : 'tracelet');
    },
    [CommandId.OpenLogs]: () => log.show(true),
  };
}
