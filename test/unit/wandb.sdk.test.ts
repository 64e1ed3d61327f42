import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MetricPoint, RunInfo } from '../../src/core/types';
import { WandbBackend } from '../../src/plugins/wandb/wandbBackend';
import { testContext, testRun } from '../support/runContext';
import { FIXTURES, readWith, sdkTest, useInterpreter, assertEveryStep, crashWindowAndRecover, ingestKillingBridge, sdkSuite } from './bridgeSupport';

interface WandbFile {
  history: Record<string, number | string>[];
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  exitCode: number | null;
  run: { id: string; name: string; group: string; project: string; tags: string[]; notes: string } | null;
}

describe('wandb backend through the wandb SDK (offline mode)', sdkTest('wandb'), () => {
  const suite = sdkSuite('tracelet-wandb-');

  function backendFor(run: RunInfo, dir: string, config: Record<string, unknown> = {}): { backend: WandbBackend; lines: string[] } {
    const backend = new WandbBackend();
    const { context, lines } = testContext('wandb', suite.home.dir, run);
    backend.initialize({ mode: 'offline', project: 'tracelet-tests', dir, ...config }, context);
    return { backend, lines };
  }

  /** Every offline run of this Tracelet run, oldest first, read with the file-format reader. */
  function runsIn(dir: string): WandbFile[] {
    const root = path.join(dir, 'wandb');
    return fs
      .readdirSync(root)
      .filter((f) => f.startsWith('offline-run-'))
      .sort()
      .map((f) => {
        const file = fs.readdirSync(path.join(root, f)).find((x) => x.endsWith('.wandb'))!;
        return readWith<WandbFile>(suite.python, 'read_wandb.py', path.join(root, f, file));
      });
  }

  /** step → value of one metric over all the runs given. */
  function series(runs: WandbFile[], name: string): Map<number, number | string> {
    const out = new Map<number, number | string>();
    for (const r of runs) for (const row of r.history) if (row[name] !== undefined) out.set(Number(row._step), row[name]!);
    return out;
  }

  it('records a run: every point at its step, params as config, git tags, the outcome', async () => {
    const dir = path.join(suite.home.dir, 'ws1', '.tracelet', 'wandb');
    const info = testRun({ name: 'resnet', tags: { 'git.branch': 'main', 'git.commit': 'a1b2c3d4e5f6' } });
    const { backend, lines } = backendFor(info, dir);
    await backend.start();
    const points: MetricPoint[] = [];
    for (let step = 0; step < 1200; step++) {
      points.push({ name: 'train/loss', value: 1 / (step + 1), step, time: 1000 + step });
      if (step % 10 === 0) points.push({ name: 'val/acc', value: step / 1200, step, time: 1000 + step });
    }
    points.push({ name: '_private', value: 3, step: 1200, time: 5000 });
    points.push({ name: 'weird', value: Number.NaN, step: 1201, time: 5001 });
    points.push({ name: 'weird', value: Number.POSITIVE_INFINITY, step: 1202, time: 5002 });
    await backend.logBatch(points.slice(0, 700));
    await backend.logBatch(points.slice(700));
    await backend.logParams({ lr: 0.01, layers: [64, 32], optimizer: 'adam' });
    await backend.finishRun('failed', Date.now());
    const status = backend.getStatus();
    await backend.stop();

    assert.match(String(status.python), /\.venv\/bin\/python \(tracelet\.python\.interpreter\)$/);
    assert.match(String(status.sdk), /^wandb \d+\.\d+/);
    const [run, ...others] = runsIn(dir);
    assert.equal(others.length, 0);
    assert.equal(run!.exitCode, 1);
    assert.equal(run!.run?.name, 'resnet');
    assert.equal(run!.run?.project, 'tracelet-tests');
    assert.equal(run!.run?.notes, info.command);
    assert.deepEqual(run!.run?.tags, ['main', 'a1b2c3d4']);
    assert.deepEqual(run!.config.lr, 0.01);
    assert.deepEqual(run!.config.layers, [64, 32]);
    assert.equal((run!.config.tracelet as { run_id: string }).run_id, info.id);
    assert.equal(run!.summary['tracelet/status'], 'failed');
    const loss = series([run!], 'train/loss');
    assert.equal(loss.size, 1200);
    for (let step = 0; step < 1200; step++) assert.equal(loss.get(step), 1 / (step + 1));
    assert.equal(series([run!], 'val/acc').size, 120);
    assert.deepEqual([...series([run!], 'u_private')], [[1200, 3]]);
    assert.deepEqual(
      [...series([run!], 'weird')],
      [
        [1201, 'NaN'],
        [1202, 'Infinity'],
      ],
    );
    assert.ok(
      lines.some((l) => l.startsWith('warn') && l.includes('"_private"') && l.includes('"u_private"')),
      lines.join('\n'),
    );
  });

  it('loses nothing when the bridge is killed mid-run: the rest goes to a second offline run in the same group', async () => {
    const dir = path.join(suite.home.dir, 'ws2', '.tracelet', 'wandb');
    const info = testRun({ name: 'killed bridge' });
    const { backend, lines } = backendFor(info, dir);
    await backend.start();
    await ingestKillingBridge('wandb', backend, path.join(suite.home.dir, 'runs', info.id), info, 'loss');
    await backend.stop();
    const runs = runsIn(dir);
    assert.equal(runs.length, 2, 'a second offline run continues the first');
    assert.equal(runs[0]!.run?.group, runs[1]!.run?.group);
    assert.equal(runs[0]!.run?.name, runs[1]!.run?.name);
    assert.equal((runs[1]!.config.tracelet as { continues?: string }).continues, runs[0]!.run?.id);
    assert.equal(runs[1]!.exitCode, 0);
    assertEveryStep(series(runs, 'loss'), 4000);
    assert.ok(
      lines.some((l) => l.includes('after the last bridge ended')),
      lines.join('\n'),
    );
  });

  it('loses nothing when the extension side dies mid-run: the next window recovers the run into a second offline run', async () => {
    const dir = path.join(suite.home.dir, 'ws3', '.tracelet', 'wandb');
    const info = testRun({ name: 'window crash' });
    await crashWindowAndRecover('wandb', path.join(suite.home.dir, 'runs3'), info, backendFor(info, dir).backend, () => backendFor(info, dir).backend);
    const runs = runsIn(dir);
    assert.equal(runs.length, 2);
    assert.equal(series(runs, 'loss').size, 1000);
    assert.equal(runs[1]!.summary['tracelet/status'], 'crashed');
  });

  it('names the cause when the SDK is too old, missing, raising or hung, and when there is no Python', async () => {
    const dir = path.join(suite.home.dir, 'ws4');
    const saved = process.env.PYTHONPATH;
    try {
      process.env.PYTHONPATH = path.join(FIXTURES, 'old');
      const old = backendFor(testRun(), dir).backend;
      const plugin = new WandbBackend();
      plugin.initialize({ mode: 'offline', dir }, testContext('wandb', suite.home.dir).context);
      await assert.rejects(plugin.start(), (err: Error) => {
        assert.equal(err.message, `wandb 0.16.2 found in ${suite.python}, >=0.17 needed: ${suite.python} -m pip install 'wandb>=0.17'`);
        // What the Plugins view's "Run Fix in Terminal" runs.
        assert.equal((err as Error & { fix?: string }).fix, `${suite.python} -m pip install 'wandb>=0.17'`);
        return true;
      });
      void old;

      process.env.PYTHONPATH = path.join(FIXTURES, 'raising');
      const raising = backendFor(testRun(), dir).backend;
      await raising.start();
      await assert.rejects(raising.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]), /^BridgeCallError: wandb\.init: UsageError: api_key not configured/);
      assert.match(String(raising.getStatus().lastError), /^wandb\.init: UsageError/);
      await raising.stop();

      process.env.PYTHONPATH = path.join(FIXTURES, 'hanging');
      const hanging = backendFor(testRun(), dir, { callTimeoutMs: 1500 }).backend;
      await hanging.start();
      await assert.rejects(
        hanging.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]),
        /wandb bridge: no answer to "points" within 1500 ms; the bridge was stopped/,
      );
      await hanging.stop();
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }

    const wrapper = path.join(suite.home.dir, 'python-without-site');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${suite.python} -S "$@"\n`, { mode: 0o755 });
    useInterpreter(wrapper);
    const missing = new WandbBackend();
    missing.initialize({ mode: 'offline', dir }, testContext('wandb', suite.home.dir).context);
    await assert.rejects(
      missing.start(),
      new RegExp(`^PythonDependencyError: wandb is not installed in ${wrapper}; >=0.17 needed: ${wrapper} -m pip install 'wandb>=0.17'$`),
    );

    useInterpreter(path.join(suite.home.dir, 'no-such-python'));
    const none = new WandbBackend();
    none.initialize({ mode: 'offline', dir }, testContext('wandb', suite.home.dir).context);
    await assert.rejects(none.start(), /tracelet\.python\.interpreter is ".*no-such-python", which is not a file/);
    useInterpreter(suite.python);
  });
});
