import * as path from 'node:path';
import { counterRate } from './counters';
import type { Clock } from '../../core/clock';
import { DiskUsageReader, type DiskUsage } from './diskUsage';
import { parseDiskstats, type DiskCounters } from './procDiskstats';
import { ProcFile, readProcText } from './procFiles';
import { parseMeminfo } from './procMeminfo';
import { isExcluded, parseNetDev, type NetCounters } from './procNetDev';
import { corePercents, cpuPercent, parseProcStat, type ProcStat } from './procStat';
import { mountsFor, parseMounts, type MountEntry } from './mounts';
import type { InterfaceRate, SystemValues } from './systemValues';

interface Counters {
  at: number;
  stat: ProcStat | undefined;
  disks: Map<string, DiskCounters> | undefined;
  net: Map<string, NetCounters> | undefined;
}

const MOUNT_TABLE_TTL_MS = 60_000;
/** The kernel recomputes the load average every 5 s: reading it more often gives the same numbers. */
const LOAD_TTL_MS = 5_000;
/** Filesystem usage moves slowly; statfs every 10 s is plenty for a readout. */
const DISK_USAGE_TTL_MS = 10_000;

/**
 * The Linux sampler: cumulative counters from /proc turned into rates over the
 * real time between two samples (a monotonic clock, not the nominal interval),
 * gauges read as they are, and disk usage from statfs. A missing file leaves its
 * part of the result out; it never throws for one.
 */
export class ProcSystemSampler {
  private prev: Counters | undefined;
  private mountTable: { at: number; entries: MountEntry[] } | undefined;
  private readonly usage: DiskUsageReader;
  private readonly files = new Map<string, ProcFile>();
  private load: { at: number; value: SystemValues['load'] } | undefined;
  private disks: { at: number; key: string; value: DiskUsage[] } | undefined;

  constructor(
    private readonly procRoot: string,
    private readonly clock: Clock,
    private readonly cpuModel: () => string,
    usage?: DiskUsageReader,
  ) {
    this.usage = usage ?? new DiskUsageReader();
  }

  /** Takes the first reading so the first sample already has rates. */
  baseline(): void {
    this.prev = this.readCounters();
  }

  /** Synchronous unless a remote filesystem's usage is due (see DiskUsageReader). */
  sample(paths: readonly string[], excludeInterfaces: readonly string[]): SystemValues | Promise<SystemValues> {
    const cur = this.readCounters();
    const prev = this.prev;
    this.prev = cur;
    const elapsedMs = prev ? cur.at - prev.at : undefined;
    const mem = parseMeminfo(this.read('meminfo') ?? '');
    const values: SystemValues = {
      platform: 'linux',
      source: 'proc',
      cpu: {
        percent: prev?.stat && cur.stat ? cpuPercent(prev.stat.total, cur.stat.total) : undefined,
        cores: prev?.stat && cur.stat ? corePercents(prev.stat, cur.stat) : [],
        count: cur.stat?.cores.size ?? 0,
        model: this.cpuModel(),
      },
      disks: [],
    };
    const load = this.loadAverage();
    if (load) values.load = load;
    if (mem) {
      values.memory = mem.memory;
      values.swap = mem.swap;
    }
    const uptime = Number(this.read('uptime')?.split(' ')[0]);
    if (Number.isFinite(uptime)) values.uptime = uptime;
    if (elapsedMs !== undefined && elapsedMs > 0) {
      values.elapsedMs = elapsedMs;
      if (prev?.disks && cur.disks) values.diskIo = diskRates(prev.disks, cur.disks, elapsedMs);
      if (prev?.net && cur.net) values.network = netRates(prev.net, cur.net, elapsedMs, excludeInterfaces);
    }
    const disks = this.diskUsage(paths);
    if (Array.isArray(disks)) {
      values.disks = disks;
      return values;
    }
    return disks.then((d) => {
      values.disks = d;
      return values;
    });
  }

