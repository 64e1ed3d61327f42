// A third-party plugin of each capability, from a package that declares them in its package.json, is used by a
// run exactly as a built-in with that capability would be: picked by what it declares, never by its name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import { RunSession } from '../../src/core/run/runSession';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import { otherReadouts, statusValues } from '../../src/vscode/statusBarModel';
import { waitUntil } from '../support/waitUntil';
import { quietLogger, tempDir } from './pipelineHelpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'plugins-capabilities');

async function kit(storeDir: string): Promise<PluginManager> {
  const root = tempDir('tracelet-capabilities-');
  const manager = new PluginManager({ pluginPaths: [path.join(FIXTURES, 'capability-kit')], env: {}, homeDir: root, storageRoot: root });
  await manager.discoverPlugins();
  const outcomes = await manager.startPlugins({
    queue_sampler: {},
    dataset_context: {},
    metric_lines: {},
    metric_files: {},
    folder_store: { directory: storeDir },
    scale_processor: { factor: 100, names: ['acc'] },
  });
  for (const [name, o] of Object.entries(outcomes)) assert.ok(o.ok, `${name}: ${o.error}`);
  return manager;
}

describe('capabilities are contracts', () => {
  it('reads what a package declares, and picks active plugins by capability', async () => {
    const manager = await kit(tempDir('tracelet-store-'));
    assert.deepEqual(
      manager.listPlugins().map((p) => [p.name, p.declared?.type, p.declared?.capabilities.join('+')]),
      [
        ['queue_sampler', 'collector', 'runSampler+statusReadout'],
        ['dataset_context', 'collector', 'runContext'],
        ['metric_lines', 'framework', 'outputParser'],
        ['metric_files', 'framework', 'fileSource'],
        ['folder_store', 'backend', 'runStore'],
        ['scale_processor', 'processor', 'processor'],
      ],
    );
    assert.deepEqual(
      manager.capable('runSampler').map((p) => p.name),
      ['queue_sampler'],
    );
    assert.deepEqual(
      manager.capable('statusReadout').map((p) => p.name),
      ['queue_sampler'],
    );
    assert.deepEqual(
      manager.capable('fileSource').map((p) => [p.name, p.metadata.metricPrefix]),
      [['metric_files', 'ext']],
    );
    await assert.rejects(
      manager.createRunInstanceOf('metric_files', 'runSampler', { id: 'r', name: 'r', command: '', cwd: '/', startTime: 0, host: '', user: '', tags: {} }),
      /does not declare the capability "runSampler"/,
    );
    await manager.stopAll();
  });

  it('refuses a plugin whose package.json and getMetadata() disagree, saying both', async () => {
    const root = tempDir('tracelet-capabilities-');
    const manager = new PluginManager({ pluginPaths: [path.join(FIXTURES, 'declaration-mismatch')], env: {}, homeDir: root, storageRoot: root });
    await manager.discoverPlugins();
    const info = manager.getPluginInfo('two_faced')!;
    assert.equal(info.state, 'error');
    assert.equal(info.errorKind, 'metadata');
    assert.match(
      info.error!,
      /package\.json declares a collector with capabilities runSampler, but getMetadata\(\) says a collector with runContext; make them agree/,
    );
  });

  it('refuses a declared capability the plugin does not implement, or that does not fit its type', async () => {
    const lacking = new PluginManager().registerPlugin({
      getMetadata: () => ({ name: 'lacking', version: '1.0.0', pluginType: 'collector', capabilities: ['processTree'] }),
      initialize() {},
      start() {},
      stop() {},
      getStatus: () => ({}),
      collect: () => ({}),
    });
    assert.match(lacking.error!, /declares capability "processTree" but lacks attachToProcessTree\(\)/);
    const misfit = new PluginManager().registerPlugin({
      getMetadata: () => ({ name: 'misfit', version: '1.0.0', pluginType: 'backend', capabilities: ['runSampler'] }),
      initialize() {},
      start() {},
      stop() {},
      getStatus: () => ({}),
    });
    assert.match(misfit.error!, /capability "runSampler" is for collector plugins, not backend/);
    const unknown = new PluginManager().registerPlugin({
      getMetadata: () => ({ name: 'unknown', version: '1.0.0', pluginType: 'collector', capabilities: ['teleport'] }),
      initialize() {},
      start() {},
      stop() {},
      getStatus: () => ({}),
      collect: () => ({}),
    });
    assert.match(unknown.error!, /capability "teleport" is unknown \(known: outputParser, fileSource/);
  });

  it('runs a tracked command through third-party plugins of every kind, as it would through the built-ins', async () => {
    const store = tempDir('tracelet-store-');
    const manager = await kit(store);
    const runsRoot = manager.capable('runStore')[0]!.instance.runsRoot;
    assert.equal(runsRoot, store, "the run store's folder is where runs go");
    const cwd = tempDir('tracelet-cwd-');
    fs.mkdirSync(path.join(cwd, 'metrics'));
    const session = await RunSession.start({
      manager,
      runsRoot,
      logger: quietLogger,
      command: 'python train.py',
      cwd,
      pid: process.pid,
      sampleIntervalMs: 50,
      logFolders: ['metrics'],
    });
    session.feed('METRIC acc 0.5\nnoise 1\nMETRIC loss 2\n');
    fs.writeFileSync(path.join(cwd, 'metrics', 'a.metrics'), 'tokens=5\ntokens=9\n');
    const stored = (): string[] => readAllPoints(path.join(runsRoot, session.id, 'metrics.bin')).points.map((p) => p.name);
    await waitUntil(() => stored().includes('queue_sampler/queue/depth') && stored().includes('ext/tokens'), 'the sampler and the file source reach the store');
    assert.deepEqual(await session.end('finished', 0), []);

    const points = readAllPoints(path.join(runsRoot, session.id, 'metrics.bin')).points;
    assert.deepEqual(
      points.filter((p) => p.name === 'acc' || p.name === 'loss').map((p) => [p.name, p.value]),
      [
        ['acc', 50],
        ['loss', 2],
      ],
      'parsed by metric_lines, acc scaled by scale_processor before it was stored',
    );
    assert.deepEqual(
      points.filter((p) => p.name === 'ext/tokens').map((p) => p.value),
      [5, 9],
    );
    assert.ok(points.filter((p) => p.name === 'queue_sampler/queue/depth').length >= 1);
    const record = readRunRecord(path.join(runsRoot, session.id))!;
    assert.deepEqual(record.context.dataset_context, { dataset: 'cifar10', shards: 4, run: session.id });
    assert.deepEqual(record.backends, [], 'the run store gets no points of its own: the run folder is its store');
    assert.deepEqual(record.metrics.acc, { count: 1, last: 50, min: 50, max: 50, lastStep: 0, lastTime: points.find((p) => p.name === 'acc')!.time });
    await manager.stopAll();
  });

  it('gives a third-party readout a place in the status bar beside the shapes it knows', () => {
    const values = { queue_sampler: { queue: { depth: 3, name: 'jobs' } }, cpu_only: { cpu: 5 } };
    assert.deepEqual(statusValues(values), {});
    assert.deepEqual(otherReadouts(values), { queue_sampler: { 'queue/depth': 3 }, cpu_only: { cpu: 5 } });
  });
});
