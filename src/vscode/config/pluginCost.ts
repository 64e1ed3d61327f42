// Pure (no VS Code): the measured cost of one plugin, appended to its status document.
import type { CollectorReport } from '../../core/sampler/types';

function ms(value: number): string {
  return value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

/** A Markdown section with what the sampler measured for the plugin, or why there is nothing. */
export function pluginCostMarkdown(name: string, reports: readonly CollectorReport[] | undefined): string {
  const r = reports?.find((x) => x.name === name);
  if (!r) return `\n## Measured cost\n\nNot measured: only collectors that the status bar samples have a cost, and \`${name}\` has not been sampled.\n`;
  const health = r.health.state === 'ok' ? 'ok' : `backing off after ${r.health.failures} failure${r.health.failures === 1 ? '' : 's'}: ${r.health.reason}`;
  const rows: [string, string][] = [
    ['Calls', String(r.cost.calls)],
    ['Last call', ms(r.cost.lastMs)],
    ['Mean (recent calls)', ms(r.cost.meanMs)],
    ['95th percentile', ms(r.cost.p95Ms)],
    ['CPU per call', ms(r.cost.cpuMs)],
    ['Health', health],
  ];
  if (r.lastProblem) rows.push(['Last problem', r.lastProblem]);
  const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return ['', '## Measured cost', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''].join('\n');
}
