import { counterDelta } from './counters';

/** Jiffies a CPU spent busy and in total, from one `cpu` line of /proc/stat. */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface ProcStat {
  total: CpuTicks;
  /** Per core, by the number after `cpu` (a core taken offline leaves a gap). */
  cores: Map<number, CpuTicks>;
}

const FIELDS: (keyof CpuTicks)[] = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];

function ticks(parts: string[]): CpuTicks {
  const t = {} as CpuTicks;
  FIELDS.forEach((f, i) => {
    const n = Number(parts[i + 1]);
    t[f] = Number.isFinite(n) ? n : 0;
  });
  return t;
}

/** Parses the `cpu` and `cpuN` lines; guest time is already inside user time, so it is not added again. */
export function parseProcStat(text: string): ProcStat | undefined {
  let total: CpuTicks | undefined;
  const cores = new Map<number, CpuTicks>();
  // The cpu lines come first; the long interrupt and softirq lines after them are not needed.
  for (const line of text.split('\n', 4096)) {
    if (!line.startsWith('cpu')) {
      if (total) break;
      continue;
    }
    const parts = line.trim().split(/\s+/);
    if (parts[0] === 'cpu') total = ticks(parts);
    else {
      const n = Number(parts[0]!.slice(3));
      if (Number.isInteger(n)) cores.set(n, ticks(parts));
    }
  }
  return total && { total, cores };
}

/**
 * Busy share of the time between two readings, 0–100. Each field's delta is
 * clamped at 0 on its own: iowait is known to step backwards on tickless
 * kernels, and an offlined core's counters restart.
 */
export function cpuPercent(prev: CpuTicks, cur: CpuTicks): number {
  let total = 0;
  let idle = 0;
  for (const f of FIELDS) {
    const d = counterDelta(prev[f], cur[f]);
    total += d;
    if (f === 'idle' || f === 'iowait') idle += d;
  }
  return total > 0 ? Math.min(100, Math.max(0, (100 * (total - idle)) / total)) : 0;
}

/** Per-core percentages in core order, for cores present in both readings. */
export function corePercents(prev: ProcStat, cur: ProcStat): number[] {
  const out: number[] = [];
  for (const [n, t] of [...cur.cores].sort((a, b) => a[0] - b[0])) {
    const p = prev.cores.get(n);
    if (p) out.push(cpuPercent(p, t));
  }
  return out;
}
