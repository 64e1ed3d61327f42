import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { RUN_ID_PATTERN } from '../../core/store/runRecord';
import { OPEN_RUN_VIEW } from '../commandIds';
import { RUN_COUNT, setContextKey } from '../contextKeys';
import { markRunTracked } from '../walkthrough';
import { toTreeItem } from '../treeItem';
import { RunsListing, runNode, type RunTreeNode } from './runsTreeModel';

/**
 * The Runs view: runs of the workspace's store, newest first, live ones refreshed as they change. It reads them
 * through `listing`, the one run-summaries cache, which the Runs table shares (pass it to RunViews).
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pending: NodeJS.Timeout | undefined;

  readonly listing: RunsListing;

  constructor(private readonly runsRoot: () => string) {
    this.listing = new RunsListing(runsRoot);
    // After activation returns: the count reads a folder.
    setImmediate(() => void this.count());
  }

  /**
   * Counts the run folders by name (no run.json read) for the `when` clauses, and the walkthrough's first step; again
   * whenever the plugins change, since the store's folder is the runStore plugin's choice.
   */
  async count(): Promise<void> {
    const entries = await fs.promises.readdir(this.runsRoot(), { withFileTypes: true }).catch(() => []);
    const runs = entries.filter((e) => e.isDirectory() && RUN_ID_PATTERN.test(e.name)).length;
    setContextKey(RUN_COUNT, runs);
    if (runs > 0) markRunTracked();
  }

  /** Coalesces bursts of changes into one refresh. */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.listing.invalidate();
      this.changed.fire(undefined);
      void this.count();
    }, 100);
  }

  getChildren(element?: RunTreeNode): RunTreeNode[] {
    if (element) return [];
    const now = Date.now();
    return this.listing.list().map((s) => runNode(s.record, now));
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    const item = toTreeItem(node, false);
    // A click opens the run's charts; with several selected, Compare Runs is in the context menu.
    item.command = { command: OPEN_RUN_VIEW, title: 'Open Run', arguments: [node.runId] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.changed.dispose();
  }
}
