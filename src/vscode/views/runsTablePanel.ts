// Tracelet: Open Runs Table — every run of the store as a row; sorting, filtering, the column chooser and the
// virtualised rows are the page's (webview/runs); the host sends the rows and sends them again when runs change.
import { listRuns } from '../../core/store/runRecord';
import type { RunViewMessage } from '../../webviewProtocol/runViewProtocol';
import { tableRow } from './runViewModel';
import { ViewPanel, type RunViewServices } from './viewPanel';

export const RUNS_TABLE_VIEW_TYPE = 'tracelet.runsTable';

export class RunsTablePanel extends ViewPanel {
  private pending: NodeJS.Timeout | undefined;
  private stale = false;

  constructor(services: RunViewServices) {
    super(RUNS_TABLE_VIEW_TYPE, 'Runs', services);
  }

  protected async handle(message: RunViewMessage): Promise<void> {
    if (message.type !== 'ready') return;
    this.post({ type: 'init', kind: 'table' });
    this.sendRows();
  }

  private sendRows(): void {
    const now = Date.now();
    this.post({ type: 'table', rows: listRuns(this.services.runsRoot()).map((r) => tableRow(r, now)) });
  }

  /** Runs changed: sent again at most once a second, and only while the table is visible (else when it shows). */
  runsChanged(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.sendRows();
    }, 1000);
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
