/** Cumulative bytes read and written by one block device. */
export interface DiskCounters {
  readBytes: number;
  writeBytes: number;
}

/** Stacked or memory-backed devices whose traffic is already counted on a real disk (or is not disk traffic at all). */
const VIRTUAL = /^(loop|ram|zram|dm-|md|nbd|fd|sr)\d*/;

/**
 * Whole disks from /proc/diskstats: partitions are left out by noticing that
 * their disk is listed too (sda → sda1, nvme0n1 → nvme0n1p1, mmcblk0 →
 * mmcblk0p1), so traffic is not counted twice. Sectors here are always 512 bytes,
 * whatever the device's block size.
 */
export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const rows = new Map<string, DiskCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const name = f[2]!;
    if (VIRTUAL.test(name)) continue;
    const read = Number(f[5]);
    const written = Number(f[9]);
    if (!Number.isFinite(read) || !Number.isFinite(written)) continue;
    rows.set(name, { readBytes: read * 512, writeBytes: written * 512 });
  }
  for (const name of [...rows.keys()]) {
    const m = /^(.*?)(p?)(\d+)$/.exec(name);
    if (!m) continue;
    const base = m[1]!;
    // `sdp1` parses as sd + p + 1, so both readings of the optional `p` are tried.
    if (rows.has(base) || rows.has(base + m[2])) rows.delete(name);
  }
  return rows;
}
