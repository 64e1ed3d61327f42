import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MetricPoint, RunInfo } from '../../src/core/types';
import { AimBackend } from '../../src/plugins/aim/aimBackend';
import { testContext, testRun } from '../support/runContext';
import { readWith, sdkTest, useInterpreter, assertEveryStep, crashWindowAndRecover, ingestKillingBridge, sdkSuite } from './bridgeSupport';

interface AimRun {
  hash: string;
  name: string;
  experiment: string | null;
  description: string | null;
  tags: string[];
  hparams: Record<string, unknown> | null;
  tracelet: { run_id: string; status?: string; command?: string } | null;
  active: boolean;
  metrics: { name: string; context: Record<string, string>; steps: number[]; values: (number | string)[] }[];
  artifacts: Record<string, string>;
}

describe('aim backend through the aim SDK (a local repository)', sdkTest('aim'), () => {
  const suite = sdkSuite('tracelet-aim-');

  /** A backend for a run in the workspace folder `ws` (its Aim repository is `<ws>/.aim` unless config says). */
  function backendFor(run: RunInfo, ws: string, config: Record<string, unknown> = {}): { backend: AimBackend; lines: string[] } {
    fs.mkdirSync(ws, { recursive: true });
    const backend = new AimBackend();
    const { context, lines } = testContext('aim', suite.home.dir, { ...run, cwd: ws });
    backend.initialize({ experiment: 'tracelet-tests', ...config }, { ...context, workspaceFolders: [ws] });
    return { backend, lines };
  }

  const runsIn = (repo: string): AimRun[] => readWith<AimRun[]>(suite.python, 'read_aim.py', repo);

  function metric(run: AimRun, name: string, context: Record<string, string> = {}): Map<number, number | string> {
    const m = run.metrics.find((x) => x.name === name && JSON.stringify(x.context) === JSON.stringify(context));
    assert.ok(m, `no metric ${name} ${JSON.stringify(context)} in ${run.metrics.map((x) => `${x.name} ${JSON.stringify(x.context)}`).join(', ')}`);
    return new Map(m.steps.map((s, i) => [s, m.values[i]!]));
  }

  it('records a run: every point at its step in its context, params as hparams, tags, an artifact, the outcome', async () => {
    const ws = path.join(suite.home.dir, 'ws1');
    const info = testRun({ name: 'resnet', tags: { 'git.branch': 'main', 'git.commit': 'a1b2c3d4e5f6' } });
    const { backend, lines } = backendFor(info, ws);
    await backend.start();
    const points: MetricPoint[] = [];
    for (let step = 0; step < 1200; step++) {
      points.push({ name: 'train/loss', value: 1 / (step + 1), step, time: 1000 + step });
      if (step % 10 === 0) points.push({ name: 'val/loss', value: step / 1200, step, time: 1000 + step });
    }
    points.push({ name: 'lr', value: 0.1, step: 0, time: 2000 });
    points.push({ name: '__private', value: 3, step: 5, time: 5000 });
    points.push({ name: 'weird', value: Number.NaN, step: 1201, time: 5001 });
    points.push({ name: 'weird', value: Number.POSITIVE_INFINITY, step: 1202, time: 5002 });
    await backend.logBatch(points.slice(0, 700));
    await backend.logBatch(points.slice(700));
    await backend.logParams({ lr: 0.01, layers: [64, 32], optimizer: 'adam' });
    await backend.logParams({ epochs: 3 });
    const file = path.join(suite.home.dir, 'model.txt');
    fs.writeFileSync(file, 'weights');
    await backend.logArtifact(file, 'model.txt');
    await backend.finishRun('failed', Date.now());
    const status = backend.getStatus();
    await backend.stop();

    assert.match(String(status.sdk), /^aim \d+\.\d+/);
    const [run, ...others] = runsIn(ws);
    assert.equal(others.length, 0);
    assert.equal(run!.name, 'resnet');
    assert.equal(run!.experiment, 'tracelet-tests');
    assert.equal(run!.description, info.command);
    assert.deepEqual(run!.tags.sort(), ['a1b2c3d4', 'main']);
    assert.deepEqual(run!.hparams, { lr: 0.01, layers: [64, 32], optimizer: 'adam', epochs: 3 });
    assert.equal(run!.tracelet?.run_id, info.id);
    assert.equal(run!.tracelet?.status, 'failed');
    assert.equal(run!.active, false);
    const loss = metric(run!, 'loss', { subset: 'train' });
    assert.equal(loss.size, 1200);
    for (let step = 0; step < 1200; step++) assert.equal(loss.get(step), 1 / (step + 1));
    const val = metric(run!, 'loss', { subset: 'val' });
    assert.equal(val.size, 120);
    for (const [step, v] of val) assert.equal(v, step / 1200);
    assert.deepEqual([...metric(run!, 'lr')], [[0, 0.1]]);
    assert.deepEqual([...metric(run!, 'u__private')], [[5, 3]]);
    assert.deepEqual(
      [...metric(run!, 'weird')],
      [
        [1201, 'NaN'],
        [1202, 'Infinity'],
      ],
    );
    assert.equal(run!.artifacts['model.txt'], `file://${path.join(ws, '.tracelet', 'aim-artifacts', run!.hash, 'model.txt')}`);
    assert.equal(fs.readFileSync(path.join(ws, '.tracelet', 'aim-artifacts', run!.hash, 'model.txt'), 'utf8'), 'weights');
    assert.ok(
      lines.some((l) => l.startsWith('warn') && l.includes('"__private"') && l.includes('"u__private"')),
      lines.join('\n'),
    );
  });

  it('keeps every name as it is with context "none"', async () => {
    const ws = path.join(suite.home.dir, 'ws1b');
    const { backend } = backendFor(testRun(), ws, { context: 'none', repo: '.aim' });
    await backend.start();
    await backend.logBatch([
      { name: 'train/loss', value: 2, step: 0, time: 1 },
      { name: 'train/loss', value: 1, step: 1, time: 2 },
    ]);
    await backend.finishRun('finished', Date.now());
    await backend.stop();
    const [run] = runsIn(ws);
    assert.deepEqual(
      [...metric(run!, 'train/loss')],
      [
        [0, 2],
        [1, 1],
      ],
    );
    assert.equal(run!.tracelet?.status, 'finished');
  });

  it('loses nothing when the bridge is killed mid-run: the new bridge reopens the same Aim run by its hash', async () => {
    const ws = path.join(suite.home.dir, 'ws2');
    const info = testRun({ name: 'killed bridge' });
    const { backend, lines } = backendFor(info, ws);
    await backend.start();
    let firstHash: unknown;
    await ingestKillingBridge('aim', backend, path.join(suite.home.dir, 'runs', info.id), info, 'loss', () => {
      firstHash = backend.getStatus().trackerRun;
    });
    assert.equal(backend.getStatus().trackerRun, firstHash, 'the same Aim run goes on');
    await backend.stop();
    const runs = runsIn(ws);
    assert.equal(runs.length, 1, 'one Aim run');
    assertEveryStep(metric(runs[0]!, 'loss'), 4000);
    assert.deepEqual(runs[0]!.hparams, { lr: 0.5 });
    assert.equal(runs[0]!.tracelet?.status, 'finished');
    assert.ok(
      lines.some((l) => l.includes('after the last bridge ended')),
      lines.join('\n'),
    );
  });

  it('loses nothing when the extension side dies mid-run: the next window reopens the run and sends the rest', async () => {
    const ws = path.join(suite.home.dir, 'ws3');
    const info = testRun({ name: 'window crash' });
    await crashWindowAndRecover(
      'aim',
      path.join(suite.home.dir, 'runs3'),
      info,
      backendFor(info, ws).backend,
      () => backendFor(info, ws).backend,
      () => assert.equal(runsIn(ws)[0]?.tracelet?.status, 'interrupted'),
    );
    const runs = runsIn(ws);
    assert.equal(runs.length, 1);
    assert.equal(metric(runs[0]!, 'loss').size, 1000);
    assert.equal(runs[0]!.tracelet?.status, 'crashed');
  });

  it('names the cause when the repository cannot be written, leaves the workspace, or Aim is missing', async () => {
    const ws = path.join(suite.home.dir, 'ws4');
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, '.aim'), 'not a folder'); // as unwritable as a repository gets for root
    const broken = backendFor(testRun(), ws).backend;
    await broken.start();
    await assert.rejects(broken.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]), /^BridgeCallError: aim\.(Repo|Run): \w+Error: /);
    assert.match(String(broken.getStatus().lastError), /^aim\.(Repo|Run): /);
    await broken.stop();

    assert.throws(
      () => backendFor(testRun(), path.join(suite.home.dir, 'ws5'), { repo: '../elsewhere' }),
      /^PathEscapeError: aim repo "\.\.\/elsewhere" leaves the workspace folder/,
    );

    const wrapper = path.join(suite.home.dir, 'python-without-site');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${suite.python} -S "$@"\n`, { mode: 0o755 });
    useInterpreter(wrapper);
    try {
      const missing = new AimBackend();
      missing.initialize({}, { ...testContext('aim', suite.home.dir).context, workspaceFolders: [ws] });
      await assert.rejects(
        missing.start(),
        new RegExp(`^PythonDependencyError: aim is not installed in ${wrapper}; >=3\\.19 needed: ${wrapper} -m pip install 'aim>=3\\.19'$`),
      );
    } finally {
      useInterpreter(suite.python);
    }
  });
});
