import * as os from 'node:os';

/** Where a result was measured: ratios carry over between machines, absolute times do not. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the benchmark started and ended: a busy machine stretches wall-clock figures. */
  loadBefore: number;
  loadAfter?: number;
}

export function describeMachine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadBefore: round2(os.loadavg()[0]!),
  };
}

export function loadNow(): number {
  return round2(os.loadavg()[0]!);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function machineLine(m: Machine): string {
  const load = m.loadAfter === undefined ? `${m.loadBefore}` : `${m.loadBefore} → ${m.loadAfter}`;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, load ${load}`;
}
