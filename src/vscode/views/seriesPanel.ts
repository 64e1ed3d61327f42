// The Run view (one run) and Compare Runs (several): an editor tab of charts, fed by each run's RunSeriesReader and
// kept live while the tab is visible: a run folder that says a file changed in it (fs.watch) has its reader read what
// was appended, at most every LIVE_REFRESH_MS, and a slow poll catches what a file system does not report.
import * as fs from 'node:fs';
import type { RunSeriesReader } from '../../core/series/api';
import { errorText } from '../../core/errors';
import { openRunSeriesAsync } from '../../core/series/runSeries';
import { outputNotesOf, readRunRecord, RUN_FILE, runDirIn, type RunRecord } from '../../core/store/runRecord';
import type { HostMessage, Notice, RunHeader, RunViewMessage, ViewKind } from '../../webviewProtocol/runViewProtocol';
import { answerQuery, CSV_HEADER, csvLines, exportFileName, healthNotices, mergeMetrics, runHeader } from './runViewModel';
import { ViewPanel, type RunViewServices } from './viewPanel';

export const RUN_VIEW_TYPE = 'tracelet.runView';

/**
 * A visible view reads what a run appended this long at most after its folder said so: about the time a chart takes to
 * draw, so that a run writing every 20 ms is drawn ten times a second, not fifty. A poll every 400 ms before left a
 * point waiting 200 ms on average, and read every run.json at each turn.
 */
export const LIVE_REFRESH_MS = 100;
/** How often a visible view reads its runs (and their run.json) whatever the file system says: a network share may say nothing. */
export const LIVE_POLL_MS = 2000;

interface OpenRun {
  id: string;
  dir: string;
  /** Undefined while the run's log is being indexed (a long run written before series.idx), or when that failed. */
  reader: RunSeriesReader | undefined;
  header: RunHeader;
  /** Parts of the run's output that never reached it (run.json's outputNotes), shown above the charts. */
  outputNotes: string[];
  gone: boolean;
  /** Why the run's series could not be read. */
  failed?: string;
  /** run.json changed since the header was read. */
  headerStale: boolean;
}

export class SeriesPanel extends ViewPanel {
  private readonly runs: OpenRun[];
  private timer: NodeJS.Timeout | undefined;
  private watchers: fs.FSWatcher[] = [];
  /** The refresh a change in a run folder asked for, and when the last one began. */
  private soon: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  private polling = false;
  /** A change was reported while a refresh was reading: another follows it. */
  private again = false;
  private lastMetrics = '';
  private lastRuns = '';
  private lastNotices = '';

  constructor(
    readonly kind: Exclude<ViewKind, 'table'>,
    readonly runIds: readonly string[],
    records: RunRecord[],
    services: RunViewServices,
  ) {
    super(RUN_VIEW_TYPE, kind === 'run' ? `Run: ${records[0]?.name ?? runIds[0]}` : `Compare ${records.length} runs`, services);
    this.runs = records.map((r) => {
      const dir = runDirIn(services.runsRoot(), r.id);
      return { id: r.id, dir, reader: undefined, header: runHeader(r), outputNotes: outputNotesOf(r), gone: false, headerStale: false };
    });
    for (const run of this.runs) void this.open(run);
    this.visibilityChanged(this.panel.visible);
  }

  /** Opens a run's series off the extension host's hot path: a log without an index is indexed in slices. */
  private async open(run: OpenRun): Promise<void> {
    try {
      const reader = await openRunSeriesAsync(run.dir);
      if (this.isDisposed) return reader.close();
      run.reader = reader;
    } catch (err) {
      run.failed = errorText(err);
    }
    if (!this.isDisposed) this.sendState();
  }

  /** Whether this panel shows exactly these runs, in any order. */
  shows(kind: ViewKind, ids: readonly string[]): boolean {
    return kind === this.kind && ids.length === this.runIds.length && ids.every((id) => this.runIds.includes(id));
  }

  protected override visibilityChanged(visible: boolean): void {
    if (visible && !this.timer) {
      this.timer = setInterval(() => void this.poll(true), LIVE_POLL_MS);
      this.watch();
      // What was appended while the tab was hidden.
      this.refreshSoon();
    }
    if (!visible && this.timer) this.stopWatching();
  }

