// Pure: renders the manager's status as Markdown for the "Show Plugin Status" preview.
import type { ManagerStatus } from '../core/managerTypes';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderStatusMarkdown(status: ManagerStatus, only?: string): string {
  const names = Object.keys(status.plugins)
    .filter((n) => only === undefined || n === only)
    .sort();
  const counts = Object.entries(status.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const out = [`# Tracelet plugin status`, '', only ? `Plugin \`${only}\`.` : `${names.length} plugins: ${counts || 'none'}.`, ''];
  out.push('| Plugin | Type | Version | State | Error |', '|---|---|---|---|---|');
  for (const name of names) {
    const p = status.plugins[name]!;
    out.push(`| ${cell(name)} | ${p.type ?? '—'} | ${p.version ?? '—'} | ${p.state} | ${cell(p.error ?? '')} |`);
  }
  for (const name of names) {
    const p = status.plugins[name]!;
    if (p.status === undefined) continue;
    out.push('', `## ${name}`, '', '```json', JSON.stringify(p.status, null, 2), '```');
  }
  return `${out.join('\n')}\n`;
}
