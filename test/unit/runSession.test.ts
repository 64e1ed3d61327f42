import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import { BackendPlugin, type PluginMetadataInput } from '../../src/core/plugin';
import { RunSession } from '../../src/core/run/runSession';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import type { MetricPoint, RunStatus } from '../../src/core/types';
import { EnvironmentCollector } from '../../src/plugins/environment/environmentCollector';
import { GitCollector } from '../../src/plugins/git/gitCollector';
import { LocalBackend } from '../../src/plugins/local/localBackend';
import { SystemCollector } from '../../src/plugins/system/systemCollector';
import { LightningCsvSource } from '../../src/plugins/csv/lightningCsvSource';
import { EventFileWriter } from '../../src/plugins/tensorboard/eventFileWriter';
import { fileVersionEvent, scalarEvent } from '../../src/plugins/tensorboard/eventProto';
import { TfEventsSource } from '../../src/plugins/tensorboard/tfeventsSource';
import * as fs from 'node:fs';
import { waitUntil } from '../support/waitUntil';
import { quietLogger, tempDir } from './pipelineHelpers';

const received: { points: MetricPoint[]; params: Record<string, unknown>; outcome?: RunStatus; tags?: Record<string, string> }[] = [];

class MemoryBackend extends BackendPlugin {
  private mine = {
    points: [] as MetricPoint[],
    params: {} as Record<string, unknown>,
    outcome: undefined as RunStatus | undefined,
    tags: {} as Record<string, string>,
  };
  getMetadata(): PluginMetadataInput {
    return { name: 'memory', version: '1.0.0', pluginType: 'backend' };
  }
  start(): void {
    if (this.context?.run) {
      this.mine.tags = this.context.run.tags;
      received.push(this.mine);
    }
  }
  stop(): void {}
  getStatus() {
    return {};
  }
  logMetric(): void {
    throw new Error('the pipeline should use logBatch');
  }
  logBatch(points: readonly MetricPoint[]): void {
    this.mine.points.push(...points);
  }
  logParams(params: Record<string, unknown>): void {
    Object.assign(this.mine.params, params);
  }
  logArtifact(): void {}
  finishRun(status: RunStatus): void {
    this.mine.outcome = status;
  }
}

