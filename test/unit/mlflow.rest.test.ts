import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import { cleanArtifactPath, proxyArtifactRoot } from '../../src/plugins/mlflow/mlflowArtifacts';
import { logBatchBodies, metricJson } from '../../src/plugins/mlflow/mlflowBatches';
import { MlflowBackend } from '../../src/plugins/mlflow/mlflowBackend';
import { NOT_CONFIGURED, readMlflowConfig } from '../../src/plugins/mlflow/mlflowConfig';
import { errorFromResponse } from '../../src/plugins/mlflow/mlflowError';
import { mlflowKey } from '../../src/plugins/mlflow/mlflowKeys';
import { mlflowRunTags, mlflowStatus } from '../../src/plugins/mlflow/mlflowRunTags';
import { LightningCsvSource } from '../../src/plugins/csv/lightningCsvSource';
import { TensorBoardBackend } from '../../src/plugins/tensorboard/tensorboardBackend';
import { TfEventsSource } from '../../src/plugins/tensorboard/tfeventsSource';
import { testContext, testRun } from '../support/runContext';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-mlflow-rest-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('mlflow request building', () => {
  it('mends names the server would reject, so a batch never fails on them forever', () => {
    assert.equal(mlflowKey('train/loss'), 'train/loss');
    assert.equal(mlflowKey('val loss (avg)%'), 'val loss _avg__');
    assert.equal(mlflowKey('a//b/./c/'), 'a/b/c');
    assert.equal(mlflowKey('/abs/../x'), 'abs/__/x');
    assert.equal(mlflowKey('..hidden'), '_..hidden');
    assert.equal(mlflowKey('époque:1'), 'époque:1');
    assert.equal(mlflowKey(''), '_');
    assert.equal(mlflowKey('x'.repeat(300)).length, 250);
  });

  it('writes metrics as log-batch JSON: NaN and infinities as strings, step 0 by default, whole milliseconds', () => {
    const k = JSON.stringify('m');
    assert.equal(metricJson(k, { name: 'm', value: 0.5, step: 3, time: 1700000000123.9 }), '{"key":"m","value":0.5,"timestamp":1700000000123,"step":3}');
    assert.equal(metricJson(k, { name: 'm', value: Number.NaN, time: 5 }), '{"key":"m","value":"NaN","timestamp":5,"step":0}');
    assert.equal(metricJson(k, { name: 'm', value: -Infinity, step: 2.7, time: 5 }), '{"key":"m","value":"-Infinity","timestamp":5,"step":2}');
    assert.equal(JSON.parse(metricJson(k, { name: 'm', value: 1e-300, step: 1, time: 1 })).value, 1e-300);
  });

  it('splits batches within the entry count and the byte limit, in order', () => {
    const entries = Array.from({ length: 2500 }, (_, i) => `{"i":${i}}`);
    const byCount = logBatchBodies('r', 'metrics', entries, { maxEntries: 1000, maxBytes: 1_000_000 });
    assert.deepEqual(
      byCount.map((b) => JSON.parse(b).metrics.length),
      [1000, 1000, 500],
    );
    assert.deepEqual(
      byCount.flatMap((b) => JSON.parse(b).metrics.map((m: { i: number }) => m.i)),
      entries.map((_, i) => i),
    );
    const big = Array.from({ length: 10 }, (_, i) => JSON.stringify({ key: `p${i}`, value: 'é'.repeat(30_000) }));
    const byBytes = logBatchBodies('run', 'params', big, { maxEntries: 100, maxBytes: 200_000 });
    assert.ok(byBytes.length > 1);
    for (const body of byBytes) assert.ok(Buffer.byteLength(body) <= 200_000, `${Buffer.byteLength(body)} bytes`);
    assert.equal(
      byBytes.reduce((n, b) => n + JSON.parse(b).params.length, 0),
      10,
    );
    assert.deepEqual(logBatchBodies('r', 'metrics', [], { maxEntries: 10, maxBytes: 100 }), []);
    assert.equal(logBatchBodies('r', 'metrics', ['{}', '{}'], { maxEntries: 5000, maxBytes: 1e6 }).length, 1);
  });

  it("maps a run's facts to MLflow's reserved tags, and outcomes to its four statuses", () => {
    const run = testRun({
      id: 'r1',
      name: 'baseline',
      command: 'python t.py',
      user: 'ana',
      host: 'h',
      cwd: '/w',
      tags: { 'git.commit': 'abc', 'git.branch': 'dev', 'my tag!': 'v' },
    });
    const tags = Object.fromEntries(mlflowRunTags(run).map((t) => [t.key, t.value]));
    assert.deepEqual(tags, {
      'mlflow.runName': 'baseline',
      'mlflow.user': 'ana',
      'mlflow.source.name': 'python t.py',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.git.commit': 'abc',
      'mlflow.source.git.branch': 'dev',
      'tracelet.runId': 'r1',
      'tracelet.host': 'h',
      'tracelet.cwd': '/w',
      'my tag_': 'v',
    });
    assert.deepEqual((['running', 'finished', 'failed', 'crashed', 'killed', 'stopped'] as const).map(mlflowStatus), [
      'RUNNING',
      'FINISHED',
      'FAILED',
      'FAILED',
      'KILLED',
      'KILLED',
    ]);
  });

  it('reads server errors into messages naming the plugin and the call', () => {
    const e = errorFromResponse('runs/log-batch', 400, '{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad\\nSQL: ...\\nmore"}');
    assert.equal(e.message, 'mlflow runs/log-batch: 400 INVALID_PARAMETER_VALUE: bad SQL: ... ...');
    assert.equal(e.transient, false);
    assert.equal(errorFromResponse('runs/create', 502, '<html>Bad gateway</html>').message, 'mlflow runs/create: 502 HTTP_ERROR: <html>Bad gateway</html>');
    assert.equal(errorFromResponse('runs/create', 502, '').transient, true);
    assert.match(errorFromResponse('experiments/get-by-name', 401, '').message, /401 UNAUTHENTICATED \(check the token\)/);
  });

  it("finds the run's folder on the artifact proxy and keeps artifact paths inside it", () => {
    assert.equal(proxyArtifactRoot('mlflow-artifacts:/1/abc/artifacts'), '1/abc/artifacts');
    assert.equal(proxyArtifactRoot('mlflow-artifacts://host:5000/1/abc/artifacts/'), '1/abc/artifacts');
    assert.throws(() => proxyArtifactRoot('s3://bucket/1/abc'), /does not proxy; start the server with --serve-artifacts/);
    assert.equal(cleanArtifactPath('a\\b//c'), 'a/b/c');
    assert.throws(() => cleanArtifactPath('../x'), /may not contain/);
  });

  it('applies the defaults of its schema to a config that did not go through the manager', () => {
    assert.equal(readMlflowConfig({}), undefined);
    assert.deepEqual(readMlflowConfig({ trackingUri: ' http://h:5000 ', batchSize: 5000 }), {
      trackingUri: 'http://h:5000',
      experimentName: 'Default',
      token: undefined,
      verifyTls: true,
      batchSize: 1000,
      flushIntervalMs: 1000,
      timeoutMs: 30000,
      maxParamLength: 6000,
    });
  });
});

