import * as fs from 'node:fs';

/** CPU time of this process (all threads) and of its waited-for children, in ms. */
export interface CpuReading {
  selfMs: number;
  childrenMs: number;
}

const TICK_MS = 10; // USER_HZ is 100

/**
 * process.cpuUsage() for ourselves (µs resolution); for children, cutime + cstime
 * from /proc/self/stat (10 ms ticks, so only meaningful summed over many
 * samples). Children are counted once reaped, which Node does before an
 * exec/execSync callback returns. Off Linux children read as 0.
 */
export function readCpu(): CpuReading {
  const u = process.cpuUsage();
  let childrenMs = 0;
  try {
    const text = fs.readFileSync('/proc/self/stat', 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    childrenMs = (Number(f[16 - 3]) + Number(f[17 - 3])) * TICK_MS;
  } catch {
    // Not Linux.
  }
  return { selfMs: (u.user + u.system) / 1000, childrenMs };
}

export function cpuSince(a: CpuReading): CpuReading {
  const b = readCpu();
  return { selfMs: b.selfMs - a.selfMs, childrenMs: b.childrenMs - a.childrenMs };
}
