import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { counterDelta, counterRate } from '../../src/plugins/system/counters';
import { parseDiskstats } from '../../src/plugins/system/procDiskstats';
import { parseMeminfo } from '../../src/plugins/system/procMeminfo';
import { isExcluded, parseNetDev } from '../../src/plugins/system/procNetDev';
import { corePercents, cpuPercent, parseProcStat } from '../../src/plugins/system/procStat';
import { mountOf, mountsFor, parseMounts } from '../../src/plugins/system/mounts';

const proc = path.join(__dirname, '..', 'fixtures', 'proc');
const read = (rel: string): string => fs.readFileSync(path.join(proc, rel), 'latin1');

describe('/proc/stat', () => {
  it('parses the total and each core of a recorded file', () => {
    const s = parseProcStat(read('linux/t0/stat'))!;
    assert.deepEqual(s.total, { user: 42916, nice: 57, system: 11290, idle: 143304, iowait: 1310, irq: 0, softirq: 186, steal: 147 });
    assert.deepEqual([...s.cores.keys()], [0, 1]);
    assert.equal(s.cores.get(1)!.user, 25644);
  });

  it('computes busy % from the deltas of two recorded readings', () => {
    const a = parseProcStat(read('linux/t0/stat'))!;
    const b = parseProcStat(read('linux/t1/stat'))!;
    // total: user +119, nice +17, system +44, idle +62 -> 180 busy of 242
    assert.ok(Math.abs(cpuPercent(a.total, b.total) - (100 * 180) / 242) < 1e-9);
    const cores = corePercents(a, b);
    assert.equal(cores.length, 2);
    assert.ok(Math.abs(cores[0]! - (100 * 75) / 120) < 1e-9);
    assert.ok(Math.abs(cores[1]! - (100 * 105) / 121) < 1e-9);
  });

  it('never goes below 0 or above 100 when a counter steps back', () => {
    const a = parseProcStat(read('system-wrap/t0/stat'))!;
    const b = parseProcStat(read('system-wrap/t1/stat'))!;
    const p = corePercents(a, b)[1]!;
    assert.ok(p >= 0 && p <= 100, String(p));
    // iowait's drop is ignored, so cpu1 is: user +82, system +23, idle +16 -> 105 of 121
    assert.ok(Math.abs(p - (100 * 105) / 121) < 1e-9);
    assert.equal(cpuPercent(b.total, b.total), 0);
  });

  it('is undefined for text without a cpu line', () => {
    assert.equal(parseProcStat('intr 1 2 3\n'), undefined);
  });
});

describe('/proc/meminfo', () => {
  it('reads total, available and swap in bytes', () => {
    const m = parseMeminfo(read('linux/t1/meminfo'))!;
    assert.equal(m.memory.total, 24684092 * 1024);
    assert.equal(m.memory.available, 23715336 * 1024);
    assert.equal(m.memory.used, (24684092 - 23715336) * 1024);
    assert.ok(Math.abs(m.memory.percent! - (100 * (24684092 - 23715336)) / 24684092) < 1e-9);
    assert.deepEqual(m.swap, { total: 0, available: 0, used: 0, percent: undefined });
  });

  it('falls back to free + buffers + cache on kernels without MemAvailable', () => {
    const m = parseMeminfo(read('crafted/meminfo-no-available'))!;
    assert.equal(m.memory.available, (512000 + 128000 + 256000) * 1024);
    assert.equal(m.swap.used, 256000 * 1024);
    assert.equal(m.swap.percent, 25);
  });
});

describe('/proc/diskstats', () => {
  it('keeps whole disks and drops partitions and stacked devices', () => {
    const d = parseDiskstats(read('crafted/diskstats-partitions'));
    assert.deepEqual([...d.keys()].sort(), ['mmcblk0', 'nvme0n1', 'sda', 'sdp']);
    assert.deepEqual(d.get('sda'), { readBytes: 8000 * 512, writeBytes: 4000 * 512 });
  });

  it('reads the recorded vda in 512-byte sectors whatever the block size', () => {
    const d = parseDiskstats(read('linux/t1/diskstats'));
    assert.deepEqual([...d.keys()], ['vda']);
    assert.equal(d.get('vda')!.writeBytes, 9461144 * 512);
  });
});

describe('/proc/net/dev', () => {
  it('reads rx and tx bytes per interface', () => {
    const n = parseNetDev(read('linux/t1/net/dev'));
    assert.deepEqual([...n.keys()], ['lo', 'ifb0', 'ifb1', 'eth0']);
    assert.deepEqual(n.get('eth0'), { rxBytes: 1122048480, txBytes: 2054123 });
  });

  it('splits names glued to their first counter', () => {
    assert.deepEqual(parseNetDev('eth0:123 1 0 0 0 0 0 0 456 2 0 0 0 0 0 0\n').get('eth0'), { rxBytes: 123, txBytes: 456 });
  });

  it('excludes by name and by prefix', () => {
    assert.equal(isExcluded('lo', ['lo']), true);
    assert.equal(isExcluded('veth12', ['veth*']), true);
    assert.equal(isExcluded('eth0', ['lo', 'veth*']), false);
  });
});

describe('mounts', () => {
  const mounts = parseMounts(read('linux/t0/self/mounts'));

  it('finds the filesystem holding a path, skipping pseudo filesystems', () => {
    assert.equal(mountOf('/work/main', mounts)?.mountPoint, '/');
    assert.equal(mountOf('/sys/fs/cgroup/cpu/x', mounts)?.fsType, 'cgroup');
    assert.deepEqual(
      mountsFor(['/', '/work/main', '/proc/1', '/dev/shm/x'], mounts).map((m) => m.mountPoint),
      ['/', '/dev/shm'],
    );
  });

  it('decodes escaped spaces in mount points', () => {
    const m = parseMounts('/dev/sdb1 /media/My\\040Disk ext4 rw 0 0\n');
    assert.equal(m[0]!.mountPoint, '/media/My Disk');
    assert.equal(mountOf('/media/My Disk/data', m)?.device, '/dev/sdb1');
  });
});

describe('counters', () => {
  it('gives 0, never a negative or huge value, when a counter goes backwards', () => {
    assert.equal(counterDelta(2 ** 32 - 10, 5), 0);
    assert.equal(counterRate(1000, 3000, 500), 4000);
    assert.equal(counterRate(3000, 1000, 500), 0);
    assert.equal(counterRate(1, 2, 0), undefined);
  });
});
