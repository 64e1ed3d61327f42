// Pure: the text of the tracked-run status-bar item.
import type { RunRecord } from '../../core/store/runRecord';
import { formatValue } from './runsTreeModel';

export interface TrackedRunView {
  name: string;
  usage: Readonly<Record<string, number>>;
  record: RunRecord;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)}G` : `${Math.round(bytes / 1024 ** 2)}M`;
}

/** `$(record) train.py 13:45 · CPU 187% · RSS 812M · GPU 91%`, or a count when several runs are tracked. */
export function trackedRunText(runs: readonly TrackedRunView[]): { text: string; tooltip: string } | undefined {
  if (runs.length === 0) return undefined;
  const rows = runs.map((r) => {
    const parts = [r.name];
    if (r.usage.cpuPercent !== undefined) parts.push(`CPU ${Math.round(r.usage.cpuPercent)}%`);
    if (r.usage.rssBytes !== undefined) parts.push(`RSS ${megabytes(r.usage.rssBytes)}`);
    const gpu = r.record.metrics['gpu/gpus/0/utilizationPercent'];
    if (gpu) parts.push(`GPU ${Math.round(gpu.last)}%`);
    return parts;
  });
  const text = runs.length === 1 ? `$(record) ${rows[0]!.join(' · ')}` : `$(record) ${runs.length} runs tracked`;
  const tooltip = [
    '**Tracelet: tracked runs** — click to stop tracking',
    '',
    ...runs.map((r, i) => {
      const loss = Object.entries(r.record.metrics).find(([n]) => /(^|[/_])loss$/.test(n));
      return `- ${rows[i]!.join(' · ')}${loss ? ` · ${loss[0]} ${formatValue(loss[1].last)}` : ''}`;
    }),
  ].join('\n');
  return { text, tooltip };
}
