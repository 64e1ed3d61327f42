import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import type { BackendLike } from '../../src/core/plugin';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { listRuns, newRunRecord, readRunRecord } from '../../src/core/store/runRecord';
import { LocalBackend } from '../../src/plugins/local/localBackend';
import { points, quietLogger, tempDir } from './pipelineHelpers';

describe('local backend on its own', () => {
  it('records a run: metrics, params, artifacts and outcome, in the documented layout', async () => {
    const root = tempDir('tracelet-local-');
    const m = new PluginManager({ builtins: [LocalBackend], pluginPaths: [], env: {}, homeDir: root });
    await m.discoverPlugins();
    await m.startPlugins({ local: { directory: root } });
    const run = { id: 'run-a', name: 'a', command: 'python train.py', cwd: root, startTime: 1, host: 'h', user: 'u', tags: {} };
    const backend = (await m.createRunInstance('local', run)) as BackendLike;
    for (let i = 0; i < 1500; i++) await backend.logMetric('loss', 1 / (i + 1), i);
    await backend.logParams({ lr: 0.01 });
    const artifact = path.join(root, 'model.txt');
    fs.writeFileSync(artifact, 'weights');
    await backend.logArtifact(artifact, 'models/model.txt');
    await assert.rejects(
      Promise.resolve().then(() => backend.logArtifact(artifact, '../escape.txt')),
      /artifact path "..\/escape.txt" leaves its folder/,
    );
    await backend.finishRun!('finished', 99);
    await backend.stop();
    const runDir = path.join(root, 'run-a');
    const stored = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    assert.equal(stored.length, 1500);
    assert.deepEqual(stored[1499], { name: 'loss', value: 1 / 1500, step: 1499, time: stored[1499]!.time });
    const record = readRunRecord(runDir)!;
    assert.deepEqual([record.status, record.endTime, record.params.lr, record.metrics.loss!.count], ['finished', 99, 0.01, 1500]);
    assert.equal(fs.readFileSync(path.join(runDir, 'artifacts', 'models', 'model.txt'), 'utf8'), 'weights');
    assert.deepEqual(
      listRuns(root).map((r) => r.id),
      ['run-a'],
    );
  });
});

describe('local backend and run pipeline', () => {
  it('write a run folder the same way: one record shape, the log and its index, a batch stored before logBatch returns', async () => {
    const root = tempDir('tracelet-local-same-');
    const m = new PluginManager({ builtins: [LocalBackend], pluginPaths: [], env: {}, homeDir: root });
    await m.discoverPlugins();
    await m.startPlugins({ local: { directory: root } });
    const run = { id: 'by-backend', name: 'b', command: 'python train.py', cwd: root, startTime: 1, host: 'h', user: 'u', tags: {} };
    const backend = (await m.createRunInstance('local', run)) as BackendLike;
    await backend.logBatch!(points(3));
    assert.equal(readAllPoints(path.join(root, 'by-backend', 'metrics.bin')).points.length, 3, 'stored when logBatch returns');
    await backend.finishRun!('finished', 2);
    await backend.stop();
    await assert.rejects(
      Promise.resolve().then(() => backend.logMetric('late', 1)),
      /run by-backend has ended; it takes no more points/,
    );

    const pipe = RunPipeline.open({
      runDir: path.join(root, 'by-pipeline'),
      record: newRunRecord({ ...run, id: 'by-pipeline' }),
      sinks: [],
      logger: quietLogger,
    });
    pipe.ingest(points(3));
    await pipe.finish('finished');
    const [a, b] = ['by-backend', 'by-pipeline'].map((id) => readRunRecord(path.join(root, id))!);
    // pendingBackends is the pipeline's own: the backends it delivers to.
    assert.deepEqual(
      Object.keys(a).sort(),
      Object.keys(b)
        .filter((k) => k !== 'pendingBackends')
        .sort(),
    );
    assert.deepEqual(a.metrics, b.metrics);
    for (const id of ['by-backend', 'by-pipeline'])
      assert.deepEqual(fs.readdirSync(path.join(root, id)).sort(), ['artifacts', 'metrics.bin', 'metrics.idx', 'run.json', 'series.idx']);
  });
});
