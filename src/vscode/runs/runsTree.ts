import * as vscode from 'vscode';
import { OPEN_RUN_VIEW } from '../commandIds';
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

  constructor(runsRoot: () => string) {
    this.listing = new RunsListing(runsRoot);
  }

  /** Coalesces bursts of changes into one refresh. */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.listing.invalidate();
      this.changed.fire(undefined);
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
