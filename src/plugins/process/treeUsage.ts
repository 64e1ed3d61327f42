import { counterDelta } from '../system/counters';
import { CLOCK_TICKS_PER_SECOND, type PidStat } from './procPidStat';
import type { ProcessEntry, ProcessValues } from './processValues';

/** One reading of a tree: its processes by pid and start time, when it was taken and the machine's uptime then. */
export interface TreeSnapshot {
  at: number;
  uptimeSeconds: number | undefined;
  procs: Map<string, PidStat>;
}

export function snapshot(procs: readonly PidStat[], at: number, uptimeSeconds: number | undefined): TreeSnapshot {
  return { at, uptimeSeconds, procs: new Map(procs.map((p) => [`${p.pid}/${p.startTicks}`, p])) };
}

/**
 * CPU time each process used between two readings. A process seen in both
 * counts its difference; one that started after the first reading (its start
 * time is later than the uptime then) counts all its time, so short-lived
 * children such as compiler runs are not missed; any other newcomer counts from
 * now on. Processes that exited in between are simply absent.
 */
function ticksUsed(p: PidStat, key: string, prev: TreeSnapshot): number {
  const before = prev.procs.get(key);
  if (before) return counterDelta(before.cpuTicks, p.cpuTicks);
  if (prev.uptimeSeconds !== undefined && p.startTicks >= prev.uptimeSeconds * CLOCK_TICKS_PER_SECOND) return p.cpuTicks;
  return 0;
}

export function treeUsage(rootPid: number, prev: TreeSnapshot | undefined, cur: TreeSnapshot, pageSize: number, topN: number): ProcessValues {
  const elapsedMs = prev ? cur.at - prev.at : 0;
  const entries: ProcessEntry[] = [];
  for (const [key, p] of cur.procs) {
    const cpuPercent = prev && elapsedMs > 0 ? (100 * ticksUsed(p, key, prev)) / CLOCK_TICKS_PER_SECOND / (elapsedMs / 1000) : 0;
    entries.push({ pid: p.pid, name: p.name, cpuPercent, rssBytes: p.rssPages * pageSize, threads: p.threads });
  }
  const values: ProcessValues = {
    rootPid,
    alive: entries.length > 0,
    count: entries.length,
    threads: entries.reduce((s, e) => s + e.threads, 0),
    cpuPercent: entries.reduce((s, e) => s + e.cpuPercent, 0),
    rssBytes: entries.reduce((s, e) => s + e.rssBytes, 0),
    top: [...entries].sort((a, b) => b.cpuPercent - a.cpuPercent || b.rssBytes - a.rssBytes || a.pid - b.pid).slice(0, topN),
  };
  if (prev && elapsedMs > 0) values.elapsedMs = elapsedMs;
  return values;
}