  private readCounters(): Counters {
    const stat = this.read('stat');
    const disks = this.read('diskstats');
    const net = this.read('net/dev');
    return {
      at: this.clock(),
      stat: stat === undefined ? undefined : parseProcStat(stat),
      disks: disks === undefined ? undefined : parseDiskstats(disks),
      net: net === undefined ? undefined : parseNetDev(net),
    };
  }

  private loadAverage(): SystemValues['load'] {
    const now = this.clock();
    if (this.load && now - this.load.at < LOAD_TTL_MS) return this.load.value;
    const f = this.read('loadavg')?.split(' ').map(Number);
    const value = !f || f.length < 3 || f.slice(0, 3).some((n) => !Number.isFinite(n)) ? undefined : { avg1: f[0]!, avg5: f[1]!, avg15: f[2]! };
    this.load = { at: now, value };
    return value;
  }

  private diskUsage(paths: readonly string[]): DiskUsage[] | Promise<DiskUsage[]> {
    const now = this.clock();
    const key = paths.join('\0');
    if (this.disks && this.disks.key === key && now - this.disks.at < DISK_USAGE_TTL_MS) return this.disks.value;
    const keep = (value: DiskUsage[]): DiskUsage[] => {
      this.disks = { at: now, key, value };
      return value;
    };
    const read = this.usage.read(mountsFor(paths, this.mounts()));
    return Array.isArray(read) ? keep(read) : read.then(keep);
  }

  /** The mount table, re-read at most once a minute: mounts come and go rarely. */
  private mounts(): MountEntry[] {
    const now = this.clock();
    if (!this.mountTable || now - this.mountTable.at > MOUNT_TABLE_TTL_MS) {
      this.mountTable = { at: now, entries: parseMounts(this.read('self/mounts') ?? '') };
    }
    return this.mountTable.entries;
  }

  /** Closes the files kept open between samples. */
  dispose(): void {
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }

  /** The per-sample files stay open (see ProcFile); the mount table, read once a minute, does not. */
  private read(rel: string): string | undefined {
    if (rel === 'self/mounts') return readProcText(path.join(this.procRoot, rel));
    let file = this.files.get(rel);
    if (!file) {
      file = new ProcFile(path.join(this.procRoot, rel));
      this.files.set(rel, file);
    }
    return file.read();
  }
}

function diskRates(prev: Map<string, DiskCounters>, cur: Map<string, DiskCounters>, elapsedMs: number): NonNullable<SystemValues['diskIo']> {
  let readBytesPerSec = 0;
  let writeBytesPerSec = 0;
  const devices: string[] = [];
  for (const [name, c] of cur) {
    const p = prev.get(name);
    if (!p) continue;
    devices.push(name);
    readBytesPerSec += counterRate(p.readBytes, c.readBytes, elapsedMs) ?? 0;
    writeBytesPerSec += counterRate(p.writeBytes, c.writeBytes, elapsedMs) ?? 0;
  }
  return { readBytesPerSec, writeBytesPerSec, devices };
}

function netRates(
  prev: Map<string, NetCounters>,
  cur: Map<string, NetCounters>,
  elapsedMs: number,
  exclude: readonly string[],
): NonNullable<SystemValues['network']> {
  const interfaces: InterfaceRate[] = [];
  for (const [name, c] of cur) {
    const p = prev.get(name);
    if (!p || isExcluded(name, exclude)) continue;
    interfaces.push({
      name,
      rxBytesPerSec: counterRate(p.rxBytes, c.rxBytes, elapsedMs) ?? 0,
      txBytesPerSec: counterRate(p.txBytes, c.txBytes, elapsedMs) ?? 0,
    });
  }
  return {
    rxBytesPerSec: interfaces.reduce((s, i) => s + i.rxBytesPerSec, 0),
    txBytesPerSec: interfaces.reduce((s, i) => s + i.txBytesPerSec, 0),
    interfaces,
  };
}
