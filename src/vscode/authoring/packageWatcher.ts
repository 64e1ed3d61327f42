import * as vscode from 'vscode';
import { PackageChanges } from '../../core/host/packageChanges';
import type { PluginHost } from '../pluginHost';

/**
 * Watches the plugin search folders and reloads just the package whose files changed, without a window
 * reload and without restarting the other plugins (the grouping and debounce are PackageChanges').
 * The folders follow settings and trust: after each reload the watchers are made again if they differ.
 */
export class PackageWatcher implements vscode.Disposable {
  readonly changes: PackageChanges;
  private watchers: vscode.FileSystemWatcher[] = [];
  private watched: string | undefined;
  private readonly subscription: vscode.Disposable;
  private readonly first: NodeJS.Immediate;

  constructor(
    private readonly host: PluginHost,
    log: vscode.LogOutputChannel,
  ) {
    this.changes = new PackageChanges({ searchPaths: () => host.pluginFolders(), reload: (dir) => host.reloadPackage(dir), log });
    this.subscription = host.onDidChange((e) => {
      if (e === undefined) this.follow();
    });
    // Each watcher is a round trip to VS Code's file watcher (2 ms for three at activation): they start just
    // after activate() returns, while the first reload begins reading the folders they watch.
    this.first = setImmediate(() => this.follow());
  }

  private follow(): void {
    const folders = this.host.pluginFolders();
    if (folders.join('\n') === this.watched) return;
    this.watched = folders.join('\n');
    for (const w of this.watchers) w.dispose();
    // A base folder outside the workspace is watched too, recursively for `**`, and one that does not
    // exist yet (~/.tracelet/plugins before the first plugin) from when it is made.
    this.watchers = folders.map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*'));
      const changed = (uri: vscode.Uri): void => this.changes.fileChanged(uri.fsPath);
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      return watcher;
    });
  }

  dispose(): void {
    clearImmediate(this.first);
    this.subscription.dispose();
    for (const w of this.watchers) w.dispose();
    this.changes.dispose();
  }
}
