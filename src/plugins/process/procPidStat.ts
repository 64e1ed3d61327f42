import * as path from 'node:path';
import { readProcText } from '../system/procFiles';

/** The fields of /proc/<pid>/stat the process collector uses. */
export interface PidStat {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  threads: number;
  /** Clock ticks after boot when the process started: with the pid it tells a reused pid apart. */
  startTicks: number;
  rssPages: number;
}

/** USER_HZ, which /proc reports times in: 100 on every Linux architecture Node runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Parses /proc/<pid>/stat. The name sits in parentheses and may itself contain
 * spaces and parentheses, so the fields after it are counted from the last `)`.
 */
export function parsePidStat(text: string | undefined): PidStat | undefined {
  if (!text) return undefined;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // f[0] is field 3 (state) of proc(5), so field n is f[n - 3].
  const f = text.slice(close + 2).split(' ');
  const num = (n: number): number => Number(f[n - 3]);
  const stat: PidStat = {
    pid: Number(text.slice(0, open).trim()),
    name: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: num(4),
    cpuTicks: num(14) + num(15),
    threads: num(20),
    startTicks: num(22),
    rssPages: num(24),
  };
  return Number.isFinite(stat.pid) && Number.isFinite(stat.cpuTicks) && Number.isFinite(stat.ppid) ? stat : undefined;
}

/**
 * The page size, which /proc/<pid>/stat counts RSS in: Node does not expose it, so
 * it is found once by comparing our own RSS in pages with process.memoryUsage().
 */
export function detectPageSize(procRoot: string): number {
  const own = parsePidStat(readProcText(path.join(procRoot, 'self', 'stat')));
  if (!own || own.rssPages <= 0) return 4096;
  const ratio = process.memoryUsage.rss() / own.rssPages;
  return [4096, 16384, 65536].reduce((best, size) => (Math.abs(size - ratio) < Math.abs(best - ratio) ? size : best), 4096);
}
