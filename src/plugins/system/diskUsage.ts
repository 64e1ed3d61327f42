import * as fs from 'node:fs';
import { percentOf } from './counters';
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

type Statfs = Pick<fs.StatsFs, 'bsize' | 'blocks' | 'bfree' | 'bavail'>;

/**
 * Filesystems whose statfs answers from the superblock in memory, in microseconds.
 * Anything else (NFS, SMB, FUSE such as sshfs, 9p, cluster filesystems) can wait
 * on a server, possibly forever.
 */
const LOCAL_FILESYSTEMS: ReadonlySet<string> = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'f2fs',
  'tmpfs',
  'overlay',
  'zfs',
  'vfat',
  'exfat',
  'ntfs3',
  'jfs',
  'reiserfs',
  'bcachefs',
  'nilfs2',
]);

export function usageFromStatfs(m: MountEntry, s: Statfs): DiskUsage {
  const total = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const available = s.bavail * s.bsize;
  return { mount: m.mountPoint, device: m.device, fsType: m.fsType, total, used, available, percent: percentOf(used, used + available) };
}

export interface StatfsCalls {
  sync(p: string): Statfs;
  async(p: string): Promise<Statfs>;
}

const NODE_STATFS: StatfsCalls = { sync: (p) => fs.statfsSync(p), async: (p) => fs.promises.statfs(p) };

/**
 * statfs of each mount. Local filesystems are asked synchronously (about 3 µs,
 * against about 80 µs of CPU for the threadpool round trip). The others are asked
 * asynchronously, because on a network filesystem whose server has gone away
 * statfs can hang, which must never stall the extension host; such a mount whose
 * previous statfs has not returned is not asked again (each would hold one of
 * libuv's few threadpool threads) and is left out until it answers.
 */
export class DiskUsageReader {
  private readonly pending = new Set<string>();

  constructor(private readonly statfs: StatfsCalls = NODE_STATFS) {}

  /** Synchronous when every mount is local (the usual case), so a sample needs no promise or timer. */
  read(mounts: readonly MountEntry[]): DiskUsage[] | Promise<DiskUsage[]> {
    const out: DiskUsage[] = [];
    const remote: MountEntry[] = [];
    for (const m of mounts) {
      if (!LOCAL_FILESYSTEMS.has(m.fsType)) remote.push(m);
      else {
        try {
          out.push(usageFromStatfs(m, this.statfs.sync(m.mountPoint)));
        } catch {
          // Unmounted since the mount table was read: left out.
        }
      }
    }
    if (remote.length === 0) return out;
    return Promise.all(remote.map((m) => this.readRemote(m))).then((answers) => [...out, ...answers.filter((r): r is DiskUsage => r !== undefined)]);
  }

  private async readRemote(m: MountEntry): Promise<DiskUsage | undefined> {
    if (this.pending.has(m.mountPoint)) return undefined;
    this.pending.add(m.mountPoint);
    const call = this.statfs.async(m.mountPoint);
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
