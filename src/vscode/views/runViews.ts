// Owns the run views: registers Open Run View, Compare Runs and Open Runs Table, and keeps one panel per run set.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/store/runRecord';
import { COMPARE_RUNS, OPEN_RUN_VIEW, OPEN_RUNS_TABLE, OPEN_SELECTED_RUN } from '../commandIds';
import type { RunsListing } from '../runs/runsTreeModel';
import { loadRunsTablePanel, loadSeriesPanel } from '../lazy';
import type { SeriesPanel } from './seriesPanel';
import type { RunsTablePanel } from './runsTablePanel';
import type { RunViewServices } from './viewPanel';
import { refreshRuns, showWarning } from '../messages';

/** What a command from the Runs view passes: a tree node with a run id, or a run id. */
function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const id = (arg as { runId?: unknown } | undefined)?.runId;
  return typeof id === 'string' ? id : undefined;
}

export class RunViews implements vscode.Disposable {
  private readonly series: SeriesPanel[] = [];
  private table: RunsTablePanel | undefined;
  private readonly disposables: vscode.Disposable[];
  private readonly services: RunViewServices;

  /**
   * `onRunsChanged`: the Runs view's refresh event, which every change of the store goes through (tracking, rename,
   * delete). `listing`: the Runs view's (RunsTreeProvider.listing), so that the view, the table and the pickers read
   * run summaries through one cache; a listing of its own when not given.
   */
  constructor(
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
    runsRoot: () => string,
    onRunsChanged: vscode.Event<unknown>,
    /** The Runs view's summaries cache, shared so that the table and the tree read each run.json once. */
    private readonly listing: RunsListing,
    /** The rows selected in the Runs view. */
    selectedRuns: () => readonly { runId: string }[],
  ) {
    this.services = { extensionUri, log, runsRoot, openRun: (id) => this.openRun(id), compare: (ids) => void this.compare(ids) };
    this.disposables = [
      onRunsChanged(() => this.runsChanged()),
      vscode.commands.registerCommand(OPEN_RUN_VIEW, (arg?: unknown) => this.openRunCommand(arg)),
      // A row's click: VS Code selects the row before it runs the row's command. The command has no arguments on
      // purpose: VS Code wraps one with arguments in a command of its own that it drops when the row is drawn again
      // (a live run's row is, every second), and a click in between did nothing ("Actual command not found").
      vscode.commands.registerCommand(OPEN_SELECTED_RUN, () => {
        const [only, ...more] = selectedRuns();
        if (only && more.length === 0) this.openRun(only.runId);
      }),
      // From the Runs view's context menu: the clicked node, then every selected node.
      vscode.commands.registerCommand(COMPARE_RUNS, (arg?: unknown, selected?: unknown) => this.compareCommand(arg, selected)),
      vscode.commands.registerCommand(OPEN_RUNS_TABLE, () => this.openTable()),
    ];
  }

  private records(ids: readonly string[]): RunRecord[] {
    const out: RunRecord[] = [];
    for (const id of ids) {
      const summary = this.listing.get(id);
      if (summary) out.push(summary.record);
      else void showWarning(`Tracelet: run ${id} has no readable run.json; it may have been deleted.`, refreshRuns());
    }
    return out;
  }

  private async pickRuns(many: boolean): Promise<string[]> {
    const items = this.listing.list().map((r) => ({ label: r.name, description: `${r.status} · ${r.command}`, id: r.id }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Tracelet: there are no runs yet. Track a training command in a terminal first.');
      return [];
    }
    if (many) {
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Compare which runs?' });
      return picked?.map((p) => p.id) ?? [];
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Open which run?' });
    return picked ? [picked.id] : [];
  }

  private async openRunCommand(arg: unknown): Promise<void> {
    const id = runIdOf(arg) ?? (await this.pickRuns(false))[0];
    if (id) this.openRun(id);
  }

  openRun(id: string): void {
    this.show('run', [id]);
  }

  private async compareCommand(arg: unknown, selected: unknown): Promise<void> {
    let ids = Array.isArray(selected) ? selected.map(runIdOf).filter((id): id is string => id !== undefined) : [];
    if (ids.length < 2) {
      const one = runIdOf(arg);
      ids = await this.pickRuns(true);
      if (one && !ids.includes(one) && ids.length > 0) ids.unshift(one);
    }
    await this.compare(ids);
  }

  async compare(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    if (unique.length === 1) {
      this.openRun(unique[0]!);
      return;
    }
    this.show('compare', unique);
  }

  private show(kind: 'run' | 'compare', ids: string[]): void {
    const existing = this.series.find((p) => !p.isDisposed && p.shows(kind, ids));
    if (existing) {
      existing.reveal();
      return;
    }
    const records = this.records(ids);
    if (records.length === 0) return;
    const panel = new (loadSeriesPanel())(
      kind,
      records.map((r) => r.id),
      records,
      this.services,
    );
    this.series.push(panel);
    panel.panel.onDidDispose(() => {
      const at = this.series.indexOf(panel);
      if (at >= 0) this.series.splice(at, 1);
    });
  }

  openTable(): void {
    if (this.table && !this.table.isDisposed) {
      this.table.reveal();
      return;
    }
    const table = new (loadRunsTablePanel())(this.services, this.listing);
    this.table = table;
    table.panel.onDidDispose(() => {
      if (this.table === table) this.table = undefined;
    });
  }

  /** Runs were added, changed or removed: the table follows. */
  runsChanged(): void {
    if (this.table && !this.table.isDisposed) this.table.runsChanged();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const p of this.series.splice(0)) p.dispose();
    this.table?.dispose();
  }
}
