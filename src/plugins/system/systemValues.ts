import type { DiskUsage } from './diskUsage';
import type { MemoryValues } from './procMeminfo';

export interface RatePair {
  readBytesPerSec: number;
  writeBytesPerSec: number;
}

export interface InterfaceRate {
  name: string;
  rxBytesPerSec: number;
  txBytesPerSec: number;
}

/** What the `system` collector returns: bytes, bytes per second, percentages 0–100 and seconds. (A type, not an interface, so it fits CollectedValues.) */
export type SystemValues = {
  platform: NodeJS.Platform;
  /** Where the numbers came from: direct /proc and statfs reads, or the systeminformation fallback. */
  source: 'proc' | 'systeminformation';
  cpu: {
    /** Busy share of all cores since the previous sample. */
    percent: number | undefined;
    cores: number[];
    count: number;
    model: string;
  };
  load?: { avg1: number; avg5: number; avg15: number };
  memory?: MemoryValues;
  swap?: MemoryValues;
  disks: DiskUsage[];
  diskIo?: RatePair & { devices: string[] };
  network?: { rxBytesPerSec: number; txBytesPerSec: number; interfaces: InterfaceRate[] };
  /** Seconds since boot. */
  uptime?: number;
  /** Real time the rates were measured over, ms. */
  elapsedMs?: number;
};

/** What a user can set in `tracelet.plugins.system.config`. */
export interface SystemSettings {
  /** Paths whose filesystems to report; empty means the root and the workspace folders. */
  mounts: string[];
  /** Interfaces left out of the network totals; `name*` matches by prefix. */
  excludeInterfaces: string[];
}
