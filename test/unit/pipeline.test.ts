import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { sinkForBackend } from '../../src/core/pipeline/backendSink';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import { routeFilter } from '../../src/core/pipeline/routing';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { guard } from '../../src/core/guard';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import { waitUntil } from '../support/waitUntil';
import type { BackendLike } from '../../src/core/plugin';
import { newRecord, points, quietLogger, RecordingSink, tempDir } from './pipelineHelpers';

const fastDelivery = { batchSize: 100, maxDelayMs: 5, retryInitialMs: 10, retryMaxMs: 40 };

function open(runDir: string, sinks: RecordingSink[], extra: Partial<Parameters<typeof RunPipeline.open>[0]> = {}) {
  return RunPipeline.open({ runDir, record: newRecord(path.basename(runDir)), sinks, logger: quietLogger, delivery: fastDelivery, ...extra });
}

describe('routing', () => {
  it('sends everything to a backend without rules, and only matching names to one with rules', () => {
    const rules = [{ backend: 'mlflow', include: ['train/*', 'val/**'], exclude: ['train/debug_*'] }];
    const all = routeFilter(rules, 'local');
    const mlflow = routeFilter(rules, 'mlflow');
    assert.equal(all('anything'), true);
    assert.deepEqual(['train/loss', 'train/debug_grad', 'train/a/b', 'val/a/b', 'loss'].map(mlflow), [true, false, false, true, false]);
  });
});

