import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger';
import type { PluginContext } from '../../src/core/types';
import { GpuCollector } from '../../src/plugins/gpu/gpuCollector';
import { nvidiaSmiArgs, parseGpuLine } from '../../src/plugins/gpu/nvidiaSmiCsv';
import { waitUntil } from '../support/waitUntil';

const standIn = path.join(__dirname, '..', 'fixtures', 'nvidia-smi');
const context: PluginContext = { pluginName: 'gpu', logger: silentLogger, storageDir: os.tmpdir(), coreVersion: '0.1.0' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-gpu-'));
const running: GpuCollector[] = [];
after(() => {
  for (const c of running) c.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const MIB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A started gpu collector whose PATH begins with the stand-in (or leaves it out); returns the start log too. */
function collector(env: Record<string, string>, config: Record<string, unknown> = {}, onPath = true) {
  const log = path.join(tmp, `starts-${running.length}.log`);
  const pathVar = onPath ? `${standIn}${path.delimiter}${process.env.PATH}` : path.join(tmp, 'empty-bin');
  const c = new GpuCollector({ env: { ...process.env, PATH: pathVar, FAKE_NVSMI_LOG: log, ...env }, initialBackoffMs: 50 });
  c.initialize({ intervalMs: 100, ...config }, context);
  c.start();
  running.push(c);
  const starts = (): string[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
  return { c, starts };
}

describe('nvidia-smi CSV', () => {
  it('parses the recorded shape into bytes, watts and degrees', () => {
    const [a, b] = fs.readFileSync(path.join(standIn, 'two-a100.csv'), 'utf8').trim().split('\n').map(parseGpuLine);
    assert.deepEqual(a, {
      index: 0,
      name: 'NVIDIA A100-SXM4-80GB',
      utilizationPercent: 87,
      memoryUsedBytes: 61234 * MIB,
      memoryTotalBytes: 81920 * MIB,
      memoryPercent: (100 * 61234) / 81920,
      temperatureC: 64,
      powerW: 312.45,
    });
    assert.equal(b!.index, 1);
    assert.equal(b!.utilizationPercent, 3);
  });

  it('leaves out fields the GPU does not report', () => {
    const r = parseGpuLine(fs.readFileSync(path.join(standIn, 'laptop-na-power.csv'), 'utf8').trim())!;
    assert.equal(r.name, 'NVIDIA GeForce GTX 1650 with Max-Q Design');
    assert.equal(r.powerW, undefined);
    assert.equal('powerW' in r, false);
    assert.equal(parseGpuLine('0, X, [Not Supported], 1, 2, N/A, 3')!.utilizationPercent, undefined);
  });

  it('ignores lines that are not GPU rows', () => {
    assert.equal(parseGpuLine('No devices were found'), undefined);
    assert.equal(parseGpuLine(''), undefined);
    assert.equal(parseGpuLine('index, name, utilization.gpu [%], a, b, c, d'), undefined);
  });

  it('asks for the documented fields in one looping process', () => {
    assert.deepEqual(nvidiaSmiArgs(2000), [
      '--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw',
      '--format=csv,noheader,nounits',
      '-lms',
      '2000',
    ]);
  });
});

describe('gpu collector with a stand-in nvidia-smi', () => {
  it('streams from one long-lived process', async () => {
    const { c, starts } = collector({});
    await waitUntil(async () => ((await c.collect()).count ?? 0) === 2, 'both GPUs were read');
    for (let i = 0; i < 5; i++) {
      await sleep(60);
      assert.equal((await c.collect()).count, 2);
    }
    const v = await c.collect();
    assert.equal(v.maxUtilizationPercent, 87);
    assert.ok(Math.abs(v.maxMemoryPercent! - (100 * 61234) / 81920) < 1e-9);
    assert.equal(v.gpus![1]!.powerW, 61.2);
    assert.deepEqual(starts(), [`start ${nvidiaSmiArgs(100).join(' ')}`]);
    const status = c.getStatus();
    assert.equal(status.state, 'streaming');
    assert.deepEqual(status.gpus, ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100-SXM4-80GB']);
  });

  it('restarts a process that dies, with growing pauses, and keeps serving values', async () => {
    const { c, starts } = collector({ FAKE_NVSMI_MODE: 'die-after:2' });
    await waitUntil(() => starts().length >= 3, 'nvidia-smi was started three times');
    const status = c.getStatus();
    assert.ok(Number(status.restarts) >= 2, JSON.stringify(status));
    assert.match(String(status.lastExit), /exited \(code 15\): Unable to determine the device handle/);
    await waitUntil(async () => ((await c.collect()).count ?? 0) === 2, 'both GPUs were read');
    c.stop();
    const after = starts().length;
    await sleep(400);
    assert.equal(starts().length, after, 'no restart after stop()');
  });

  it('says so and returns no values when nvidia-smi is not installed', async () => {
    const { c } = collector({}, {}, false);
    await waitUntil(() => c.getStatus().state === 'absent', 'the missing program was noticed');
    assert.deepEqual(await c.collect(), {});
    assert.match(String(c.getStatus().message), /nvidia-smi was not found on PATH/);
    await sleep(200);
    assert.equal(c.getStatus().state, 'absent', 'not restarted');
  });

  it('says so and does not restart when there is no GPU', async () => {
    const { c, starts } = collector({ FAKE_NVSMI_MODE: 'no-devices' });
    await waitUntil(() => c.getStatus().state === 'no-gpu', 'the missing GPU was noticed');
    assert.deepEqual(await c.collect(), {});
    assert.match(String(c.getStatus().message), /No devices were found/);
    await sleep(300);
    assert.equal(starts().length, 1);
  });

  it('stops nvidia-smi while nobody reads and starts it again on the next read', async () => {
    const { c, starts } = collector({}, { idleStopMs: 200 });
    // Only a GPU line stops it, so 'idle' means it streamed; 'streaming' lasts 200 ms, too short to catch by polling on a loaded machine.
    await waitUntil(() => c.getStatus().state === 'idle', 'nvidia-smi was stopped for want of readers');
    assert.equal(starts().length, 1);
    const v = await c.collect();
    assert.equal(v.count, 2, 'the first read after an idle stop waits for the new process');
    // collect() waits for the new process's first line at most 900 ms, which a loaded machine may need to start it.
    await waitUntil(() => starts().length >= 2, 'the read started nvidia-smi again');
    assert.equal(starts().length, 2);
  });

  it('returns nothing before it is started', async () => {
    const c = new GpuCollector();
    c.initialize({}, context);
    assert.deepEqual(await c.collect(), {});
    assert.equal(c.getStatus().state, 'stopped');
  });
});
