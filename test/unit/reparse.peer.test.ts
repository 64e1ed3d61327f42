import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { guard } from '../../src/core/guard';
import { reparseRun } from '../../src/core/output/reparse';
import { sinkForBackend, type GuardedCall } from '../../src/core/pipeline/backendSink';
import { sendMetricsVersion, versionRunInfo } from '../../src/core/pipeline/sendVersion';
import { RunSession } from '../../src/core/run/runSession';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import { MlflowBackend } from '../../src/plugins/mlflow/mlflowBackend';
import { MlflowServer } from '../support/mlflowServer';
import { peerTest, requirePeers } from '../support/peers';
import { testContext } from '../support/runContext';
import { quietLogger } from './pipelineHelpers';
import { CUSTOM, reconfigureStdout, trackedRun } from './reparseHelpers';

interface RunReply {
  run: { info: { run_id: string; status: string; run_name: string }; data: { tags?: { key: string; value: string }[] } };
}

describe('a re-parsed version sent to a real MLflow server', peerTest(), () => {
  let server: MlflowServer;
  let tmp: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-reparse-mlflow-'));
    server = await MlflowServer.start(requirePeers(), tmp);
  });

  after(async () => {
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('becomes a new MLflow run with every series of the version, its params and outcome', async () => {
    const { manager, runDir } = await trackedRun(tmp);
    await reconfigureStdout(manager, CUSTOM);
    const record = readRunRecord(runDir)!;
    await reparseRun({ runDir, record, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout' });
    const backend = new MlflowBackend();
    const { context } = testContext('mlflow', tmp, versionRunInfo(record, 2));
    backend.initialize({ trackingUri: server.url, experimentName: 'tracelet-reparse' }, context);
    await backend.start();
    const call: GuardedCall = (phase, fn) => guard('mlflow', phase, 30_000, fn);
    const behind = await sendMetricsVersion({
      runDir,
      record,
      version: 2,
      sinks: [sinkForBackend('mlflow', backend, call)],
      fromStart: true,
      logger: quietLogger,
    });
    assert.deepEqual(behind, []);
    const runId = String(backend.getStatus().runId);

    const { run } = await server.api<RunReply>('runs/get', { run_id: runId });
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(run.info.run_name, `${record.name} (metrics v2)`);
    const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
    assert.equal(tags['tracelet.metricsVersion'], '2');
    assert.equal(tags['tracelet.runId'], record.id);
    const stored = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    for (const name of new Set(stored.map((p) => p.name))) {
      const history =
        (await server.api<{ metrics?: { value: number; step: number }[] }>('metrics/get-history', { run_id: runId, metric_key: name })).metrics ?? [];
      const mine = stored.filter((p) => p.name === name);
      assert.deepEqual(
        history.map((h) => [h.step, h.value]).sort((a, b) => a[0]! - b[0]!),
        mine.map((p) => [p.step, p.value]).sort((a, b) => a[0]! - b[0]!),
        name,
      );
    }
    assert.ok(stored.some((p) => p.name === 'grad_norm'));
    assert.deepEqual(readRunRecord(runDir)!.pendingBackends, []);
    await manager.stopAll();
  });
});