describe('run pipeline', () => {
  it('stores every point and delivers it to every backend in order, in bounded batches', async () => {
    const runDir = path.join(tempDir('tracelet-pipe-'), 'run1');
    const fast = new RecordingSink('fast');
    const slow = new RecordingSink('slow');
    slow.delayMs = 15;
    const pipe = open(runDir, [fast, slow]);
    for (let i = 0; i < 50; i++) pipe.ingest(points(100, i * 100));
    pipe.logParams({ lr: 0.1 });
    assert.deepEqual(await pipe.finish('finished', { exitCode: 0 }), []);
    const expected = points(5000);
    assert.deepEqual(readAllPoints(path.join(runDir, 'metrics.bin')).points, expected);
    assert.deepEqual(fast.received, expected);
    assert.deepEqual(slow.received, expected);
    assert.ok(Math.max(...slow.batches) <= 8192, 'a batch never exceeds one flush');
    assert.deepEqual(slow.params, [{ lr: 0.1 }]);
    assert.equal(slow.finished[0]?.status, 'finished');
    const record = readRunRecord(runDir)!;
    assert.equal(record.status, 'finished');
    assert.equal(record.exitCode, 0);
    assert.deepEqual(record.metrics.loss, { count: 5000, last: 4999, min: 0, max: 4999, lastStep: 4999, lastTime: 5999 });
    assert.deepEqual(record.pendingBackends, []);
  });

  it('retries a failing backend without losing or reordering points, and without blocking the others', async () => {
    const runDir = path.join(tempDir('tracelet-pipe-'), 'run2');
    const flaky = new RecordingSink('flaky');
    const healthy = new RecordingSink('healthy');
    // Refuses until told otherwise, so the check does not depend on how fast a loaded machine retries.
    flaky.failNext = Infinity;
    const pipe = open(runDir, [flaky, healthy]);
    pipe.ingest(points(250));
    await waitUntil(() => healthy.received.length === 250 && flaky.attempts >= 2, 'the healthy backend gets every point while the flaky one keeps refusing');
    assert.equal(flaky.received.length, 0);
    const refused = flaky.attempts;
    flaky.failNext = 0;
    assert.deepEqual(await pipe.finish('finished'), []);
    assert.deepEqual(flaky.received, points(250));
    assert.equal(pipe.status().deliveries[0]!.failures, refused, 'every refusal is counted');
    assert.match(pipe.status().deliveries[0]!.lastError!, /flaky refused the batch/);
  });

  it('times out a hanging backend call and retries it', async () => {
    const runDir = path.join(tempDir('tracelet-pipe-'), 'run3');
    let hangs = 1;
    const received: number[] = [];
    const backend = {
      logBatch: (batch: readonly { value: number }[]) => {
        if (hangs-- > 0) return new Promise<void>(() => undefined);
        received.push(...batch.map((p) => p.value));
        return undefined;
      },
      stop() {},
    } as unknown as BackendLike;
    const sink = sinkForBackend('hanger', backend, (phase, fn) => guard('hanger', phase, 50, fn));
    const pipe = RunPipeline.open({ runDir, record: newRecord('run3'), sinks: [sink], logger: quietLogger, delivery: fastDelivery });
    pipe.ingest(points(10));
    assert.deepEqual(await pipe.finish('finished'), []);
    assert.deepEqual(
      received,
      points(10).map((p) => p.value),
    );
    assert.match(pipe.status().deliveries[0]!.lastError!, /plugin "hanger" failed in logBatch: did not finish within 50 ms/);
  });

  it('keeps a down backend’s points on disk, with memory bounded, and delivers them after recovery exactly once', async () => {
    const root = tempDir('tracelet-pipe-');
    const runDir = path.join(root, 'run4');
    const down = new RecordingSink('remote');
    down.down = true;
    const pipe = open(runDir, [down]);
    for (let i = 0; i < 200; i++) pipe.ingest(points(500, i * 500));
    assert.ok(pipe.status().buffered <= 8192, 'points wait on disk, not in memory');
    assert.deepEqual(await pipe.finish('finished', {}, 100), ['remote']);
    assert.equal(down.received.length, 0);
    assert.deepEqual(readRunRecord(runDir)!.pendingBackends, ['remote']);

    const candidates = findRunsToRecover(root);
    assert.deepEqual(
      candidates.map((c) => [c.record.id, c.status]),
      [['run4', 'finished']],
    );
    const back = new RecordingSink('remote');
    assert.deepEqual(await recoverRun(candidates[0]!, async () => back, quietLogger), []);
    assert.equal(back.received.length, 100_000);
    assert.deepEqual(back.received, points(100_000));
    assert.equal(back.finished[0]?.status, 'finished');
    assert.deepEqual(readRunRecord(runDir)!.pendingBackends, []);
    assert.deepEqual(findRunsToRecover(root), []);
  });

  it('marks a run left running by a dead window as crashed, or stopped when its process lives', async () => {
    const root = tempDir('tracelet-pipe-');
    const dead = 2 ** 22 + 12345;
    for (const [id, pid] of [
      ['gone', dead],
      ['alive', process.pid],
    ] as const) {
      const pipe = RunPipeline.open({ runDir: path.join(root, id), record: newRecord(id, { ownerPid: dead, pid }), sinks: [], logger: quietLogger });
      pipe.ingest(points(3));
      await pipe.suspend();
    }
    const candidates = findRunsToRecover(root, (pid) => pid === process.pid);
    assert.deepEqual(candidates.map((c) => [c.record.id, c.status]).sort(), [
      ['alive', 'stopped'],
      ['gone', 'crashed'],
    ]);
    for (const c of candidates) await recoverRun(c, async () => undefined, quietLogger);
    assert.equal(readRunRecord(path.join(root, 'gone'))!.status, 'crashed');
    assert.match(readRunRecord(path.join(root, 'alive'))!.statusReason!, /the process went on/);
  });

  it('applies processors before storing, and survives one that throws', async () => {
    const runDir = path.join(tempDir('tracelet-pipe-'), 'run5');
    const errors: unknown[] = [];
    const pipe = open(runDir, [], {
      processors: [
        (pts) => pts.filter((p) => p.value % 2 === 0),
        () => {
          throw new Error('bad processor');
        },
      ],
      onProcessorError: (e) => errors.push(e),
    });
    pipe.ingest(points(10));
    await pipe.finish('finished');
    assert.deepEqual(
      readAllPoints(path.join(runDir, 'metrics.bin')).points.map((p) => p.value),
      [0, 2, 4, 6, 8],
    );
    assert.equal(errors.length, 1);
  });
});
