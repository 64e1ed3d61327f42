import * as vscode from 'vscode';
import type { PluginInfo } from '../../core/registry';
import type { CollectorReport } from '../../core/sampler/types';
import { loadConfigPanel } from '../lazy';
import type { PluginTreeNode } from '../pluginTreeModel';
import type { ConfigServices } from './configRequests';
import type { PluginLogDocuments } from './pluginLogDocuments';
import * as messages from '../messages';
import { showError } from '../messages';

export interface PluginActionDeps extends ConfigServices {
  extensionUri: vscode.Uri;
  logDocs: PluginLogDocuments;
  /** What the status bar's sampler measured per collector, for Show Plugin Status. */
  costs?: () => CollectorReport[];
}

/** The plugin a command is about: the tree item it was run on, or one the user picks. */
async function pickPlugin(deps: PluginActionDeps, node: unknown, title: string, accept: (p: PluginInfo) => boolean = () => true): Promise<string | undefined> {
  const fromTree = (node as PluginTreeNode | undefined)?.pluginName;
  if (typeof fromTree === 'string') return fromTree;
  const plugins = deps.host
    .list()
    .filter(accept)
    .sort((a, b) => a.name.localeCompare(b.name));
  if (plugins.length === 0) {
    void vscode.window.showInformationMessage('Tracelet: no plugin to choose from.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    plugins.map((p) => ({
      label: p.name,
      description: [p.type, p.version, deps.host.isEnabled(p.name) ? p.state : 'disabled'].filter(Boolean).join(' · '),
      detail: p.error ?? (p.description || undefined),
    })),
    { title, placeHolder: 'Plugin' },
  );
  return picked?.label;
}

export async function configurePlugin(deps: PluginActionDeps, node: unknown): Promise<void> {
  const name = await pickPlugin(deps, node, 'Tracelet: Configure Plugin', (p) => p.metadata !== undefined);
  if (!name) return;
  if (!deps.host.manager.getPluginInfo(name)?.metadata) {
    void showError(
      `Tracelet: plugin "${name}" did not load, so it has no settings to configure.`,
      messages.showPluginStatus(name),
      messages.showPluginLog(name),
    );
    return;
  }
  loadConfigPanel().show(name, deps, deps.extensionUri);
}

/** Persists `tracelet.plugins.<name>.enabled`; the settings change starts or stops the plugin. */
export async function setPluginEnabled(deps: PluginActionDeps, node: unknown, enabled: boolean): Promise<void> {
  const name = await pickPlugin(
    deps,
    node,
    enabled ? 'Tracelet: Enable Plugin' : 'Tracelet: Disable Plugin',
    (p) => p.metadata !== undefined && deps.host.isEnabled(p.name) !== enabled,
  );
  if (!name) return;
  const scope = await deps.writer.writeEnabled(name, enabled);
  await deps.host.syncSettings();
  const state = deps.host.manager.getPluginInfo(name)?.state;
  void vscode.window.setStatusBarMessage(
    `Tracelet: ${name} ${enabled ? 'enabled' : 'disabled'} in ${scope === 'user' ? 'User' : 'Workspace'} settings${state ? ` (${state})` : ''}.`,
    5000,
  );
}

export async function restartPlugin(deps: PluginActionDeps, node: unknown): Promise<void> {
  const name = await pickPlugin(deps, node, 'Tracelet: Restart Plugin', (p) => p.metadata !== undefined);
  if (!name) return;
  if (!deps.host.isEnabled(name)) {
    void vscode.window.showInformationMessage(`Tracelet: ${name} is disabled in settings; enable it to start it.`);
    return;
  }
  const state = await vscode.window.withProgress({ location: { viewId: 'tracelet.plugins' }, title: `Restarting ${name}` }, () => deps.host.restart(name));
  const error = deps.host.manager.getPluginInfo(name)?.error;
  if (state === 'error') {
    const fix = deps.host.list().find((p) => p.name === name)?.fix;
    const fixes = [messages.configurePlugin(name), messages.showPluginLog(name)] as const;
    const message = `Tracelet: ${name} did not restart: ${deps.host.mask(error ?? 'unknown error')}`;
    void (fix ? showError(message, messages.runInTerminal('Run Fix in Terminal', fix), ...fixes) : showError(message, ...fixes));
  } else void vscode.window.setStatusBarMessage(`Tracelet: ${name} restarted (${state}).`, 5000);
}

export async function showPluginLog(deps: PluginActionDeps, node: unknown): Promise<void> {
  const name = await pickPlugin(deps, node, 'Tracelet: Show Plugin Log');
  if (name) await deps.logDocs.show(name);
}

/**
 * Runs the command a plugin's error names as its fix (a pip install for a Python SDK) in a terminal the
 * user sees, so that nothing is installed behind their back; the plugin restarts once they have run it.
 */
export async function runPluginFix(deps: PluginActionDeps, node: unknown): Promise<void> {
  const name = await pickPlugin(deps, node, 'Tracelet: Run Fix in Terminal', (p) => p.fix !== undefined);
  if (!name) return;
  const fix = deps.host.list().find((p) => p.name === name)?.fix;
  if (!fix) {
    void vscode.window.showInformationMessage(`Tracelet: "${name}" has no fix to run (its error names none).`);
    return;
  }
  messages.sendToNewTerminal(`Tracelet: fix ${name}`, fix);
}
