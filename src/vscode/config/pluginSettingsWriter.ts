import * as vscode from 'vscode';
import type { JsonObject } from '../../core/form/jsonPointer';
import type { ScopeOption, SettingsScope } from '../../webviewProtocol/configProtocol';
import { definesEntry, withPluginConfig, withPluginEnabled } from './pluginSettingsEdit';

const SECTION = 'tracelet';
const KEY = 'plugins';

function target(scope: SettingsScope): vscode.ConfigurationTarget {
  return scope === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
}

function valueAt(scope: SettingsScope): unknown {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
  return scope === 'user' ? inspected?.globalValue : inspected?.workspaceValue;
}

/**
 * True when plugin settings can go to the workspace: one is open and trusted. In Restricted Mode VS Code
 * hides the workspace's value of this restricted setting, so writing it would replace what is there unseen.
 */
function hasWorkspace(): boolean {
  return ((vscode.workspace.workspaceFolders?.length ?? 0) > 0 || vscode.workspace.workspaceFile !== undefined) && vscode.workspace.isTrusted;
}

/** Writes `tracelet.plugins.<name>` at the User or Workspace scope; the only place the extension changes it. */
export class PluginSettingsWriter {
  /** The scopes the form offers, and whether each already configures the plugin. */
  scopes(name: string): ScopeOption[] {
    const out: ScopeOption[] = [{ scope: 'user', label: 'User', configured: definesEntry(valueAt('user'), name, 'config') }];
    if (hasWorkspace()) out.push({ scope: 'workspace', label: 'Workspace', configured: definesEntry(valueAt('workspace'), name, 'config') });
    return out;
  }

  /** Where the form saves unless the user picks otherwise: the most specific scope that configures the plugin, else User. */
  defaultScope(name: string): SettingsScope {
    return this.scopes(name).find((s) => s.scope === 'workspace' && s.configured)?.scope ?? 'user';
  }

  async writeConfig(name: string, config: JsonObject, scope: SettingsScope): Promise<void> {
    if (scope === 'workspace' && !hasWorkspace()) throw new Error('no trusted workspace is open: save to User settings instead');
    await vscode.workspace.getConfiguration(SECTION).update(KEY, withPluginConfig(valueAt(scope), name, config), target(scope));
  }

  /** Whether User or Workspace settings say whether the plugin is enabled. */
  decidesEnabled(name: string): boolean {
    return definesEntry(valueAt('workspace'), name, 'enabled') || definesEntry(valueAt('user'), name, 'enabled');
  }

  /** Persists enablement where it is already decided (Workspace before User), else in the workspace when one is open. */
  async writeEnabled(name: string, enabled: boolean): Promise<SettingsScope> {
    const scope: SettingsScope = definesEntry(valueAt('workspace'), name, 'enabled')
      ? 'workspace'
      : definesEntry(valueAt('user'), name, 'enabled') || !hasWorkspace()
        ? 'user'
        : 'workspace';
    await vscode.workspace.getConfiguration(SECTION).update(KEY, withPluginEnabled(valueAt(scope), name, enabled), target(scope));
    return scope;
  }
}
