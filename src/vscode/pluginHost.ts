import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PluginRuntime, type HostSecrets } from '../core/host/pluginRuntime';
import { selectedInterpreter } from '../core/python/pythonExtension';
import type { PythonSources } from '../core/python/pythonSources';
import type { Logger } from '../core/types';
import { builtinPlugins } from '../plugins/builtins';
import type { Settings } from './settings';

/**
 * The plugin folders to search: those in settings and, only in a trusted workspace, each workspace
 * folder's `.tracelet/plugins` (discovery passes over one that does not exist, so nothing here waits on the
 * disk); an untrusted one that exists is reported once (`warned` remembers it).
 */
function searchPaths(settings: Settings, log: Logger, warned: Set<string>): string[] {
  const paths = settings.pluginPaths();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const dir = path.join(folder.uri.fsPath, '.tracelet', 'plugins');
    if (vscode.workspace.isTrusted) paths.push(dir);
    else if (!warned.has(dir)) {
      void fs.promises.access(dir).then(
        () => {
          if (warned.has(dir)) return;
          warned.add(dir);
          log.warn(`workspace plugins in ${dir} not loaded: the workspace is not trusted`);
        },
        () => undefined,
      );
    }
  }
  return paths;
}

/**
 * The plugin runtime (src/core/host/pluginRuntime.ts) in a VS Code window: plugin folders from settings and
 * the workspace, trust and the workspace folders as plugins see them.
 */
export class PluginHost extends PluginRuntime implements vscode.Disposable {
  constructor(settings: Settings, log: vscode.LogOutputChannel, storageRoot: string, secrets?: HostSecrets) {
    // Not a field: the base constructor already asks for the search paths, before fields would be set.
    const warned = new Set<string>();
    // Where the W&B, ClearML and Aim bridges find their Python (src/core/python/interpreter.ts has the order).
    const python: PythonSources = {
      setting: () => settings.pythonInterpreter(),
      pythonExtension: async () => {
        const extension = vscode.extensions.getExtension('ms-python.python');
        if (!extension) return undefined;
        const api: unknown = extension.isActive ? extension.exports : await extension.activate();
        return selectedInterpreter(api, vscode.workspace.workspaceFolders?.[0]?.uri);
      },
    };
    const declared = builtinPlugins(python);
    super({
      settings,
      log,
      ...(secrets ? { secrets } : {}),
      managerOptions: () => ({
        declared,
        pluginPaths: searchPaths(settings, log, warned),
        timeoutMs: settings.pluginTimeout(),
        storageRoot,
        isTrusted: () => vscode.workspace.isTrusted,
        workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      }),
    });
  }
}
