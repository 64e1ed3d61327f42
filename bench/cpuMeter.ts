import * as fs from 'node:fs';

/** CPU time of this process (all threads) and of its waited-for children, in ms. */
export interface CpuReading {
  selfMs: number;
  childrenMs: number;
}

const TICK_MS = 10; // USER_HZ is 100

function childrenMs(): number {
  try {
    const text = fs.readFileSync('/proc/self/stat', 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[16 - 3]) + Number(f[17 - 3])) * TICK_MS;
  } catch {
    return 0; // Not Linux.
  }
}

function selfMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * process.cpuUsage() for ourselves (µs resolution); for children, cutime + cstime
 * from /proc/self/stat (10 ms ticks, so only meaningful summed over many
 * samples). Children are counted once reaped, which Node does before an
 * exec/execSync callback returns. Off Linux children read as 0. The meter's own
 * file read stays outside the window it measures: read before the start's CPU
 * reading and after the end's.
 */
export function readCpu(): CpuReading {
  const children = childrenMs();
  return { selfMs: selfMs(), childrenMs: children };
}

export function cpuSince(a: CpuReading): CpuReading {
  const self = selfMs();
  return { selfMs: self - a.selfMs, childrenMs: childrenMs() - a.childrenMs };
}
