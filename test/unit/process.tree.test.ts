import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger';
import type { PluginContext } from '../../src/core/types';
import { applySnapshot } from '../fixtures/proc/applySnapshot';
import { parsePidStat } from '../../src/plugins/process/procPidStat';
import { ProcessCollector } from '../../src/plugins/process/processCollector';
import { ProcessTreeReader } from '../../src/plugins/process/processTree';

const fixtures = path.join(__dirname, '..', 'fixtures', 'proc');
const context: PluginContext = { pluginName: 'process', logger: silentLogger, storageDir: os.tmpdir(), coreVersion: '0.1.0' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-process-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ROOT = 19319;
// Recorded 1.19 s apart (uptime 1021.94 -> 1023.13); the busy `sh` went from 51 to 161 ticks.
const BUSY_PERCENT = (100 * (161 - 51)) / 100 / 1.19;

/** A collector on a copy of fixture snapshots; `use` swaps in another and advances the clock. */
function onFixture(first: string, config: Record<string, unknown> = { rootPid: ROOT }) {
  const root = fs.mkdtempSync(path.join(tmp, 'proc-'));
  let now = 0;
  const use = (snapshot: string, ms = 0): void => {
    applySnapshot(path.join(fixtures, snapshot), root);
    now += ms;
  };
  use(first);
  const collector = new ProcessCollector({ procRoot: root, platform: 'linux', clock: () => now, pageSize: 4096 });
  collector.initialize(config, context);
  collector.start();
  return { collector, use, root };
}

describe('/proc/<pid>/stat', () => {
  it('parses a recorded file', () => {
    const s = parsePidStat(fs.readFileSync(path.join(fixtures, 'tree/t1/19321/stat'), 'latin1'));
    assert.deepEqual(s, { pid: 19321, name: 'sh', state: 'R', ppid: 19319, cpuTicks: 161, threads: 1, startTicks: 102143, rssPages: 386 });
  });

  it('finds the fields after a name with spaces and parentheses', () => {
    const s = parsePidStat(fs.readFileSync(path.join(fixtures, 'tree-scan/t0/400/stat'), 'latin1'))!;
    assert.equal(s.name, 'other (x) y');
    assert.equal(s.ppid, 1);
    assert.equal(s.cpuTicks, 520);
    assert.equal(s.threads, 4);
  });

  it('rejects empty or truncated text', () => {
    assert.equal(parsePidStat(''), undefined);
    assert.equal(parsePidStat(undefined), undefined);
    assert.equal(parsePidStat('12 (x'), undefined);
  });
});

describe('process tree', () => {
  it('follows task/*/children from the root', () => {
    const reader = new ProcessTreeReader(path.join(fixtures, 'tree/t1'));
    assert.deepEqual(reader.read(ROOT).map((p) => p.pid), [19319, 19321, 19322, 19323, 19324]);
    assert.equal(reader.treeMethod, 'children');
    assert.deepEqual(reader.read(19323).map((p) => p.pid), [19323, 19324]);
  });

  it('scans every stat when the kernel has no children files, and leaves unrelated processes out', () => {
    const reader = new ProcessTreeReader(path.join(fixtures, 'tree-scan/t1'));
    assert.deepEqual(reader.read(ROOT).map((p) => p.pid).sort(), [19319, 19321, 19322, 19323, 19324]);
    assert.equal(reader.treeMethod, 'scan');
  });

  it('stops at maxProcesses', () => {
    assert.equal(new ProcessTreeReader(path.join(fixtures, 'tree/t1'), 3).read(ROOT).length, 3);
  });

  it('is empty for a root that does not exist', () => {
    assert.deepEqual(new ProcessTreeReader(path.join(fixtures, 'tree/t1')).read(4242).length, 0);
  });
});

describe('process collector on recorded trees', () => {
  it('totals count, threads, RSS and CPU % over the elapsed time', async () => {
    const { collector, use } = onFixture('tree/t0');
    use('tree/t1', 1190);
    const v = await collector.collect();
    assert.equal(v.alive, true);
    assert.equal(v.count, 5);
    assert.equal(v.threads, 5);
    assert.equal(v.rssBytes, (785 + 386 + 406 + 761 + 414) * 4096);
    assert.ok(Math.abs(v.cpuPercent - BUSY_PERCENT) < 1e-9, String(v.cpuPercent));
    assert.equal(v.elapsedMs, 1190);
    assert.deepEqual(v.top[0], { pid: 19321, name: 'sh', cpuPercent: v.top[0]!.cpuPercent, rssBytes: 386 * 4096, threads: 1 });
    assert.ok(Math.abs(v.top[0]!.cpuPercent - BUSY_PERCENT) < 1e-9);
    assert.deepEqual(v.top.slice(1).map((p) => p.cpuPercent), [0, 0, 0, 0]);
  });

  it('lists only the top N', async () => {
    const { collector, use } = onFixture('tree/t0', { rootPid: ROOT, topN: 2 });
    use('tree/t1', 1190);
    assert.deepEqual((await collector.collect()).top.map((p) => p.pid), [19321, 19319]);
  });

  it('skips processes that vanished between listing and reading, without errors', async () => {
    const { collector, use } = onFixture('tree/t0');
    use('tree-vanished', 1190);
    const v = await collector.collect();
    assert.deepEqual(v.top.map((p) => p.pid).sort(), [19319, 19321, 19323]);
    assert.equal(v.count, 3);
    assert.ok(Math.abs(v.cpuPercent - BUSY_PERCENT) < 1e-9);
  });

  it('gives the same numbers through the scan fallback', async () => {
    const { collector, use } = onFixture('tree-scan/t0');
    use('tree-scan/t1', 1190);
    const v = await collector.collect();
    assert.equal(v.count, 5);
    assert.ok(Math.abs(v.cpuPercent - BUSY_PERCENT) < 1e-9);
    assert.equal(collector.getStatus().method, 'scan');
  });

  it('counts all the CPU of a child born during the interval, none of a pid reused by an older process', async () => {
    const { collector, use, root } = onFixture('tree/t0');
    use('tree/t1', 1000);
    // 19330 started at 1022.00 s, after the first reading (uptime 1021.94), and used 30 ticks.
    fs.mkdirSync(path.join(root, '19330', 'task', '19330'), { recursive: true });
    fs.writeFileSync(path.join(root, '19330', 'stat'), '19330 (cc1) R 19323 1 1 0 -1 0 0 0 0 0 25 5 0 0 20 0 1 0 102200 0 100 0');
    fs.writeFileSync(path.join(root, '19330', 'task', '19330', 'children'), '');
    fs.writeFileSync(path.join(root, '19323', 'task', '19323', 'children'), '19324 19330 ');
    const v = await collector.collect();
    assert.equal(v.count, 6);
    assert.ok(Math.abs(v.top[1]!.cpuPercent - 30) < 1e-9, JSON.stringify(v.top));
    assert.equal(v.top[1]!.name, 'cc1');
  });

  it('reports a root that does not exist, and one that exits later, without errors', async () => {
    const { collector, use } = onFixture('tree/t0', { rootPid: 4242 });
    use('tree/t1', 1000);
    const v = await collector.collect();
    assert.deepEqual(v, { rootPid: 4242, alive: false, count: 0, threads: 0, cpuPercent: 0, rssBytes: 0, top: [], elapsedMs: 1000 });
    assert.match(String(collector.getStatus().message), /process 4242 does not exist/);
    collector.setRootPid(ROOT);
    use('tree/t1', 1000);
    assert.equal((await collector.collect()).count, 5);
  });
});

describe('process collector on this machine', { skip: process.platform !== 'linux' }, () => {
  it('sees a child tree it spawned, with its CPU and memory', async () => {
    const child = spawn('sh', ['-c', 'sleep 5 & while :; do :; done'], { stdio: 'ignore' });
    try {
      const c = new ProcessCollector();
      c.initialize({ rootPid: child.pid }, context);
      c.start();
      await new Promise((r) => setTimeout(r, 500));
      const v = await c.collect();
      assert.equal(v.alive, true);
      assert.ok(v.count >= 2, `count ${v.count}`);
      assert.ok(v.top.some((p) => p.name === 'sleep'));
      // A busy loop: its share depends on how loaded the machine is, but it is never idle.
      assert.ok(v.cpuPercent > 5 && v.cpuPercent <= 100 * os.cpus().length, `cpu ${v.cpuPercent}`);
      assert.ok(v.rssBytes > 100_000);
      assert.equal(c.getStatus().method, 'children');
      c.stop();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('follows processes exiting and starting between samples', async () => {
    const child = spawn('sh', ['-c', 'sleep 0.3 & sleep 5 & wait; sleep 5'], { stdio: 'ignore' });
    try {
      const c = new ProcessCollector();
      c.initialize({ rootPid: child.pid }, context);
      c.start();
      await new Promise((r) => setTimeout(r, 150));
      assert.deepEqual((await c.collect()).top.map((p) => p.name).sort(), ['sh', 'sleep', 'sleep']);
      await new Promise((r) => setTimeout(r, 450));
      assert.deepEqual((await c.collect()).top.map((p) => p.name).sort(), ['sh', 'sleep']);
      c.stop();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('watches its own process by default', async () => {
    const c = new ProcessCollector();
    c.initialize({ rootPid: 0 }, context);
    c.start();
    const v = await c.collect();
    assert.equal(v.rootPid, process.pid);
    assert.ok(v.threads >= 1);
    // RSS from /proc in pages times the detected page size matches Node's own figure within 20%.
    assert.ok(Math.abs(v.top.find((p) => p.pid === process.pid)!.rssBytes / process.memoryUsage.rss() - 1) < 0.2);
  });
});
