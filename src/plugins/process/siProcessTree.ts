import { loadSystemInformation } from '../system/systemInformation';
import type { ProcessEntry, ProcessValues } from './processValues';

/**
 * The tree through systeminformation, where there is no /proc. It lists every
 * process on the machine (and spawns `ps` to do it), so it is far costlier than
 * the Linux path; CPU % is systeminformation's own, thread counts are unknown.
 */
export async function siProcessTree(rootPid: number, topN: number, maxProcesses: number): Promise<ProcessValues> {
  const si = await loadSystemInformation();
  const { list } = await si.processes();
  const byParent = new Map<number, typeof list>();
  for (const p of list) {
    const siblings = byParent.get(p.parentPid);
    if (siblings) siblings.push(p);
    else byParent.set(p.parentPid, [p]);
  }
  const root = list.find((p) => p.pid === rootPid);
  const tree = root ? [root] : [];
  for (let i = 0; i < tree.length && tree.length < maxProcesses; i++) {
    for (const child of byParent.get(tree[i]!.pid) ?? []) if (child.pid !== rootPid) tree.push(child);
  }
  const entries: ProcessEntry[] = tree.map((p) => ({ pid: p.pid, name: p.name, cpuPercent: p.cpu, rssBytes: p.memRss * 1024, threads: 0 }));
  return {
    rootPid,
    alive: entries.length > 0,
    count: entries.length,
    threads: 0,
    cpuPercent: entries.reduce((s, e) => s + e.cpuPercent, 0),
    rssBytes: entries.reduce((s, e) => s + e.rssBytes, 0),
    top: [...entries].sort((a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid).slice(0, topN),
  };
}
