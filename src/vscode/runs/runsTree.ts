import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { RUN_ID_PATTERN, type RunRecord } from '../../core/store/runRecord';
import { OPEN_SELECTED_RUN } from '../commandIds';
import { RUN_COUNT, setContextKey } from '../contextKeys';
import { markRunTracked } from '../walkthrough';
import { toTreeItem } from '../treeItem';
import { RunsListing, runNode, type RunTreeNode } from './runsTreeModel';

/** How often the rows of the runs this window tracks show their duration and last values again. */
const LIVE_ROW_MS = 1000;

/**
 * The Runs view: runs of the workspace's store, newest first, live ones refreshed as they change. It reads them
 * through `listing`, the one run-summaries cache, which the Runs table shares (pass it to RunViews). The rows of
 * the runs this window tracks follow their records in memory every second, without listing the store again.
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pending: NodeJS.Timeout | undefined;
  private liveTimer: NodeJS.Timeout | undefined;
  /** The rows shown, by run id: a live run's row is updated in place, which VS Code redraws alone. */
  private readonly shown = new Map<string, RunTreeNode>();

  readonly listing: RunsListing;

  constructor(
    private readonly runsRoot: () => string,
    private readonly liveRecords: () => readonly RunRecord[] = () => [],
  ) {
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
    this.shown.clear();
    const nodes = this.listing.list().map((s) => runNode(s.record, now));
    for (const node of nodes) this.shown.set(node.runId, node);
    if (!this.liveTimer && this.liveRecords().length > 0) this.liveTimer = setInterval(() => this.showLive(), LIVE_ROW_MS);
    return nodes;
  }

  /** The live runs' rows from their records in memory (duration, status, last values); the timer stops with the last live run. */
  private showLive(): void {
    const records = this.liveRecords();
    if (records.length === 0) {
      clearInterval(this.liveTimer);
      this.liveTimer = undefined;
      return;
    }
    const now = Date.now();
    for (const record of records) {
      const node = this.shown.get(record.id);
      if (!node) continue;
      Object.assign(node, runNode(record, now));
      this.changed.fire(node);
    }
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    const item = toTreeItem(node, false);
    // A click opens the run's charts (the command reads the selection, see OPEN_SELECTED_RUN); with several
    // selected, Compare Runs is in the context menu.
    item.command = { command: OPEN_SELECTED_RUN, title: 'Open Run' };
    return item;
  }

  dispose(): void {
    clearTimeout(this.pending);
    clearInterval(this.liveTimer);
    this.changed.dispose();
  }
}
