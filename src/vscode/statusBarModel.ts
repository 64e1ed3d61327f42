// Pure: the status-bar item's text, Markdown tooltip and background from one sample.
import type { CollectedValues } from '../core/plugin';
import { flattenNumbers } from '../core/run/flatten';
import type { CollectorReport } from '../core/sampler/types';
import type { GpuValues } from '../plugins/gpu/gpuCollector';
import type { ProcessValues } from '../plugins/process/processValues';
import type { SystemValues } from '../plugins/system/systemValues';
import { bytes, cell, compactBytes, duration, gibPair, millis, percent, rate } from './statusBarFormat';
import type { StatusBarSettings, StatusField } from './statusBarSettings';

/** The readout's latest values: those of a shape it knows fill its fields; any other plugin's numbers are listed. */
export interface StatusValues {
  system?: SystemValues;
  gpu?: GpuValues;
  process?: ProcessValues;
}

/** Numbers of statusReadout plugins whose values have no shape the readout knows, by plugin and key. */
export type OtherReadouts = Record<string, Record<string, number>>;

function isSystem(v: CollectedValues): boolean {
  return typeof v.cpu === 'object' && v.cpu !== null && Array.isArray(v.disks);
}

function isGpu(v: CollectedValues): boolean {
  return Array.isArray(v.gpus);
}

function isProcessTree(v: CollectedValues): boolean {
  return typeof v.count === 'number' && Array.isArray(v.top) && typeof v.rootPid === 'number';
}

function isKnown(v: CollectedValues): boolean {
  return isSystem(v) || isGpu(v) || isProcessTree(v);
}

/**
 * Picks the values of the shapes the readout knows out of a sample, whatever the plugins are called: the
 * first system-, GPU- and process-tree-shaped values fill the fields (a GPU readout with no GPU is left out).
 */
export function statusValues(values: Record<string, CollectedValues>): StatusValues {
  const out: StatusValues = {};
  for (const v of Object.values(values)) {
    if (typeof v !== 'object' || v === null) continue;
    if (isSystem(v)) out.system ??= v as unknown as SystemValues;
    else if (isGpu(v)) {
      if ((v as GpuValues).gpus!.length > 0) out.gpu ??= v as GpuValues;
    } else if (isProcessTree(v)) out.process ??= v as unknown as ProcessValues;
  }
  return out;
}

/** The numbers of every other readout plugin (a third party's), listed in the tooltip and details. */
export function otherReadouts(values: Record<string, CollectedValues>): OtherReadouts {
  const out: OtherReadouts = {};
  for (const [name, v] of Object.entries(values)) {
    if (typeof v !== 'object' || v === null || isKnown(v)) continue;
    const numbers = flattenNumbers(v);
    if (Object.keys(numbers).length > 0) out[name] = numbers;
  }
  return out;
}

export type Severity = 'normal' | 'warning' | 'error';

/** Theme colours a status-bar item may use as its background. */
export const BACKGROUND: Record<Severity, string | undefined> = {
  normal: undefined,
  warning: 'statusBarItem.warningBackground',
  error: 'statusBarItem.errorBackground',
};

export interface StatusBarView {
  text: string;
  tooltip: string;
  severity: Severity;
  backgroundColor: string | undefined;
  /** Thresholds crossed, in words. */
  alerts: string[];
}

export interface StatusBarInput {
  values: StatusValues;
  /** Readouts of shapes the item does not know; listed in the tooltip. */
  others?: OtherReadouts;
  reports: readonly CollectorReport[];
  settings: StatusBarSettings;
  paused: boolean;
}

function sum(values: (number | undefined)[]): number {
  return values.reduce<number>((s, v) => s + (v ?? 0), 0);
}