describe('mlflow transport against a stand-in server', () => {
  async function listen(server: http.Server | https.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  const experimentReply = JSON.stringify({ experiment: { experiment_id: '7', name: 'e', lifecycle_stage: 'active' } });

  it('sends the token as a bearer token', async () => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end(experimentReply);
    });
    const port = await listen(server);
    try {
      const result = await new MlflowBackend().testConnection({ trackingUri: `http://127.0.0.1:${port}/prefix/`, experimentName: 'e', token: 's3cret' });
      assert.deepEqual(result, { ok: true, message: `Connected to http://127.0.0.1:${port}; experiment "e" has id 7.` });
      assert.deepEqual(seen, ['Bearer s3cret']);
    } finally {
      server.close();
    }
  });

  it('checks the certificate unless verifyTls is false', async (t) => {
    const key = path.join(tmp, 'key.pem');
    const cert = path.join(tmp, 'cert.pem');
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {
        stdio: 'ignore',
      });
    } catch {
      t.skip('openssl is not available to make a self-signed certificate');
      return;
    }
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end(experimentReply));
    const port = await listen(server);
    try {
      const strict = await new MlflowBackend().testConnection({ trackingUri: `https://127.0.0.1:${port}`, experimentName: 'e' });
      assert.equal(strict.ok, false);
      assert.match(strict.message, /^mlflow experiments\/get-by-name: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);
      const lax = await new MlflowBackend().testConnection({ trackingUri: `https://127.0.0.1:${port}`, experimentName: 'e', verifyTls: false });
      assert.equal(lax.ok, true, lax.message);
    } finally {
      server.close();
    }
  });

  it('times out a server that does not answer', async () => {
    const server = http.createServer(() => undefined);
    const port = await listen(server);
    try {
      const result = await new MlflowBackend().testConnection({ trackingUri: `http://127.0.0.1:${port}`, timeoutMs: 200 });
      assert.deepEqual(result, {
        ok: false,
        message: `mlflow experiments/get-by-name: ETIMEDOUT: cannot reach http://127.0.0.1:${port}: no answer within 200 ms`,
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the new built-ins in the plugin manager', () => {
  it('start with no configuration: mlflow idle until it has a trackingUri, the others ready', async () => {
    const manager = new PluginManager({
      builtins: [MlflowBackend, TensorBoardBackend, TfEventsSource, LightningCsvSource],
      pluginPaths: [],
      env: {},
      homeDir: '/nonexistent-home',
      storageRoot: tmp,
    });
    await manager.discoverPlugins();
    const outcomes = await manager.startPlugins({ mlflow: {}, tensorboard: {}, tfevents: {}, 'lightning-csv': {} });
    assert.deepEqual(Object.fromEntries(Object.entries(outcomes).map(([n, o]) => [n, o.state])), {
      mlflow: 'active',
      tensorboard: 'active',
      tfevents: 'active',
      'lightning-csv': 'active',
    });
    const status = await manager.getStatus();
    assert.equal(status.plugins.mlflow!.status!.configured, false);
    await assert.rejects(manager.createRunInstance('mlflow', testRun()), (err: Error) => err.message.includes(NOT_CONFIGURED));
    const bad = await manager.initializePlugin('mlflow', { trackingUri: 'ftp://x' });
    assert.equal(bad, 'error');
    assert.match(manager.getPluginInfo('mlflow')!.error!, /trackingUri must match the pattern/);
    await manager.stopAll();
  });

  it('mlflow run instance with a context but a closed port: start defers, the call names itself', async () => {
    const backend = new MlflowBackend();
    const { context, lines } = testContext('mlflow', tmp, testRun());
    backend.initialize({ trackingUri: 'http://127.0.0.1:9', timeoutMs: 1000 }, context);
    await backend.start();
    assert.ok(
      lines.some((l) => /^warn mlflow experiments\/get-by-name: ECONNREFUSED/.test(l)),
      lines.join('\n'),
    );
    await assert.rejects(backend.logParams({ a: 1 }), /^MlflowError: mlflow experiments\/get-by-name: ECONNREFUSED/);
    backend.stop();
  });
});