describe('a run session', () => {
  it('captures output metrics, params, context and outcome into the store and every backend', async () => {
    const root = tempDir('tracelet-session-');
    const manager = new PluginManager({
      builtins: [LocalBackend, SystemCollector, GitCollector, EnvironmentCollector, MemoryBackend],
      pluginPaths: [],
      env: {},
      homeDir: root,
      storageRoot: root,
    });
    await manager.discoverPlugins();
    await manager.startPlugins({ local: {}, system: {}, git: {}, environment: {}, memory: {} });
    const session = await RunSession.start({
      manager,
      runsRoot: path.join(root, 'runs'),
      logger: quietLogger,
      command: 'python train.py --lr 0.05 --epochs=3',
      cwd: root,
      pid: process.pid,
      versions: { extension: '0.1.0' },
      sampleIntervalMs: 50,
    });
    const output = ['\x1b]633;C\x07epoch=1 loss=0.9', '1 acc=0.5\r\n', 'epoch=2 loss=0.7 acc=0.6\r\n\x1b[32mepoch=3 loss=0.5 ', 'acc=0.7\x1b[0m\r\n'];
    for (const chunk of output) session.feed(chunk);
    await waitUntil(() => 'system/cpu/percent' in session.record.metrics, 'a system sample is stored in the run');
    assert.deepEqual(await session.end('finished', 0), []);

    const runDir = path.join(root, 'runs', session.id);
    const stored = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    const loss = stored.filter((p) => p.name === 'loss');
    assert.deepEqual(
      loss.map((p) => [p.value, p.step]),
      [
        [0.91, 0],
        [0.7, 1],
        [0.5, 2],
      ],
    );
    assert.equal(stored.filter((p) => p.name === 'acc').length, 3);
    assert.ok(
      stored.some((p) => p.name === 'system/cpu/percent'),
      'system usage is sampled into the run',
    );

    const record = readRunRecord(runDir)!;
    assert.equal(record.status, 'finished');
    assert.equal(record.exitCode, 0);
    assert.deepEqual(record.params, { lr: 0.05, epochs: 3 });
    assert.equal((record.context.git as { repository: boolean }).repository, false);
    assert.ok(record.context.environment);
    assert.deepEqual(record.backends, ['memory']);

    const mine = received.at(-1)!;
    assert.deepEqual(mine.points, stored, 'the backend got exactly what the store holds');
    assert.deepEqual(mine.params, { lr: 0.05, epochs: 3 });
    assert.equal(mine.outcome, 'finished');
    await manager.stopAll();
  });

  it('keeps secrets typed on the command line out of run.json, params, backends and the log, and keeps the run out of git', async () => {
    const root = tempDir('tracelet-session-secrets-');
    const manager = new PluginManager({ builtins: [LocalBackend, MemoryBackend], pluginPaths: [], env: {}, homeDir: root, storageRoot: root });
    await manager.discoverPlugins();
    await manager.startPlugins({ local: {}, memory: {} });
    const logged: string[] = [];
    const logger = { ...quietLogger, info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
    const session = await RunSession.start({
      manager,
      runsRoot: path.join(root, '.tracelet', 'runs'),
      logger,
      command: 'HF_TOKEN=hf_abcdef python train.py --api-key sk-live-123 --lr 0.05 --note stored-secret-xyz',
      cwd: root,
      params: { 'db.password': 'hunter2', batch: 32 },
      knownSecrets: ['stored-secret-xyz'],
      sampleIntervalMs: 0,
    });
    assert.deepEqual(await session.end('finished', 0), []);
    const runDir = path.join(root, '.tracelet', 'runs', session.id);
    const text = fs.readFileSync(path.join(runDir, 'run.json'), 'utf8') + JSON.stringify(received.at(-1)) + logged.join('\n');
    for (const secret of ['hf_abcdef', 'sk-live-123', 'stored-secret-xyz', 'hunter2']) assert.ok(!text.includes(secret), `${secret} leaked`);
    const record = readRunRecord(runDir)!;
    assert.equal(record.command, 'HF_TOKEN=******** python train.py --api-key ******** --lr 0.05 --note ********');
    assert.deepEqual(record.params, { api_key: '********', lr: 0.05, note: '********', 'db.password': '********', batch: 32 });
    assert.deepEqual(received.at(-1)!.params, record.params);
    assert.match(fs.readFileSync(path.join(root, '.tracelet', '.gitignore'), 'utf8'), /^\*$/m, 'the first run keeps .tracelet out of git');
    await manager.stopAll();
  });

  it('refuses log folders from a workspace setting that lead out of the workspace, and says which', async () => {
    const root = tempDir('tracelet-session-within-');
    const manager = new PluginManager({ builtins: [TfEventsSource], pluginPaths: [], env: {}, homeDir: root, storageRoot: root });
    await manager.discoverPlugins();
    await manager.startPlugins({ tfevents: { pollIntervalMs: 100 } });
    const warnings: string[] = [];
    const session = await RunSession.start({
      manager,
      runsRoot: path.join(root, 'runs'),
      logger: { ...quietLogger, warn: (m: string) => warnings.push(m) },
      command: 'python train.py',
      cwd: path.join(root, 'ws'),
      logFolders: ['runs', '../../../home'],
      logFoldersWithin: path.join(root, 'ws'),
      sampleIntervalMs: 0,
    });
    await session.end('finished', 0);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0]!,
      /cannot watch \.\.\/\.\.\/\.\.\/home with tfevents: tracelet\.run\.logFolders entry "\.\.\/\.\.\/\.\.\/home" leaves the workspace folder/,
    );
    await manager.stopAll();
  });

  it('adds the scalars a script writes to TensorBoard event files and Lightning CSV logs, under their own prefixes', async () => {
    const root = tempDir('tracelet-session-files-');
    const manager = new PluginManager({ builtins: [TfEventsSource, LightningCsvSource], pluginPaths: [], env: {}, homeDir: root, storageRoot: root });
    await manager.discoverPlugins();
    await manager.startPlugins({ tfevents: { pollIntervalMs: 100 }, 'lightning-csv': { pollIntervalMs: 100 } });
    const session = await RunSession.start({
      manager,
      runsRoot: path.join(root, 'runs-store'),
      logger: quietLogger,
      command: 'python fit.py',
      cwd: root,
      sampleIntervalMs: 0,
      logFolders: ['runs', 'lightning_logs'],
    });

    // What a script would write: SummaryWriter-style event files and a CSVLogger file.
    const now = Date.now() / 1000;
    const writer = await EventFileWriter.open(path.join(root, 'runs', 'exp1'));
    await writer.write([
      fileVersionEvent(now),
      scalarEvent(now, 1, [{ tag: 'Loss/train', value: 0.5 }]),
      scalarEvent(now, 2, [{ tag: 'Loss/train', value: 0.25 }]),
    ]);
    await writer.close();
    fs.mkdirSync(path.join(root, 'lightning_logs', 'version_0'), { recursive: true });
    fs.writeFileSync(path.join(root, 'lightning_logs', 'version_0', 'metrics.csv'), 'epoch,step,train_loss,val_acc\n0,9,0.75,\n0,9,,0.5\n');
    const metrics = session.record.metrics;
    await waitUntil(
      () => metrics['tensorboard/exp1/Loss/train']?.count === 2 && ['csv/epoch', 'csv/train_loss', 'csv/val_acc'].every((name) => name in metrics),
      'the scalars from both files are stored while the run goes on',
    );
    await session.end('finished', 0);

    const stored = readAllPoints(path.join(root, 'runs-store', session.id, 'metrics.bin')).points;
    assert.deepEqual(
      stored.filter((p) => p.name.startsWith('tensorboard/')).map((p) => [p.name, p.value, p.step]),
      [
        ['tensorboard/exp1/Loss/train', 0.5, 1],
        ['tensorboard/exp1/Loss/train', 0.25, 2],
      ],
    );
    assert.deepEqual(
      stored
        .filter((p) => p.name.startsWith('csv/'))
        .map((p) => [p.name, p.value])
        .sort(),
      [
        ['csv/epoch', 0],
        ['csv/train_loss', 0.75],
        ['csv/val_acc', 0.5],
      ],
    );
    await manager.stopAll();
  });
});
