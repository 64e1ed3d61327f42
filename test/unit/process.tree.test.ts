import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { silentLogger } from '../../src/core/logger';
import { monotonicMs } from '../../src/core/clock';
import type { PluginContext } from '../../src/core/types';
import { applySnapshot } from '../fixtures/proc/applySnapshot';
import { CLOCK_TICKS_PER_SECOND, parsePidStat } from '../../src/plugins/process/procPidStat';
import { ProcessCollector } from '../../src/plugins/process/processCollector';
import { ProcessTreeReader } from '../../src/plugins/process/processTree';
import { waitUntil } from '../support/waitUntil';

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
    assert.deepEqual(
      reader.read(ROOT).map((p) => p.pid),
      [19319, 19321, 19322, 19323, 19324],
    );
    assert.equal(reader.treeMethod, 'children');
    assert.deepEqual(
      reader.read(19323).map((p) => p.pid),
      [19323, 19324],
    );
  });

  it('scans every stat when the kernel has no children files, and leaves unrelated processes out', () => {
    const reader = new ProcessTreeReader(path.join(fixtures, 'tree-scan/t1'));
    assert.deepEqual(
      reader
        .read(ROOT)
        .map((p) => p.pid)
        .sort(),
      [19319, 19321, 19322, 19323, 19324],
    );
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
    assert.deepEqual(
      v.top.slice(1).map((p) => p.cpuPercent),
      [0, 0, 0, 0],
    );
  });

  it('lists only the top N', async () => {
    const { collector, use } = onFixture('tree/t0', { rootPid: ROOT, topN: 2 });
    use('tree/t1', 1190);
    assert.deepEqual(
      (await collector.collect()).top.map((p) => p.pid),
      [19321, 19319],
    );
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
    collector.attachToProcessTree(ROOT);
    use('tree/t1', 1000);
    assert.equal((await collector.collect()).count, 5);
  });
});

describe('process collector on this machine', { skip: process.platform !== 'linux' }, () => {
  it('sees a child tree it spawned, with its CPU and memory', async () => {
    const child = spawn('sh', ['-c', 'sleep 30 & while :; do :; done'], { stdio: 'ignore', detached: true });
    const tree = new ProcessTreeReader('/proc');
    try {
      await waitUntil(() => tree.read(child.pid!).some((p) => p.name === 'sleep'), 'the shell started sleep');
      const reading = () => ({ at: monotonicMs(), ticks: tree.read(child.pid!).reduce((n, p) => n + p.cpuTicks, 0) });
      const c = new ProcessCollector();
      c.initialize({ rootPid: child.pid }, context);
      // Our readings just before and just after each of the collector's two bound the CPU % it may report,
      // however the busy loop and this process are scheduled.
      const outerStart = reading();
      c.start();
      const innerStart = reading();
      await waitUntil(() => reading().ticks - innerStart.ticks >= 20, 'the busy loop used 200 ms of CPU');
      const innerEnd = reading();
      const v = await c.collect();
      const outerEnd = reading();
      assert.equal(v.alive, true);
      assert.ok(v.count >= 2, `count ${v.count}`);
      assert.ok(v.top.some((p) => p.name === 'sleep'));
      const percent = (ticks: number, ms: number) => (100 * ticks) / CLOCK_TICKS_PER_SECOND / (ms / 1000);
      const least = percent(innerEnd.ticks - innerStart.ticks, outerEnd.at - outerStart.at);
      const most = percent(outerEnd.ticks - outerStart.ticks, innerEnd.at - innerStart.at);
      assert.ok(least <= v.cpuPercent && v.cpuPercent <= most, `cpu ${v.cpuPercent}, not between ${least} and ${most}`);
      assert.ok(v.rssBytes > 100_000);
      assert.equal(c.getStatus().method, 'children');
      c.stop();
    } finally {
      tree.dispose();
      process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('follows processes exiting and starting between samples', async () => {
    const child = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait; tail -f /dev/null'], { stdio: 'ignore', detached: true });
    try {
      const c = new ProcessCollector();
      c.initialize({ rootPid: child.pid }, context);
      c.start();
      const top = async () => (await c.collect()).top;
      const shows = async (names: string[]) => isDeepStrictEqual((await top()).map((p) => p.name).sort(), names);
      await waitUntil(() => shows(['sh', 'sleep', 'sleep']), 'the collector saw both sleeps');
      const sleeps = (await top()).filter((p) => p.name === 'sleep');
      process.kill(sleeps[0]!.pid, 'SIGKILL');
      await waitUntil(() => shows(['sh', 'sleep']), 'the collector saw one sleep exit');
      process.kill(sleeps[1]!.pid, 'SIGKILL');
      await waitUntil(() => shows(['sh', 'tail']), 'the collector saw tail start');
      c.stop();
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
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
