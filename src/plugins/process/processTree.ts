import * as fs from 'node:fs';
import * as path from 'node:path';
import { readProcText } from '../system/procFiles';
import { OpenFiles } from './openFiles';
import { parsePidStat, type PidStat } from './procPidStat';

export type TreeMethod = 'children' | 'scan';

/**
 * Finds a process and all its descendants under a procfs root.
 *
 * `children`: follows /proc/<pid>/task/<tid>/children from the root, reading
 * only the tree's own files, so its cost does not grow with the number of
 * processes on the machine. `scan`: for kernels built without those files, reads
 * every /proc/<pid>/stat and links them by parent pid.
 *
 * Processes exit at any moment: a pid whose files are gone is skipped.
 */
export class ProcessTreeReader {
  private method: TreeMethod | undefined;
  private readonly files = new OpenFiles();

  constructor(
    private readonly procRoot: string,
    private readonly maxProcesses = 2000,
  ) {}

  /** Which way the tree is found, once known (after the first read of a live root). */
  get treeMethod(): TreeMethod | undefined {
    return this.method;
  }

  /** The root first, then its descendants breadth-first; empty when the root does not exist. */
  read(rootPid: number): PidStat[] {
    this.files.beginWalk();
    try {
      const root = this.keptStat(rootPid);
      if (!root) return [];
      this.method ??= fs.existsSync(path.join(this.procRoot, String(rootPid), 'task', String(rootPid), 'children')) ? 'children' : 'scan';
      return this.method === 'scan' ? this.scan(root) : this.follow(root);
    } finally {
      this.files.endWalk();
    }
  }

  /** A process's stat through a file kept open: once its process has exited it fails to read (ESRCH), so a reused pid is reopened. */
  private keptStat(pid: number): PidStat | undefined {
    return parsePidStat(this.files.read(path.join(this.procRoot, String(pid), 'stat'), ''));
  }

  /** How many files are held open between walks. */
  get openFiles(): number {
    return this.files.size;
  }

  dispose(): void {
    this.files.dispose();
  }

  private follow(root: PidStat): PidStat[] {
    const out = [root];
    const seen = new Set([root.pid]);
    for (let i = 0; i < out.length && out.length < this.maxProcesses; i++) {
      for (const child of this.childrenOf(out[i]!)) {
        if (seen.has(child)) continue;
        seen.add(child);
        const s = this.keptStat(child);
        if (s) out.push(s);
        if (out.length >= this.maxProcesses) break;
      }
    }
    return out;
  }

  /** Children are listed per thread (each under the thread that forked it); a single-threaded process needs no listing of its threads. */
  private childrenOf(p: PidStat): number[] {
    const pid = p.pid;
    let tids: string[];
    try {
      tids = p.threads === 1 ? [String(pid)] : fs.readdirSync(path.join(this.procRoot, String(pid), 'task'));
    } catch {
      return [];
    }
    const out: number[] = [];
    for (const tid of tids) {
      const text = this.files.read(path.join(this.procRoot, String(pid), 'task', tid, 'children'), `${pid}/${p.startTicks}`);
      for (const token of text?.split(' ') ?? []) if (token.trim()) out.push(Number(token));
    }
    return out;
  }

  private scan(root: PidStat): PidStat[] {
    const byParent = new Map<number, PidStat[]>();
    let names: string[];
    try {
      names = fs.readdirSync(this.procRoot);
    } catch {
      return [root];
    }
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const s = this.stat(Number(name));
      if (!s) continue;
      const siblings = byParent.get(s.ppid);
      if (siblings) siblings.push(s);
      else byParent.set(s.ppid, [s]);
    }
    const out = [root];
    for (let i = 0; i < out.length && out.length < this.maxProcesses; i++) {
      for (const child of byParent.get(out[i]!.pid) ?? []) if (child.pid !== root.pid && out.length < this.maxProcesses) out.push(child);
    }
    return out;
  }

  private stat(pid: number): PidStat | undefined {
    return parsePidStat(readProcText(path.join(this.procRoot, String(pid), 'stat')));
  }
}
