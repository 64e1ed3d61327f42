import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { guard } from '../../src/core/guard';
import { silentLogger } from '../../src/core/logger';
import { sinkForBackend, type GuardedCall } from '../../src/core/pipeline/backendSink';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { newRunRecord } from '../../src/core/store/runRecord';
import type { MetricPoint, RunInfo } from '../../src/core/types';
import { MlflowBackend } from '../../src/plugins/mlflow/mlflowBackend';
import { NOT_CONFIGURED } from '../../src/plugins/mlflow/mlflowConfig';
import { MlflowError } from '../../src/plugins/mlflow/mlflowError';
import { freePort } from '../../src/plugins/tensorboard/freePort';
import { MlflowServer } from '../support/mlflowServer';
import { peerTest, requirePeers } from '../support/peers';
import { testContext, testRun } from '../support/runContext';
import { waitUntil } from '../support/waitUntil';

interface RunReply {
  run: {
    info: { run_id: string; status: string; start_time: number; end_time?: number; run_name: string; artifact_uri: string };
    data: {
      tags?: { key: string; value: string }[];
      params?: { key: string; value: string }[];
      metrics?: { key: string; value: number | string; step: number }[];
    };
  };
}
interface HistoryReply {
  metrics?: { key: string; value: number | string; step: number; timestamp: number }[];
}