function fieldText(field: StatusField, v: StatusValues): string | undefined {
  const s = v.system;
  switch (field) {
    case 'cpu':
      return s?.cpu.percent === undefined ? undefined : `CPU ${percent(s.cpu.percent)}`;
    case 'mem':
      return s?.memory ? `MEM ${gibPair(s.memory.used, s.memory.total)}` : undefined;
    case 'swap':
      return s?.swap && s.swap.total > 0 ? `SWAP ${gibPair(s.swap.used, s.swap.total)}` : undefined;
    case 'load':
      return s?.load ? `LOAD ${s.load.avg1.toFixed(2)}` : undefined;
    case 'gpu':
      return v.gpu?.maxUtilizationPercent === undefined ? undefined : `GPU ${percent(v.gpu.maxUtilizationPercent)}`;
    case 'gpuMem': {
      const gpus = v.gpu?.gpus ?? [];
      const total = sum(gpus.map((g) => g.memoryTotalBytes));
      return total > 0 ? `VRAM ${gibPair(sum(gpus.map((g) => g.memoryUsedBytes)), total)}` : undefined;
    }
    case 'disk': {
      const fullest = Math.max(...(s?.disks ?? []).map((d) => d.percent ?? 0));
      return s && s.disks.length > 0 ? `DISK ${percent(fullest)}` : undefined;
    }
    case 'io':
      return s?.diskIo ? `IO R ${compactBytes(s.diskIo.readBytesPerSec)} W ${compactBytes(s.diskIo.writeBytesPerSec)}` : undefined;
    case 'net':
      return s?.network ? `NET ↓${compactBytes(s.network.rxBytesPerSec)} ↑${compactBytes(s.network.txBytesPerSec)}` : undefined;
    case 'proc':
      return v.process?.alive ? `PROC ${percent(v.process.cpuPercent)} ${compactBytes(v.process.rssBytes)}` : undefined;
  }
}

/** The thresholds crossed by what the item shows: CPU, memory, and GPU memory when a GPU field is shown. */
function checkThresholds(v: StatusValues, settings: StatusBarSettings): { severity: Severity; alerts: string[] } {
  const checks: [string, number | undefined, StatusBarSettings['thresholds']['cpu']][] = [];
  const shown = new Set(settings.fields);
  if (shown.has('cpu')) checks.push(['CPU', v.system?.cpu.percent, settings.thresholds.cpu]);
  if (shown.has('mem')) checks.push(['Memory', v.system?.memory?.percent, settings.thresholds.mem]);
  if (shown.has('gpu') || shown.has('gpuMem')) checks.push(['GPU memory', v.gpu?.maxMemoryPercent, settings.thresholds.gpu]);
  let severity: Severity = 'normal';
  const alerts: string[] = [];
  for (const [label, value, levels] of checks) {
    if (value === undefined) continue;
    if (value >= levels.error) {
      severity = 'error';
      alerts.push(`${label} ${percent(value)} is at or above the error level (${levels.error}%)`);
    } else if (value >= levels.warning) {
      if (severity === 'normal') severity = 'warning';
      alerts.push(`${label} ${percent(value)} is at or above the warning level (${levels.warning}%)`);
    }
  }
  return { severity, alerts };
}

