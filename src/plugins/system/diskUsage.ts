import * as fs from 'node:fs';
import { percentOf } from '../../core/sampler/counters';
import type { MountEntry } from './mounts';

export interface DiskUsage {
  mount: string;
  device: string;
  fsType: string;
  total: number;
  used: number;
  available: number;
  /** Used share of what non-root users can fill (used + available), as `df` shows it. */
  percent: number | undefined;
}

export function usageFromStatfs(m: MountEntry, s: { bsize: number; blocks: number; bfree: number; bavail: number }): DiskUsage {
  const total = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const available = s.bavail * s.bsize;
  return { mount: m.mountPoint, device: m.device, fsType: m.fsType, total, used, available, percent: percentOf(used, used + available) };
}

/**
 * statfs of each mount, asynchronous: on a network filesystem whose server has
 * gone away statfs can hang, which must never stall the extension host. A mount
 * whose previous statfs has not returned is not asked again (each would hold one
 * of libuv's few threadpool threads) and is left out until it answers.
 */
export class DiskUsageReader {
  private readonly pending = new Set<string>();

  constructor(private readonly statfs: (p: string) => Promise<fs.StatsFs> = (p) => fs.promises.statfs(p)) {}

  async read(mounts: readonly MountEntry[]): Promise<DiskUsage[]> {
    const results = await Promise.all(mounts.map((m) => this.readOne(m)));
    return results.filter((r): r is DiskUsage => r !== undefined);
  }

  private async readOne(m: MountEntry): Promise<DiskUsage | undefined> {
    if (this.pending.has(m.mountPoint)) return undefined;
    this.pending.add(m.mountPoint);
    const call = this.statfs(m.mountPoint);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, 1000, undefined);
    });
    call.then(
      () => this.pending.delete(m.mountPoint),
      () => this.pending.delete(m.mountPoint),
    );
    try {
      const s = await Promise.race([call, giveUp]);
      return s ? usageFromStatfs(m, s) : undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
