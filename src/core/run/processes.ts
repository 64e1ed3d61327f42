import * as fs from 'node:fs';

/** Direct children of a process, from Linux's /proc/<pid>/task/<tid>/children; empty elsewhere or when it is gone. */
export function childPids(pid: number, procRoot = '/proc'): number[] {
  try {
    const out: number[] = [];
    for (const tid of fs.readdirSync(`${procRoot}/${pid}/task`)) {
      const text = fs.readFileSync(`${procRoot}/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
    return out;
  } catch {
    return [];
  }
}
