import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger';
import { monotonicMs } from '../../src/core/clock';
import type { PluginContext } from '../../src/core/types';
import { applySnapshot } from '../fixtures/proc/applySnapshot';
import { DiskUsageReader } from '../../src/plugins/system/diskUsage';
import { ProcFile } from '../../src/plugins/system/procFiles';
import { SystemCollector } from '../../src/plugins/system/systemCollector';
import { waitUntil } from '../support/waitUntil';

const fixtures = path.join(__dirname, '..', 'fixtures', 'proc');
const context: PluginContext = { pluginName: 'system', logger: silentLogger, storageDir: os.tmpdir(), coreVersion: '0.1.0' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-system-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A collector on a copy of a fixture snapshot; `step` swaps in the next snapshot and advances the clock. */
function onFixture(set: string, config: Record<string, unknown> = {}) {
  const root = fs.mkdtempSync(path.join(tmp, `${set}-`));
  // Files are rewritten in place, as the kernel does: the collector keeps the per-sample ones open.
  const use = (snapshot: string): void => applySnapshot(path.join(fixtures, set, snapshot), root);
  let now = 10_000;
  const statfsCalls: string[] = [];
  const fake = { bsize: 4096, blocks: 1000, bfree: 400, bavail: 300 };
  const usage = new DiskUsageReader({
    sync: (p) => (statfsCalls.push(p), fake),
    async: async (p) => (statfsCalls.push(`async ${p}`), fake),
  });
  use('t0');
  const collector = new SystemCollector({ procRoot: root, platform: 'linux', clock: () => now, diskUsage: usage });
  collector.initialize(config, context);
  collector.start();
  return {
    collector,
    root,
    statfsCalls,
    step: (snapshot: string, ms: number) => {
      use(snapshot);
      now += ms;
    },
  };
}

describe('system collector on recorded /proc', () => {
  it('computes CPU, disk and network rates over the real elapsed time', async () => {
    const { collector, step } = onFixture('linux');
    step('t1', 1160);
    const v = await collector.collect();
    assert.equal(v.source, 'proc');
    assert.equal(v.elapsedMs, 1160);
    assert.ok(Math.abs(v.cpu.percent! - (100 * 180) / 242) < 1e-9);
    assert.equal(v.cpu.count, 2);
    assert.equal(v.cpu.cores.length, 2);
    // vda: 131120 sectors written, 4592 read, in 1.16 s
    assert.ok(Math.abs(v.diskIo!.writeBytesPerSec - (131120 * 512) / 1.16) < 1e-6);
    assert.ok(Math.abs(v.diskIo!.readBytesPerSec - (4592 * 512) / 1.16) < 1e-6);
    assert.deepEqual(v.diskIo!.devices, ['vda']);
    // eth0 only: lo is excluded by default, ifb0/ifb1 did not move
    assert.ok(Math.abs(v.network!.rxBytesPerSec - 3749 / 1.16) < 1e-6);
    assert.ok(Math.abs(v.network!.txBytesPerSec - 2129 / 1.16) < 1e-6);
    assert.deepEqual(
      v.network!.interfaces.map((i) => i.name),
      ['ifb0', 'ifb1', 'eth0'],
    );
    assert.deepEqual(v.load, { avg1: 2.2, avg5: 1.31, avg15: 0.67 });
    assert.equal(v.uptime, 1003.58);
    assert.equal(v.memory!.total, 24684092 * 1024);
  });

  it('uses the elapsed time, not a nominal interval: twice the time, half the rate', async () => {
    const a = onFixture('linux');
    const b = onFixture('linux');
    a.step('t1', 1000);
    b.step('t1', 2000);
    const [va, vb] = [await a.collector.collect(), await b.collector.collect()];
    assert.ok(Math.abs(va.diskIo!.writeBytesPerSec - 2 * vb.diskIo!.writeBytesPerSec) < 1e-6);
    assert.equal(va.cpu.percent, vb.cpu.percent);
  });

  it('reports the configured interfaces only', async () => {
    const { collector, step } = onFixture('linux', { excludeInterfaces: ['ifb*'] });
    step('t1', 1000);
    const v = await collector.collect();
    assert.deepEqual(
      v.network!.interfaces.map((i) => i.name),
      ['lo', 'eth0'],
    );
    assert.equal(v.network!.rxBytesPerSec, 8401695 - 4957744 + 3749);
  });

  it('gives 0 rather than a negative or huge rate when counters wrap or reset', async () => {
    const { collector, step } = onFixture('system-wrap');
    step('t1', 1000);
    const v = await collector.collect();
    assert.equal(v.network!.interfaces.find((i) => i.name === 'eth0')!.rxBytesPerSec, 0);
    assert.equal(v.network!.txBytesPerSec, 0);
    assert.equal(v.diskIo!.writeBytesPerSec, 0);
    assert.ok(v.diskIo!.readBytesPerSec > 0, 'reads still counted');
    for (const p of [v.cpu.percent!, ...v.cpu.cores]) assert.ok(p >= 0 && p <= 100);
    // and the next interval is measured from the new reading
    step('t1', 1000);
    assert.equal((await collector.collect()).network!.rxBytesPerSec, 0);
  });

  it('leaves out what it cannot read, without throwing', async () => {
    const { collector, step, statfsCalls } = onFixture('system-missing');
    step('t1', 1000);
    const v = await collector.collect();
    assert.ok(v.cpu.percent! > 0);
    assert.ok(v.memory!.total > 0);
    assert.equal(v.load, undefined);
    assert.equal(v.uptime, undefined);
    assert.equal(v.diskIo, undefined);
    assert.equal(v.network, undefined);
    assert.deepEqual(v.disks, []);
    assert.deepEqual(statfsCalls, [], 'no mount table, no statfs');
  });

  it('reports the root and the workspace filesystem, each once', async () => {
    const { collector, step, statfsCalls } = onFixture('linux');
    collector.setWorkspaceFolders(['/work/main', '/dev/shm/ws']);
    step('t1', 1000);
    const v = await collector.collect();
    assert.deepEqual(
      v.disks.map((d) => d.mount),
      ['/', '/dev/shm'],
    );
    assert.deepEqual(statfsCalls, ['/', '/dev/shm']);
    // 1000 blocks, 400 free, 300 available to users: 600 used of 900
    assert.deepEqual(v.disks[0], {
      mount: '/',
      device: '/dev/vda',
      fsType: 'ext4',
      total: 4096000,
      used: 2457600,
      available: 1228800,
      percent: (100 * 600) / 900,
    });
    assert.deepEqual(collector.getStatus().mounts, ['/', '/dev/shm']);
  });

  it('re-reads the load average every 5 s and filesystem usage every 10 s, the rest every sample', async () => {
    const { collector, root, step, statfsCalls } = onFixture('linux');
    const load = (avg1: string): void => fs.writeFileSync(path.join(root, 'loadavg'), `${avg1} 1.00 0.50 1/100 42\n`);
    step('t1', 1000);
    load('3.00');
    const first = await collector.collect();
    assert.equal(first.load!.avg1, 3);
    step('t0', 4000);
    load('4.00');
    const second = await collector.collect();
    assert.equal(second.load!.avg1, 3, 'load average not read again within 5 s');
    assert.notEqual(second.memory!.available, first.memory!.available, 'memory read every sample');
    assert.equal(statfsCalls.length, 1);
    step('t1', 1000);
    load('5.00');
    assert.equal((await collector.collect()).load!.avg1, 5, 'read again after 5 s');
    assert.equal(statfsCalls.length, 1);
    step('t0', 5000);
    await collector.collect();
    assert.equal(statfsCalls.length, 2, 'statfs again after 10 s');
  });

  it('reports configured mounts instead of the defaults', async () => {
    const { collector, step } = onFixture('linux', { mounts: ['/dev/shm', '/proc'] });
    step('t1', 1000);
    assert.deepEqual(
      (await collector.collect()).disks.map((d) => d.mount),
      ['/dev/shm'],
    );
  });

  it('throws a clear error when collect() is called before start()', async () => {
    const c = new SystemCollector({ procRoot: path.join(fixtures, 'linux', 't0'), platform: 'linux' });
    c.initialize({}, context);
    await assert.rejects(async () => c.collect(), /not started/);
  });

  it('asks local filesystems synchronously, remote ones asynchronously, and does not wait for one that hangs', async () => {
    const calls: string[] = [];
    const fake = { bsize: 1024, blocks: 10, bfree: 5, bavail: 5 };
    const usage = new DiskUsageReader({
      sync: (p) => (calls.push(`sync ${p}`), fake),
      async: (p) => (calls.push(`async ${p}`), p === '/mnt/nfs' ? new Promise(() => undefined) : Promise.resolve(fake)),
    });
    const mounts = [
      { device: '/dev/vda', mountPoint: '/', fsType: 'ext4' },
      { device: 'server:/export', mountPoint: '/mnt/nfs', fsType: 'nfs4' },
      { device: 'me@host:', mountPoint: '/mnt/ssh', fsType: 'fuse.sshfs' },
    ];
    // Node fires timers in the order they fall due, however loaded the machine: this one is due 100 ms after the reader's 1 s timeout.
    let late: NodeJS.Timeout | undefined;
    const answer = await Promise.race([usage.read(mounts), new Promise<'late'>((r) => (late = setTimeout(r, 1100, 'late')))]);
    clearTimeout(late);
    assert.ok(answer !== 'late', 'gave up on the hung mount after a second');
    assert.deepEqual(
      answer.map((d) => d.mount),
      ['/', '/mnt/ssh'],
    );
    assert.deepEqual(calls, ['sync /', 'async /mnt/nfs', 'async /mnt/ssh']);
    calls.length = 0;
    assert.deepEqual(
      (await usage.read(mounts)).map((d) => d.mount),
      ['/', '/mnt/ssh'],
    );
    assert.deepEqual(calls, ['sync /', 'async /mnt/ssh'], 'a hung statfs is not asked again');
  });
});

describe('system collector on this machine', () => {
  it('reads plausible live values from /proc', { skip: process.platform !== 'linux' }, async () => {
    const c = new SystemCollector();
    c.initialize({}, context);
    const beforeStart = monotonicMs();
    c.start();
    const afterStart = monotonicMs();
    await new Promise((r) => setTimeout(r, 50)); // /proc/stat counts in 10 ms ticks: let them move
    const beforeCollect = monotonicMs();
    const v = await c.collect();
    const afterCollect = monotonicMs();
    assert.ok(v.cpu.percent! >= 0 && v.cpu.percent! <= 100);
    assert.equal(v.cpu.count, os.cpus().length);
    assert.equal(v.memory!.total, os.totalmem());
    assert.ok(v.memory!.used < v.memory!.total);
    assert.ok(v.disks.some((d) => d.mount === '/' && d.total > 0));
    assert.ok(v.elapsedMs! >= beforeCollect - afterStart && v.elapsedMs! <= afterCollect - beforeStart, `elapsed ${v.elapsedMs} ms`);
  });

  it('gets fresh content from a /proc file kept open', { skip: process.platform !== 'linux' }, async () => {
    const file = new ProcFile('/proc/uptime');
    try {
      const a = file.read();
      assert.match(a!, /^\d+\.\d+ /);
      const seconds = (text: string | undefined) => Number(text!.split(' ')[0]);
      await waitUntil(() => seconds(file.read()) > seconds(a), 'the uptime read through the open file moved on');
    } finally {
      file.close();
    }
  });

  it('fills the same shape through systeminformation where there is no /proc', async () => {
    const c = new SystemCollector({ platform: 'darwin' });
    c.initialize({}, context);
    c.start();
    const v = await c.collect();
    assert.equal(v.source, 'systeminformation');
    assert.ok(v.cpu.percent! >= 0 && v.cpu.percent! <= 100);
    assert.equal(v.cpu.cores.length, os.cpus().length);
    assert.ok(v.memory!.total > 0 && v.memory!.used <= v.memory!.total);
    assert.ok(v.disks.some((d) => d.mount === '/'));
    assert.ok(v.cpu.model.length > 0);
  });
});
