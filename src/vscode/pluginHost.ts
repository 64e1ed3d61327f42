import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PluginRuntime, type HostSecrets } from '../core/host/pluginRuntime';
import { BUILTIN_PLUGINS } from '../plugins/builtins';
import type { Settings } from './settings';

/**
 * The plugin runtime (src/core/host/pluginRuntime.ts) in a VS Code window: plugin folders from settings and,
 * only in a trusted workspace, its `.tracelet/plugins`; trust and the workspace folders as plugins see them.
 */
export class PluginHost extends PluginRuntime implements vscode.Disposable {
  /**
   * Folders already reported as not loaded for lack of trust: once per window is enough. Declared, not
   * initialised here: the base constructor already asks for the search paths, before fields are set.
   */
  private declare untrustedWarned: Set<string> | undefined;

  constructor(settings: Settings, log: vscode.LogOutputChannel, storageRoot: string, secrets?: HostSecrets) {
    super({
      settings,
      log,
      ...(secrets ? { secrets } : {}),
      managerOptions: () => ({
        builtins: BUILTIN_PLUGINS,
        pluginPaths: this.searchPaths(settings),
        timeoutMs: settings.pluginTimeout(),
        storageRoot,
        isTrusted: () => vscode.workspace.isTrusted,
        workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      }),
    });
  }

  private searchPaths(settings: Settings): string[] {
    const paths = settings.pluginPaths();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = path.join(folder.uri.fsPath, '.tracelet', 'plugins');
      if (!fs.existsSync(dir)) continue;
      if (vscode.workspace.isTrusted) paths.push(dir);
      else if (!(this.untrustedWarned ??= new Set()).has(dir)) {
        this.untrustedWarned.add(dir);
        this.log.warn(`workspace plugins in ${dir} not loaded: the workspace is not trusted`);
      }
    }
    return paths;
  }
}