function valueRows(v: StatusValues): [string, string][] {
  const rows: [string, string][] = [];
  const s = v.system;
  if (s) {
    if (s.cpu.percent !== undefined) rows.push(['CPU', `${percent(s.cpu.percent)} of ${s.cpu.count} cores${s.cpu.model ? ` (${s.cpu.model})` : ''}`]);
    if (s.cpu.cores.length > 0) rows.push(['Per core', s.cpu.cores.map(percent).join(' ')]);
    if (s.load) rows.push(['Load average', `${s.load.avg1.toFixed(2)} · ${s.load.avg5.toFixed(2)} · ${s.load.avg15.toFixed(2)}`]);
    if (s.memory)
      rows.push(['Memory', `${bytes(s.memory.used)} used of ${bytes(s.memory.total)} (${percent(s.memory.percent)}), ${bytes(s.memory.available)} available`]);
    if (s.swap) rows.push(['Swap', s.swap.total > 0 ? `${bytes(s.swap.used)} used of ${bytes(s.swap.total)} (${percent(s.swap.percent)})` : 'none']);
    for (const d of s.disks) rows.push([`Disk ${d.mount}`, `${bytes(d.used)} used of ${bytes(d.used + d.available)} (${percent(d.percent)}), ${d.fsType}`]);
    if (s.diskIo) rows.push(['Disk I/O', `read ${rate(s.diskIo.readBytesPerSec)}, write ${rate(s.diskIo.writeBytesPerSec)}`]);
    if (s.network) rows.push(['Network', `receive ${rate(s.network.rxBytesPerSec)}, send ${rate(s.network.txBytesPerSec)}`]);
    if (s.uptime !== undefined) rows.push(['Uptime', duration(s.uptime)]);
  }
  for (const g of v.gpu?.gpus ?? []) {
    const parts = [percent(g.utilizationPercent)];
    if (g.memoryUsedBytes !== undefined && g.memoryTotalBytes !== undefined) parts.push(`${bytes(g.memoryUsedBytes)} of ${bytes(g.memoryTotalBytes)}`);
    if (g.temperatureC !== undefined) parts.push(`${g.temperatureC} °C`);
    if (g.powerW !== undefined) parts.push(`${Math.round(g.powerW)} W`);
    rows.push([`GPU ${g.index} ${g.name}`, parts.join(' · ')]);
  }
  const p = v.process;
  if (p)
    rows.push([
      `Process tree ${p.rootPid}`,
      p.alive ? `${p.count} processes, ${p.threads} threads, CPU ${percent(p.cpuPercent)}, ${bytes(p.rssBytes)} resident` : 'not running',
    ]);
  return rows;
}

/** A third-party readout's numbers in one cell: the first few keys, and how many more. */
export function otherNumbers(numbers: Record<string, number>, max = 6): string {
  const entries = Object.entries(numbers);
  const shown = entries.slice(0, max).map(([k, n]) => `${k} ${Number.isInteger(n) ? n : n.toPrecision(4)}`);
  return entries.length > max ? `${shown.join(', ')} and ${entries.length - max} more` : shown.join(', ');
}

function costRows(reports: readonly CollectorReport[], intervalMs: number): string[] {
  return reports.map((r) => {
    const state = r.health.state === 'ok' ? 'ok' : `skipped for now: ${r.health.reason}`;
    const share = `${((100 * r.cost.cpuMs) / intervalMs).toFixed(3)}%`;
    return `| ${r.name} | ${millis(r.cost.meanMs)} | ${millis(r.cost.p95Ms)} | ${millis(r.cost.cpuMs)} | ${share} | ${cell(state)} |`;
  });
}

export function buildStatusBarView(input: StatusBarInput): StatusBarView {
  const { values, others, reports, settings, paused } = input;
  const parts = settings.fields.map((f) => fieldText(f, values)).filter((t): t is string => t !== undefined);
  const { severity, alerts } = checkThresholds(values, settings);
  const md: string[] = [`**Tracelet: this machine**${paused ? ' (paused while the window is not focused)' : ''}`, ''];
  for (const a of alerts) md.push(`$(${severity === 'error' ? 'error' : 'warning'}) ${a}`, '');
  const rows = [...valueRows(values), ...Object.entries(others ?? {}).map(([plugin, numbers]): [string, string] => [plugin, otherNumbers(numbers)])];
  if (rows.length > 0) md.push('| | |', '|---|---|', ...rows.map(([k, val]) => `| ${cell(k)} | ${cell(val)} |`), '');
  if (!values.system)
    md.push('The `system` collector is not active (nor another readout of its shape): check it in the Plugins view or in `tracelet.plugins`.', '');
  if (reports.length > 0) {
    md.push(
      `Collector cost, sampled every ${millis(settings.intervalMs)}:`,
      '',
      '| Collector | mean | p95 | CPU per call | of one core | |',
      '|---|---|---|---|---|---|',
      ...costRows(reports, settings.intervalMs),
      '',
    );
  }
  md.push('Click for per-core CPU, disks, network and GPUs.');
  return {
    text: `$(pulse) ${parts.length > 0 ? parts.join(' · ') : 'Tracelet'}`,
    tooltip: md.join('\n'),
    severity,
    backgroundColor: BACKGROUND[severity],
    alerts,
  };
}
