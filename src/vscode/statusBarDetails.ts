// Pure: the rows of the "Show System Details" quick pick, grouped under separators.
import type { CollectorReport } from '../core/sampler/types';
import { bytes, duration, millis, percent, rate } from './statusBarFormat';
import type { OtherReadouts, StatusValues } from './statusBarModel';

export interface DetailRow {
  label: string;
  description?: string;
  detail?: string;
  /** A group heading rather than a value. */
  separator?: boolean;
}

/** A ten-cell bar for a percentage, readable in a quick pick. */
export function bar(value: number | undefined): string {
  const filled = value === undefined ? 0 : Math.round(Math.min(100, Math.max(0, value)) / 10);
  return '█'.repeat(filled) + '░'.repeat(10 - filled);
}

export function buildDetailRows(values: StatusValues, reports: readonly CollectorReport[], others: OtherReadouts = {}): DetailRow[] {
  const rows: DetailRow[] = [];
  const group = (label: string): void => {
    rows.push({ label, separator: true });
  };
  const s = values.system;
  if (s) {
    group('CPU');
    const about = [
      s.load ? `load average ${s.load.avg1.toFixed(2)} · ${s.load.avg5.toFixed(2)} · ${s.load.avg15.toFixed(2)}` : '',
      s.uptime !== undefined ? `up ${duration(s.uptime)}` : '',
    ].filter(Boolean);
    rows.push({
      label: `$(pulse) All cores  ${bar(s.cpu.percent)}  ${percent(s.cpu.percent)}`,
      description: s.cpu.model,
      ...(about.length > 0 ? { detail: about.join(', ') } : {}),
    });
    s.cpu.cores.forEach((p, i) => rows.push({ label: `Core ${i}  ${bar(p)}  ${percent(p)}` }));
    group('Memory');
    if (s.memory)
      rows.push({
        label: `$(server) Memory  ${bar(s.memory.percent)}  ${percent(s.memory.percent)}`,
        description: `${bytes(s.memory.used)} of ${bytes(s.memory.total)}, ${bytes(s.memory.available)} available`,
      });
    if (s.swap)
      rows.push(
        s.swap.total > 0
          ? { label: `Swap  ${bar(s.swap.percent)}  ${percent(s.swap.percent)}`, description: `${bytes(s.swap.used)} of ${bytes(s.swap.total)}` }
          : { label: 'Swap', description: 'none' },
      );
    group('Disks');
    for (const d of s.disks)
      rows.push({
        label: `$(database) ${d.mount}  ${bar(d.percent)}  ${percent(d.percent)}`,
        description: `${bytes(d.used)} used, ${bytes(d.available)} free`,
        detail: `${d.device} (${d.fsType})`,
      });
    if (s.diskIo)
      rows.push({ label: `Read ${rate(s.diskIo.readBytesPerSec)} · write ${rate(s.diskIo.writeBytesPerSec)}`, description: s.diskIo.devices.join(', ') });
    group('Network');
    if (s.network) {
      rows.push({ label: `$(arrow-down) ${rate(s.network.rxBytesPerSec)}  $(arrow-up) ${rate(s.network.txBytesPerSec)}`, description: 'all interfaces' });
      for (const i of s.network.interfaces) rows.push({ label: `${i.name}`, description: `receive ${rate(i.rxBytesPerSec)}, send ${rate(i.txBytesPerSec)}` });
    }
  }
  group('GPUs');
  const gpus = values.gpu?.gpus ?? [];
  if (gpus.length === 0) rows.push({ label: 'No NVIDIA GPU readout', description: 'nvidia-smi is not installed, finds no GPU, or the gpu collector is off' });
  for (const g of gpus) {
    const mem =
      g.memoryUsedBytes !== undefined && g.memoryTotalBytes !== undefined ? `${bytes(g.memoryUsedBytes)} of ${bytes(g.memoryTotalBytes)}` : 'memory unknown';
    const extra = [g.temperatureC !== undefined ? `${g.temperatureC} °C` : '', g.powerW !== undefined ? `${Math.round(g.powerW)} W` : '']
      .filter(Boolean)
      .join(' · ');
    rows.push({
      label: `$(circuit-board) GPU ${g.index}  ${bar(g.utilizationPercent)}  ${percent(g.utilizationPercent)}`,
      description: g.name,
      detail: `${mem}${extra ? ` · ${extra}` : ''}`,
    });
  }
  const p = values.process;
  if (p) {
    group(`Process tree of ${p.rootPid}`);
    rows.push({ label: `${p.count} processes, ${p.threads} threads`, description: `CPU ${percent(p.cpuPercent)}, ${bytes(p.rssBytes)} resident` });
    for (const t of p.top) rows.push({ label: `${t.name} (${t.pid})`, description: `CPU ${percent(t.cpuPercent)}, ${bytes(t.rssBytes)}` });
  }
  for (const [plugin, numbers] of Object.entries(others)) {
    group(plugin);
    for (const [key, n] of Object.entries(numbers)) rows.push({ label: key, description: String(Number.isInteger(n) ? n : n.toPrecision(6)) });
  }
  if (reports.length > 0) {
    group('Collector cost');
    for (const r of reports) {
      const state = r.health.state === 'ok' ? (r.lastProblem ? `ok (earlier: ${r.lastProblem})` : 'ok') : `skipped for now: ${r.health.reason}`;
      rows.push({
        label: r.name,
        description: `mean ${millis(r.cost.meanMs)}, p95 ${millis(r.cost.p95Ms)}, CPU ${millis(r.cost.cpuMs)} per call`,
        detail: state,
      });
    }
  }
  return rows;
}
