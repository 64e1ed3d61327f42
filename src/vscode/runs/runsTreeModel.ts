// Pure (no VS Code): what the Runs tree shows for each run record, and the one listing of runs that the Runs view and
// the Runs table share.
import { RunSummaries, type RunSummary } from '../../core/series/runSummaries';
import { outputNotesOf, runDirIn, type RunRecord } from '../../core/store/runRecord';
import type { RunStatus } from '../../core/types';
import type { IconSpec, TreeNodeView } from '../treeNode';

export interface RunTreeNode extends TreeNodeView {
  runId: string;
}

const STATUS_ICONS: Record<RunStatus, IconSpec> = {
  running: { id: 'sync~spin', color: 'charts.blue' },
  finished: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  killed: { id: 'circle-slash', color: 'problemsWarningIcon.foreground' },
  stopped: { id: 'debug-stop' },
  crashed: { id: 'warning', color: 'problemsWarningIcon.foreground' },
};

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'NaN';
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? v.toExponential(2) : v.toPrecision(4).replace(/\.?0+$/, '');
}

/** The metrics worth showing in one line: losses and accuracies first, system metrics last. */
export function mainMetrics(record: RunRecord, limit = 3): string[] {
  const rank = (name: string): number => {
    if (name.startsWith('system/') || name.startsWith('process/') || name.startsWith('gpu/')) return 9;
    if (/(^|[/_])loss$/.test(name)) return name.startsWith('val') || name.includes('eval') ? 1 : 0;
    if (/acc|f1|auc|bleu|rouge|map|iou/.test(name)) return 2;
    if (/lr|learning_rate|epoch|step/.test(name)) return 8;
    return 5;
  };
  return Object.keys(record.metrics)
    .filter((n) => rank(n) < 9)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, limit);
}

function escapeCell(text: string): string {
  return text.replace(/[\\`*_[\]<|$]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

export function runTooltip(record: RunRecord, now: number): string {
  const end = record.endTime ?? now;
  const rows: [string, string][] = [
    ['Status', `${record.status}${record.exitCode !== undefined && record.exitCode !== null ? ` (exit ${record.exitCode})` : ''}`],
    ['Command', record.command],
    ['Directory', record.cwd],
    ['Started', new Date(record.startTime).toLocaleString()],
    ['Duration', formatDuration(end - record.startTime)],
    ['Backends', record.backends.join(', ') || 'local only'],
  ];
  if (record.statusReason) rows.push(['Note', record.statusReason]);
  for (const note of outputNotesOf(record)) rows.push(['Output', note]);
  const git = record.context.git as { branch?: string; commit?: string; dirty?: boolean } | undefined;
  if (git?.commit) rows.push(['Git', `${git.branch ?? ''} ${git.commit.slice(0, 8)}${git.dirty ? ' (uncommitted changes)' : ''}`]);
  if (record.pendingBackends?.length) rows.push(['Waiting to send', record.pendingBackends.join(', ')]);
  if ((record.metricsVersion ?? 1) > 1 || (record.backendsVersion ?? 1) > 1)
    rows.push(['Metrics', `version ${record.metricsVersion ?? 1} shown (re-parsed); backends got version ${record.backendsVersion ?? 1}`]);
  const out = [`**${escapeCell(record.name)}**`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v)} |`)];
  const params = Object.entries(record.params);
  if (params.length > 0) out.push('', '| Param | Value |', '|---|---|', ...params.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(String(v))} |`));
  const metrics = Object.entries(record.metrics).filter(([n]) => !n.includes('/') || !/^(system|process|gpu)\//.test(n));
  if (metrics.length > 0) {
    out.push('', '| Metric | Last | Min | Max | Points |', '|---|---|---|---|---|');
    for (const [name, s] of metrics) out.push(`| ${escapeCell(name)} | ${formatValue(s.last)} | ${formatValue(s.min)} | ${formatValue(s.max)} | ${s.count} |`);
  }
  return out.join('\n');
}

export function runNode(record: RunRecord, now: number): RunTreeNode {
  const duration = formatDuration((record.endTime ?? now) - record.startTime);
  const metrics = mainMetrics(record).map((n) => `${n} ${formatValue(record.metrics[n]!.last)}`);
  return {
    id: `run:${record.id}`,
    label: record.name,
    description: [record.status, duration, ...metrics, ...(outputNotesOf(record).length > 0 ? ['output incomplete'] : [])].join(' · '),
    tooltip: runTooltip(record, now),
    icon: STATUS_ICONS[record.status] ?? { id: 'circle-outline' },
    contextValue: `run.${record.status}`,
    runId: record.id,
  };
}

/**
 * The runs of the workspace's store through one RunSummaries cache (keyed by folder and run.json's mtime and size):
 * a listing stats every run.json and reads only those that changed. The Runs view and the Runs table both list
 * through it, and a listing is kept until the next `invalidate()` (every change of the store goes through the Runs
 * view's refresh, which calls it) or for `maxAgeMs`, so one refresh lists once whoever asks.
 */
export class RunsListing {
  readonly summaries = new RunSummaries();
  private last: { root: string; at: number; runs: RunSummary[] } | undefined;
  /** Listings made (each stats every run.json): what a test checks. */
  listings = 0;

  constructor(
    private readonly runsRoot: () => string,
    private readonly maxAgeMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Every readable run, newest first; unchanged runs are the same objects from one listing to the next. */
  list(): RunSummary[] {
    const root = this.runsRoot();
    const now = this.clock();
    if (this.last && this.last.root === root && now - this.last.at < this.maxAgeMs) return this.last.runs;
    this.listings++;
    const runs = this.summaries.list(root);
    this.last = { root, at: now, runs };
    return runs;
  }

  /** One run's summary (read again only if its run.json changed); undefined for a run that is gone or not a run id. */
  get(id: string): RunSummary | undefined {
    let dir: string;
    try {
      dir = runDirIn(this.runsRoot(), id);
    } catch {
      return undefined;
    }
    return this.summaries.get(dir);
  }

  /** The store changed: the next `list()` stats again. */
  invalidate(): void {
    this.last = undefined;
  }
}
