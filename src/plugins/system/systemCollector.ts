import * as fs from 'node:fs';
import * as os from 'node:os';
import { CollectorPlugin, type CollectedValues, type PluginMetadataInput } from '../../core/plugin';
import type { PluginStatus } from '../../core/types';

interface CpuTimes {
  busy: number;
  total: number;
}

/** Aggregate CPU times from os.cpus(), which Node reads from /proc/stat on Linux without spawning anything. */
function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** MemAvailable from /proc/meminfo where it exists (it counts reclaimable cache); os.freemem() elsewhere. */
function availableMemory(): number {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux: fall through.
  }
  return os.freemem();
}

/** Machine-wide CPU and memory; CPU % is measured between two samples. */
export class SystemCollector extends CollectorPlugin {
  private last: CpuTimes | undefined;
  private samples = 0;

  getMetadata(): PluginMetadataInput {
    return {
      name: 'system',
      version: '0.1.0',
      description: 'CPU, memory and load of this machine.',
      author: 'Tracelet',
      pluginType: 'collector',
      entryPoint: 'builtin:system',
      dependencies: [],
      configSchema: {},
    };
  }

  start(): void {
    this.last = cpuTimes();
  }

  stop(): void {
    this.last = undefined;
  }

  getStatus(): PluginStatus {
    return { samples: this.samples };
  }

  collect(): CollectedValues {
    const now = cpuTimes();
    const prev = this.last ?? now;
    const total = now.total - prev.total;
    this.last = now;
    this.samples += 1;
    const memTotal = os.totalmem();
    const memAvailable = availableMemory();
    return {
      cpu: { percent: total > 0 ? (100 * (now.busy - prev.busy)) / total : 0 },
      memory: { total: memTotal, available: memAvailable, used: memTotal - memAvailable },
      load: os.loadavg(),
    };
  }
}