describe('mlflow backend against a real MLflow server', peerTest(), () => {
  let server: MlflowServer;
  let tmp: string;

  before(async () => {
    const peers = requirePeers();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-mlflow-'));
    server = await MlflowServer.start(peers, tmp);
  });

  after(async () => {
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function backendFor(run: RunInfo, config: Record<string, unknown> = {}): Promise<{ backend: MlflowBackend; lines: string[] }> {
    const backend = new MlflowBackend();
    const { context, lines } = testContext('mlflow', tmp, run);
    backend.initialize({ trackingUri: server.url, experimentName: 'tracelet-tests', ...config }, context);
    await backend.start();
    return { backend, lines };
  }

  async function history(runId: string, key: string): Promise<NonNullable<HistoryReply['metrics']>> {
    return (await server.api<HistoryReply>('metrics/get-history', { run_id: runId, metric_key: key })).metrics ?? [];
  }

  it('records a run: tags, metrics in several requests, params, artifacts, final status', async () => {
    const run = testRun({ name: 'resnet baseline', tags: { 'git.commit': 'a1b2c3d4', 'git.branch': 'main', dataset: 'cifar10' } });
    const { backend, lines } = await backendFor(run, { batchSize: 400 });
    const t0 = Date.now();
    const points: MetricPoint[] = [];
    for (let step = 0; step < 1500; step++) points.push({ name: 'train/loss', value: 1 / (step + 1), step, time: t0 + step });
    points.push({ name: 'val loss (avg)%', value: 0.25, step: 3, time: t0 });
    points.push({ name: 'weird', value: Number.NaN, step: 1, time: t0 });
    points.push({ name: 'weird', value: Number.POSITIVE_INFINITY, step: 2, time: t0 });
    await backend.logBatch(points);
    await backend.logMetric('lr', 0.001, 7);
    await backend.logParams({ lr: 0.01, layers: [64, 32], optimizer: 'adam', long: 'x'.repeat(7000), skipped: undefined });
    const file = path.join(tmp, 'model.txt');
    fs.writeFileSync(file, 'weights');
    const folder = path.join(tmp, 'plots');
    fs.mkdirSync(path.join(folder, 'inner'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'a.csv'), '1,2');
    fs.writeFileSync(path.join(folder, 'inner', 'b.txt'), 'b');
    await backend.logArtifact(file);
    await backend.logArtifact(folder, 'charts');
    const end = Date.now();
    await backend.finishRun('failed', end);
    const status = backend.getStatus();
    await backend.stop();

    const runId = String(status.runId);
    const { run: got } = await server.api<RunReply>('runs/get', { run_id: runId });
    assert.equal(got.info.status, 'FAILED');
    assert.equal(got.info.end_time, end);
    assert.equal(got.info.start_time, run.startTime);
    assert.equal(got.info.run_name, 'resnet baseline');
    const tags = Object.fromEntries((got.data.tags ?? []).map((t) => [t.key, t.value]));
    assert.equal(tags['mlflow.source.name'], run.command);
    assert.equal(tags['mlflow.user'], 'tester');
    assert.equal(tags['mlflow.runName'], 'resnet baseline');
    assert.equal(tags['mlflow.source.git.commit'], 'a1b2c3d4');
    assert.equal(tags['mlflow.source.git.branch'], 'main');
    assert.equal(tags.dataset, 'cifar10');
    assert.equal(tags['tracelet.runId'], run.id);

    const params = Object.fromEntries((got.data.params ?? []).map((p) => [p.key, p.value]));
    assert.deepEqual(Object.keys(params).sort(), ['layers', 'long', 'lr', 'optimizer']);
    assert.equal(params.lr, '0.01');
    assert.equal(params.layers, '[64,32]');
    assert.equal(params.long, 'x'.repeat(6000));
    assert.ok(
      lines.some((l) => l.startsWith('warn') && l.includes('"long"') && l.includes('7000')),
      lines.join('\n'),
    );

    const loss = await history(runId, 'train/loss');
    assert.equal(loss.length, 1500);
    assert.deepEqual(
      loss.map((m) => [m.step, m.value, m.timestamp]).sort((a, b) => Number(a[0]) - Number(b[0])),
      points.slice(0, 1500).map((p) => [p.step, p.value, p.time]),
    );
    assert.deepEqual(
      (await history(runId, 'val loss _avg__')).map((m) => m.value),
      [0.25],
    );
    assert.ok(
      lines.some((l) => l.includes('"val loss (avg)%"') && l.includes('"val loss _avg__"')),
      lines.join('\n'),
    );
    const weird = (await history(runId, 'weird')).sort((a, b) => a.step - b.step);
    assert.deepEqual(
      weird.map((m) => m.value),
      ['NaN', 1.7976931348623157e308],
    ); // the server stores +Inf as the largest double
    assert.deepEqual(
      (await history(runId, 'lr')).map((m) => [m.step, m.value]),
      [[7, 0.001]],
    );

    const root = got.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
    const list = async (p: string) =>
      ((await server.api<{ files?: { path: string; file_size?: number }[] }>('/api/2.0/mlflow-artifacts/artifacts', { path: p })).files ?? [])
        .map((f) => f.path)
        .sort();
    assert.deepEqual(await list(root), ['charts', 'model.txt']);
    assert.deepEqual(await list(`${root}/charts`), ['a.csv', 'inner']);
    assert.deepEqual(await list(`${root}/charts/inner`), ['b.txt']);
    const stored = path.join(tmp, 'artifacts', root, 'model.txt');
    assert.equal(fs.readFileSync(stored, 'utf8'), 'weights');
  });

  it('takes a batch again after a partial failure without duplicating points (MLflow drops exact copies)', async () => {
    const { backend } = await backendFor(testRun(), { batchSize: 100 });
    const t0 = Date.now();
    const points: MetricPoint[] = Array.from({ length: 300 }, (_, i) => ({ name: i % 2 ? 'a' : 'b', value: i * 0.5, step: Math.floor(i / 2), time: t0 + i }));
    // As if the third of three requests had failed: the first 200 points are stored, then the pipeline sends all 300 again.
    await backend.logBatch(points.slice(0, 200));
    await backend.logBatch(points);
    await backend.logBatch(points);
    // Points without a step are stored at step 0, as the Python client does; the same value at the same millisecond is one point.
    await backend.logBatch([
      { name: 'nostep', value: 1, time: t0 },
      { name: 'nostep', value: 1, time: t0 },
      { name: 'nostep', value: 2, time: t0 },
    ]);
    const runId = String(backend.getStatus().runId);
    await backend.finishRun('finished', Date.now());
    await backend.stop();
    assert.equal((await history(runId, 'a')).length, 150);
    assert.equal((await history(runId, 'b')).length, 150);
    assert.deepEqual((await history(runId, 'nostep')).map((m) => [m.step, m.value]).sort(), [
      [0, 1],
      [0, 2],
    ]);
  });

  it('goes on in the MLflow run an earlier instance made for the same run (a window closed mid-run), and keeps each metrics version apart', async () => {
    const run = testRun();
    const t0 = Date.now();
    const points = (from: number, to: number): MetricPoint[] =>
      Array.from({ length: to - from }, (_, i) => ({ name: 'loss', value: 1 / (from + i + 1), step: from + i, time: t0 + from + i }));
    const before = await backendFor(run);
    await before.backend.logBatch(points(0, 10));
    const mlflowRun = String(before.backend.getStatus().runId);
    await before.backend.stop(); // the window closes: no finishRun

    const after = await backendFor(run); // the next window's recovery
    await after.backend.logBatch(points(10, 25));
    await after.backend.finishRun('finished', Date.now());
    await after.backend.stop();
    assert.equal(after.backend.getStatus().runId, mlflowRun);
    assert.ok(
      after.lines.some((l) => l.includes(`goes on in the MLflow run an earlier window made, ${mlflowRun}`)),
      after.lines.join('\n'),
    );
    assert.deepEqual(
      (await history(mlflowRun, 'loss')).map((m) => m.step).sort((a, b) => a - b),
      Array.from({ length: 25 }, (_, i) => i),
    );
    const experimentId = (await server.api<RunReply & { run: { info: { experiment_id: string } } }>('runs/get', { run_id: mlflowRun })).run.info.experiment_id;
    const search = (filter: string) =>
      server.api<{ runs?: { info: { run_id: string; status: string } }[] }>('runs/search', undefined, { experiment_ids: [experimentId], filter });
    const found = (await search(`tags.\`tracelet.runId\` = '${run.id}'`)).runs ?? [];
    assert.deepEqual(
      found.map((r) => [r.info.run_id, r.info.status]),
      [[mlflowRun, 'FINISHED']],
    );

    // A re-parsed version is a run of its own, and the version's own recovery goes on in that one.
    const v2 = { ...run, name: `${run.name} (metrics v2)`, tags: { 'tracelet.metricsVersion': '2' } };
    const first = await backendFor(v2);
    const versionRun = String(first.backend.getStatus().runId);
    await first.backend.stop();
    const again = await backendFor(v2);
    await again.backend.finishRun('finished', Date.now());
    await again.backend.stop();
    assert.notEqual(versionRun, mlflowRun);
    assert.equal(again.backend.getStatus().runId, versionRun);
    assert.equal((await search(`tags.\`tracelet.runId\` = '${run.id}'`)).runs?.length, 2);
  });

  it('names the plugin and the call in server errors', async () => {
    const { backend } = await backendFor(testRun());
    await backend.logParams({ lr: 0.1 });
    await backend.logParams({ lr: 0.1 }); // the same value again is fine
    await assert.rejects(backend.logParams({ lr: 0.2 }), (err: unknown) => {
      assert.ok(err instanceof MlflowError);
      assert.match(err.message, /^mlflow runs\/log-batch: 400 INVALID_PARAMETER_VALUE: Changing param values is not allowed/);
      assert.equal(err.transient, false);
      return true;
    });
    await backend.stop();
  });

  it('gets or creates the experiment once when many runs start at the same time', async () => {
    const started = await Promise.all(Array.from({ length: 5 }, () => backendFor(testRun(), { experimentName: 'race' })));
    const runIds = started.map((s) => String(s.backend.getStatus().runId));
    const experiments = await Promise.all(
      runIds.map(async (id) => (await server.api<{ run: { info: { experiment_id: string } } }>('runs/get', { run_id: id })).run.info.experiment_id),
    );
    assert.equal(new Set(experiments).size, 1);
    assert.equal(new Set(runIds).size, 5);
    for (const s of started) await s.backend.stop();
  });

  it('tests a connection: the server, a wrong path, a closed port, a missing field', async () => {
    const backend = new MlflowBackend();
    const ok = await backend.testConnection({ trackingUri: server.url, experimentName: 'tracelet-tests' });
    assert.equal(ok.ok, true, ok.message);
    assert.match(ok.message, /experiment "tracelet-tests" has id \d+/);
    const fresh = await backend.testConnection({ trackingUri: server.url, experimentName: 'not-yet' });
    assert.deepEqual([fresh.ok, /will be created/.test(fresh.message)], [true, true]);
    const wrongPath = await backend.testConnection({ trackingUri: `${server.url}/nothing-here` });
    assert.equal(wrongPath.ok, false);
    assert.match(wrongPath.message, /^mlflow experiments\/get-by-name: 404 /);
    const closed = await backend.testConnection({ trackingUri: `http://127.0.0.1:${await freePort()}` });
    assert.equal(closed.ok, false);
    assert.match(closed.message, /^mlflow experiments\/get-by-name: ECONNREFUSED: cannot reach/);
    assert.deepEqual(await backend.testConnection({}), { ok: false, message: NOT_CONFIGURED });
  });

  it('loses no point through the run pipeline when the server stops mid-run and comes back on the same port and database', async () => {
    const info = testRun();
    const { backend } = await backendFor(info, { batchSize: 50 });
    const runId = String(backend.getStatus().runId);
    const errors: string[] = [];
    const call: GuardedCall = (phase, fn) =>
      guard('mlflow', phase, 15_000, fn).catch((err: unknown) => {
        errors.push((err as Error).message);
        throw err;
      });
    const record = newRunRecord(info);
    const pipe = RunPipeline.open({
      runDir: path.join(tmp, 'runs', info.id),
      record,
      sinks: [sinkForBackend('mlflow', backend, call)],
      logger: silentLogger,
      delivery: { batchSize: 200, maxDelayMs: 20, retryInitialMs: 100, retryMaxMs: 400 },
    });
    const t0 = Date.now();
    let restarted: Promise<void> | undefined;
    let late: Awaited<ReturnType<typeof backendFor>> | undefined;
    for (let b = 0; b < 20; b++) {
      if (b === 5) {
        await server.stop();
        // A second run starts while the server is down: its MLflow run is made by its first call that gets through.
        late = await backendFor(testRun());
        assert.equal(late.backend.getStatus().runId, undefined);
        assert.ok(
          late.lines.some((l) => l.startsWith('warn') && /ECONNREFUSED.*created when the server answers/.test(l)),
          late.lines.join('\n'),
        );
        await assert.rejects(
          late.backend.logBatch([{ name: 'x', value: 1, step: 0, time: t0 }]),
          /^MlflowError: mlflow experiments\/get-by-name: ECONNREFUSED/,
        );
        // Back after a while, as an operator would bring it back, and not before a batch has failed; meanwhile the pipeline keeps the points and retries.
        const down = [new Promise((r) => setTimeout(r, 1000)), waitUntil(() => errors.length > 0, 'a batch failed while the server was down')];
        restarted = Promise.all(down).then(() => server.start());
      }
      pipe.ingest(Array.from({ length: 100 }, (_, i) => ({ name: 'loss', value: b * 100 + i, step: b * 100 + i, time: t0 + b })));
      await new Promise((r) => setTimeout(r, 30));
    }
    await restarted;
    const behind = await pipe.finish('finished', { endTime: Date.now() }, 30_000);
    assert.deepEqual(behind, []);
    assert.equal(pipe.acknowledged, 2000);
    for (const e of errors) assert.match(e, /^plugin "mlflow" failed in logBatch: mlflow runs\/log-batch: (ECONNREFUSED|ECONNRESET|EPIPE)/);
    const loss = await history(runId, 'loss');
    assert.equal(loss.length, 2000);
    assert.deepEqual(new Set(loss.map((m) => m.step)).size, 2000);
    assert.equal((await server.api<RunReply>('runs/get', { run_id: runId })).run.info.status, 'FINISHED');

    await late!.backend.logBatch([{ name: 'x', value: 1, step: 0, time: t0 }]);
    const lateId = String(late!.backend.getStatus().runId);
    await late!.backend.finishRun('killed', Date.now());
    await late!.backend.stop();
    assert.deepEqual(
      (await history(lateId, 'x')).map((m) => m.value),
      [1],
    );
    assert.equal((await server.api<RunReply>('runs/get', { run_id: lateId })).run.info.status, 'KILLED');
  });
});
