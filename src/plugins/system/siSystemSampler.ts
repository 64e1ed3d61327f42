import * as os from 'node:os';
import * as path from 'node:path';
import { percentOf } from './counters';
import type { DiskUsage } from './diskUsage';
import { mountOf, type MountEntry } from './mounts';
import { isExcluded } from './procNetDev';
import { loadSystemInformation, type Si } from './systemInformation';
import type { SystemValues } from './systemValues';

type FsRow = Awaited<ReturnType<Si['fsSize']>>[number];

/** The fsSize row holding a path: by drive letter on Windows, by longest mount point elsewhere. */
function rowFor(p: string, rows: readonly FsRow[], platform: NodeJS.Platform): FsRow | undefined {
  if (platform === 'win32') {
    const drive = path.win32.parse(path.win32.resolve(p)).root.replace(/\\$/, '').toLowerCase();
    return rows.find((r) => r.mount.toLowerCase() === drive);
  }
  const entries: MountEntry[] = rows.map((r) => ({ device: r.fs, mountPoint: r.mount, fsType: r.type }));
  const hit = mountOf(p, entries);
  return hit && rows.find((r) => r.mount === hit.mountPoint);
}

/**
 * macOS, Windows and the BSDs have no /proc: systeminformation fills the same
 * shape there (it spawns helpers for some of it, which is why Linux does not use it).
 */
export class SiSystemSampler {
  private model: string | undefined;

  constructor(private readonly platform: NodeJS.Platform) {}

  async sample(paths: readonly string[], excludeInterfaces: readonly string[]): Promise<SystemValues> {
    const si = await loadSystemInformation();
    this.model ??= await si.cpu().then(
      (c) => `${c.manufacturer} ${c.brand}`.trim(),
      () => os.cpus()[0]?.model ?? '',
    );
    const [load, mem, fsRows, io, net] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      si.fsSize().catch(() => [] as FsRow[]),
      si.fsStats().catch(() => null),
      si.networkStats('*').catch(() => []),
    ]);
    const disks: DiskUsage[] = [];
    for (const p of paths) {
      const r = rowFor(p, fsRows, this.platform);
      if (r && !disks.some((d) => d.mount === r.mount)) {
        disks.push({
          mount: r.mount,
          device: r.fs,
          fsType: r.type,
          total: r.size,
          used: r.used,
          available: r.available,
          percent: percentOf(r.used, r.used + r.available),
        });
      }
    }
    const interfaces = net
      .filter((n) => !isExcluded(n.iface, excludeInterfaces))
      .map((n) => ({ name: n.iface, rxBytesPerSec: Math.max(0, n.rx_sec ?? 0), txBytesPerSec: Math.max(0, n.tx_sec ?? 0) }));
    const used = mem.total - mem.available;
    const values: SystemValues = {
      platform: this.platform,
      source: 'systeminformation',
      cpu: { percent: load.currentLoad, cores: load.cpus.map((c) => c.load), count: load.cpus.length, model: this.model },
      memory: { total: mem.total, available: mem.available, used, percent: percentOf(used, mem.total) },
      swap: { total: mem.swaptotal, available: mem.swapfree, used: mem.swapused, percent: percentOf(mem.swapused, mem.swaptotal) },
      disks,
      network: {
        rxBytesPerSec: interfaces.reduce((s, i) => s + i.rxBytesPerSec, 0),
        txBytesPerSec: interfaces.reduce((s, i) => s + i.txBytesPerSec, 0),
        interfaces,
      },
      uptime: os.uptime(),
    };
    if (io && io.rx_sec !== null && io.wx_sec !== null) values.diskIo = { readBytesPerSec: io.rx_sec, writeBytesPerSec: io.wx_sec, devices: [] };
    // Windows reports a load average of zeros: leave it out rather than show a false 0.
    if (this.platform !== 'win32') {
      const [avg1, avg5, avg15] = os.loadavg() as [number, number, number];
      values.load = { avg1, avg5, avg15 };
    }
    return values;
  }
}
