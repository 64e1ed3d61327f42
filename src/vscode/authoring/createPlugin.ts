import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { packageDirOf, type PackageChanges } from '../../core/host/packageChanges';
import type { PluginHost } from '../pluginHost';
import { pluginNameProblem, scaffoldPlugin, type PluginKind, type Scaffold } from './pluginScaffold';
import { errorText } from '../../core/errors';
import { showError, showLog, showWarning } from '../messages';
import { CommandId } from '../commandIds';

export interface CreatePluginDeps {
  host: PluginHost;
  changes: PackageChanges;
  /** The template and tracelet.d.ts are in its dist/. */
  extensionUri: vscode.Uri;
}

const TITLE = 'Tracelet: Create Plugin';

const KINDS: (vscode.QuickPickItem & { pluginKind: PluginKind })[] = [
  { label: 'Backend', detail: "Receives every tracked run's params and points: send them to a tracker, a file, a database.", pluginKind: 'backend' },
  { label: 'Collector', detail: 'Returns numbers, sampled during runs and for the status bar.', pluginKind: 'collector' },
  { label: 'Backend and collector', detail: 'Both, in one package: <name>_backend and <name>_collector.', pluginKind: 'both' },
];

function tildify(folder: string): string {
  const home = os.homedir();
  return folder === home || folder.startsWith(home + path.sep) ? `~${folder.slice(home.length)}` : folder;
}

/** The folder the package goes in: a plugin search folder (~/.tracelet/plugins first), or one the user picks. */
async function pickParent(host: PluginHost): Promise<string | undefined> {
  const home = path.join(os.homedir(), '.tracelet', 'plugins');
  const folders = [home, ...host.pluginFolders().filter((f) => f !== home)];
  const items: (vscode.QuickPickItem & { folder?: string })[] = [
    ...folders.map((f) => ({ label: tildify(f), detail: f === home ? 'Your plugins, loaded in every window' : 'A plugin folder of this window', folder: f })),
    { label: '$(folder-opened) Choose a folder…', detail: 'Tracelet loads it once the folder is in tracelet.pluginPaths' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (3/3): where`,
    placeHolder: 'The folder that holds the new package',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.folder !== undefined) return picked.folder;
  const uris = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    openLabel: 'Create the Plugin Here',
    defaultUri: vscode.Uri.file(os.homedir()),
  });
  return uris?.[0]?.fsPath;
}

/** Says the folder exists and offers to open it; nothing is written into it. */
async function refuseExisting(dir: string): Promise<void> {
  await showWarning(`Tracelet: ${tildify(dir)} already exists, and Create Plugin writes only a new folder: nothing was changed.`, {
    title: 'Open Folder',
    run: () => vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir), { forceNewWindow: true }),
  });
}

/** A plugin package outside the search folders loads only once its folder is one; offers to add it. */
async function offerSearchPath(made: Scaffold, parent: string): Promise<void> {
  const add = await vscode.window.showInformationMessage(
    `Tracelet: created ${made.plugins.join(' and ')} in ${tildify(made.dir)}. Tracelet loads plugins from its plugin folders: add ${tildify(parent)} to tracelet.pluginPaths?`,
    'Add to Plugin Paths',
  );
  if (!add) return;
  const config = vscode.workspace.getConfiguration('tracelet');
  const paths = config.inspect<string[]>('pluginPaths')?.globalValue ?? [];
  // A change of pluginPaths reloads the plugins (extension.ts), which loads the new package.
  await config.update('pluginPaths', [...paths, parent], vscode.ConfigurationTarget.Global);
}

/**
 * Tracelet: Create Plugin…: asks the kind, the name and the folder, writes a package from the template,
 * loads it at once (the other plugins go on running) and opens its main file.
 */
export async function createPlugin(deps: CreatePluginDeps): Promise<void> {
  const kind = await vscode.window.showQuickPick(KINDS, { title: `${TITLE} (1/3): what it does`, placeHolder: 'The kind of plugin', ignoreFocusOut: true });
  if (!kind) return;
  const taken = deps.host.list().map((p) => p.name);
  const name = await vscode.window.showInputBox({
    title: `${TITLE} (2/3): its name`,
    prompt: 'Settings and the Plugins view use it: a letter, then letters, digits, "_", "-" or "."',
    placeHolder: 'my_tracker',
    ignoreFocusOut: true,
    validateInput: (value) => pluginNameProblem(value, kind.pluginKind, taken),
  });
  if (!name) return;
  const parent = await pickParent(deps.host);
  if (!parent) return;
  const dir = path.join(parent, name);
  const dist = vscode.Uri.joinPath(deps.extensionUri, 'dist');
  let made: Scaffold;
  try {
    made = await scaffoldPlugin({
      templateDir: vscode.Uri.joinPath(dist, 'plugin-template').fsPath,
      contractFile: vscode.Uri.joinPath(dist, 'tracelet.d.ts').fsPath,
      targetDir: dir,
      name,
      kind: kind.pluginKind,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return refuseExisting(dir);
    void showError(
      `Tracelet: could not create the plugin in ${tildify(dir)}: ${errorText(err)}`,
      { title: 'Try Another Name', run: () => vscode.commands.executeCommand(CommandId.CreatePlugin) },
      showLog(),
    );
    return;
  }
  const loads = packageDirOf(path.join(made.dir, 'package.json'), deps.host.pluginFolders()) === made.dir;
  if (loads) await deps.changes.reloadNow(made.dir);
  await vscode.window.showTextDocument(vscode.Uri.file(made.mainFile), { preview: false });
  if (!loads) return offerSearchPath(made, parent);
  const states = made.plugins.map((n) => `${n} (${deps.host.manager.getPluginInfo(n)?.state ?? 'not loaded'})`).join(' and ');
  void vscode.window.showInformationMessage(
    `Tracelet: created ${states} in ${tildify(made.dir)}. Saving a file of it reloads it; its tests run with node --test there.`,
  );
}