  /** Watches each run's folder: metrics.bin growing, run.json rewritten. A folder that cannot be watched is left to the poll. */
  private watch(): void {
    for (const run of this.runs) {
      if (run.gone) continue;
      try {
        const watcher = fs.watch(run.dir, { persistent: false }, (_, file) => {
          if (file === null || String(file) === RUN_FILE) run.headerStale = true;
          this.refreshSoon();
        });
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // gone already, or no watch on this file system: the poll reads it
      }
    }
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.soon);
    this.soon = undefined;
    for (const w of this.watchers.splice(0)) w.close();
  }

  /** A refresh LIVE_REFRESH_MS after the last one began, or at once when that is past. */
  private refreshSoon(): void {
    if (this.soon || this.isDisposed) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.soon = setTimeout(
      () => {
        this.soon = undefined;
        void this.poll(false);
      },
      Math.max(0, this.lastRefresh + LIVE_REFRESH_MS - Date.now()),
    );
  }

  protected async handle(message: RunViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.lastMetrics = this.lastRuns = this.lastNotices = '';
        this.post({ type: 'init', kind: this.kind });
        this.sendState();
        return;
      case 'query': {
        const { reply, failures } = await answerQuery(this.runs, message);
        for (const failure of failures) this.services.log.error(`[${this.panel.title}] ${failure}`);
        this.post(reply);
        return;
      }
      case 'exportCsv': {
        const { metric, x, range } = message;
        const name = this.kind === 'run' ? this.runs[0]!.header.name : 'compare';
        await this.saveExport(exportFileName(name, metric, x, range, 'csv'), { CSV: ['csv'] }, async () => {
          let out = CSV_HEADER;
          for (const run of this.runs) {
            if (!run.reader) continue;
            for await (const block of run.reader.points(metric, x, range)) out += csvLines(run.header.name, metric, block);
          }
          return out;
        });
        return;
      }
      case 'exportPng': {
        const name = this.kind === 'run' ? this.runs[0]!.header.name : 'compare';
        const png = Buffer.from(message.dataUrl.slice(message.dataUrl.indexOf(',') + 1), 'base64');
        await this.saveExport(exportFileName(name, message.metric, 'step', undefined, 'png'), { PNG: ['png'] }, async () => png);
        return;
      }
      default:
        return;
    }
  }

  /** Sends what changed since the last time: headers, the metric list, notices. */
  private sendState(): void {
    this.sendIfChanged({ type: 'runs', runs: this.runs.map((r) => r.header) }, 'lastRuns');
    const metrics = mergeMetrics(this.runs.filter((r) => r.reader).map((r) => ({ runId: r.id, metrics: r.reader!.metrics() })));
    this.sendIfChanged({ type: 'metrics', metrics }, 'lastMetrics');
    const notices: Notice[] = [];
    for (const run of this.runs) {
      if (run.gone)
        notices.push({
          level: 'error',
          text: `Run "${run.header.name}" was deleted or renamed: its folder ${run.dir} is gone. The charts keep what was read before.`,
        });
      else if (run.failed) notices.push({ level: 'error', text: `Run "${run.header.name}": its metrics could not be read: ${run.failed}` });
      else if (run.reader) notices.push(...healthNotices(run.header.name, run.reader.health()));
      for (const note of run.outputNotes) notices.push({ level: 'warning', text: `${run.header.name}: ${note}` });
    }
    this.sendIfChanged({ type: 'notices', notices }, 'lastNotices');
  }

  private sendIfChanged(message: HostMessage, key: 'lastRuns' | 'lastMetrics' | 'lastNotices'): void {
    const text = JSON.stringify(message);
    if (text === this[key]) return;
    this[key] = text;
    this.post(message);
  }

  /**
   * Reads what each run appended; the page asks again for the charts of the metrics that changed. A run's run.json is
   * read again when its folder said it changed, and at every poll (`headers`).
   */
  private async poll(headers: boolean): Promise<void> {
    if (this.polling || this.isDisposed) return;
    this.polling = true;
    this.lastRefresh = Date.now();
    try {
      const changed = new Set<string>();
      for (const run of this.runs) {
        if (run.gone || !run.reader) continue;
        if (!fs.existsSync(run.dir)) {
          run.gone = true;
          continue;
        }
        if (headers || run.headerStale) {
          run.headerStale = false;
          const record = readRunRecord(run.dir);
          if (record) {
            run.header = runHeader(record);
            run.outputNotes = outputNotesOf(record);
          }
        }
        for (const name of (await run.reader.refresh()).changed) changed.add(name);
      }
      this.sendState();
      if (changed.size > 0) this.post({ type: 'changed', metrics: [...changed] });
    } finally {
      this.polling = false;
    }
    if (this.again) {
      this.again = false;
      this.refreshSoon();
    }
  }

  override dispose(): void {
    this.stopWatching();
    for (const run of this.runs) run.reader?.close();
    super.dispose();
  }
}
