// Tracelet: Open Runs Table — every run of the store as a row. The rows come from the run-summaries cache the Runs
// view lists through; the page asks for a filter and a sort, and the host answers with the rows' order, filtered and
// sorted by the core's language (src/core/series/runsFilter.ts, runsTable.ts). The page draws only the rows in view.
import type { RunSummary } from '../../core/series/runSummaries';
import { columnsOf } from '../../core/series/runsTable';
import { TABLE_CHUNK, type RunViewMessage } from '../../webviewProtocol/runViewProtocol';
import type { RunsListing } from '../runs/runsTreeModel';
import { DEFAULT_QUERY, rowsUpdate, tableColumn, tableRunRow, tableView, type TableQuery } from './runsTableModel';
import { ViewPanel, type RunViewServices } from './viewPanel';

export const RUNS_TABLE_VIEW_TYPE = 'tracelet.runsTable';

/** Runs changed: the table follows at most this often (a tracked run rewrites its run.json once a second). */
const FOLLOW_MS = 500;

export class RunsTablePanel extends ViewPanel {
  private pending: NodeJS.Timeout | undefined;
  private stale = false;
  /** The runs the page has, in the order of their indices there. */
  private runs: RunSummary[] = [];
  private generation = 0;
  private query: TableQuery = DEFAULT_QUERY;
  private requestId = 0;
  private lastGoodFilter = '';
  private ready = false;

  constructor(
    services: RunViewServices,
    private readonly listing: RunsListing,
  ) {
    super(RUNS_TABLE_VIEW_TYPE, 'Runs', services);
  }

  protected async handle(message: RunViewMessage): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      this.post({ type: 'init', kind: 'table' });
      this.sendRows(true);
      return;
    }
    if (message.type !== 'tableQuery') return;
    const { requestId, ...query } = message;
    this.query = query;
    this.requestId = requestId;
    this.sendView();
  }

  /** Sends what changed in the list of runs since the page's copy; false when nothing did. */
  private sendRows(all = false): boolean {
    const now = Date.now();
    const runs = this.listing.list();
    const update = all ? ({ kind: 'all' } as const) : rowsUpdate(this.runs, runs);
    if (update.kind === 'same') return false;
    this.generation++;
    if (update.kind === 'changed')
      this.post({ type: 'tableRowsChanged', generation: this.generation, changed: update.indices.map((i) => [i, tableRunRow(runs[i]!, now)]) });
    else {
      const columns = columnsOf(runs).map(tableColumn);
      for (let first = 0; first === 0 || first < runs.length; first += TABLE_CHUNK) {
        const rows = runs.slice(first, first + TABLE_CHUNK).map((r) => tableRunRow(r, now));
        this.post({ type: 'tableRows', generation: this.generation, first, total: runs.length, ...(first === 0 ? { columns } : {}), rows });
      }
    }
    this.runs = runs;
    return true;
  }

  /** Filters and sorts the page's rows for its last query. */
  private sendView(): void {
    const view = tableView(this.runs, this.query, this.lastGoodFilter, Date.now());
    this.lastGoodFilter = view.filter;
    this.post({ type: 'tableView', generation: this.generation, requestId: this.requestId, order: view.order, differing: view.differing, error: view.error });
  }

  /** Runs changed: followed while the table is visible (else when it shows), at most every FOLLOW_MS. */
  runsChanged(): void {
    if (!this.ready) return;
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (this.isDisposed) return;
      if (this.sendRows()) this.sendView();
    }, FOLLOW_MS);
  }

  protected override visibilityChanged(visible: boolean): void {
    if (visible && this.stale) {
      this.stale = false;
      this.runsChanged();
    }
  }

  override dispose(): void {
    clearTimeout(this.pending);
    super.dispose();
  }
}
