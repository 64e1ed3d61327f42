import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MetricPoint, RunInfo } from '../../src/core/types';
import { ClearmlBackend } from '../../src/plugins/clearml/clearmlBackend';
import { readClearmlSettings } from '../../src/plugins/clearml/clearmlConfig';
import { testContext, testRun } from '../support/runContext';
import { readWith, sdkTest, useInterpreter, assertEveryStep, crashWindowAndRecover, ingestKillingBridge, sdkSuite } from './bridgeSupport';

interface Session {
  id: string;
  name: string;
  project: string;
  tags: string[] | null;
  comment: string | null;
  params: Record<string, Record<string, string>>;
  scalars: [string, string, number, number | string][];
  artifacts: { key: string; uri: string }[];
}

describe('clearml backend through the clearml SDK (offline mode)', sdkTest('clearml'), () => {
  const suite = sdkSuite('tracelet-clearml-');

  /** Each test has its own ClearML cache folder, so its offline sessions are its own. */
  function backendFor(run: RunInfo, cache: string, config: Record<string, unknown> = {}): { backend: ClearmlBackend; lines: string[] } {
    process.env.CLEARML_CACHE_DIR = cache;
    const backend = new ClearmlBackend();
    const { context, lines } = testContext('clearml', suite.home.dir, run);
    backend.initialize({ offline: true, project: 'tracelet-tests', ...config }, context);
    return { backend, lines };
  }

  const sessionsIn = (cache: string): Session[] => readWith<Session[]>(suite.python, 'read_clearml.py', path.join(cache, 'offline'));

  /** (title, series) → iteration → value over the sessions given. */
  function series(sessions: Session[], title: string, name: string): Map<number, number | string> {
    const out = new Map<number, number | string>();
    for (const s of sessions) for (const [m, v, iter, value] of s.scalars) if (m === title && v === name) out.set(iter, value);
    return out;
  }

  it('records a task: every point at its iteration under its title and series, params, the outcome, an artifact', async () => {
    const cache = path.join(suite.home.dir, 'cache1');
    const info = testRun({ name: 'resnet', tags: { 'git.branch': 'main', 'git.commit': 'a1b2c3d4e5f6' } });
    const { backend, lines } = backendFor(info, cache);
    await backend.start();
    const points: MetricPoint[] = [];
    for (let step = 0; step < 1200; step++) {
      points.push({ name: 'train/loss', value: 1 / (step + 1), step, time: 1000 + step });
      if (step % 10 === 0) points.push({ name: 'val/acc', value: step / 1200, step, time: 1000 + step });
    }
    points.push({ name: 'lr', value: 0.1, step: 0, time: 2000 });
    points.push({ name: 'eval/top1/avg', value: 0.5, step: 3, time: 2001 });
    points.push({ name: '  ', value: 3, step: 5, time: 5000 });
    points.push({ name: 'weird', value: Number.NaN, step: 1201, time: 5001 });
    points.push({ name: 'weird', value: Number.POSITIVE_INFINITY, step: 1202, time: 5002 });
    await backend.logBatch(points.slice(0, 700));
    await backend.logBatch(points.slice(700));
    await backend.logParams({ lr: 0.01, optimizer: 'adam' });
    await backend.logParams({ epochs: 3 });
    const file = path.join(suite.home.dir, 'model.txt');
    fs.writeFileSync(file, 'weights');
    await backend.logArtifact(file, 'model');
    await backend.finishRun('failed', Date.now());
    const status = backend.getStatus();
    await backend.stop();

    assert.match(String(status.sdk), /^clearml \d+\.\d+/);
    const [session, ...others] = sessionsIn(cache);
    assert.equal(others.length, 0);
    assert.equal(session!.name, 'resnet');
    assert.equal(session!.project, 'tracelet-tests');
    assert.deepEqual(session!.params.General, { lr: '0.01', optimizer: 'adam', epochs: '3' });
    assert.equal(session!.params.Tracelet?.run_id, info.id);
    assert.equal(session!.params.Tracelet?.status, 'failed');
    const loss = series([session!], 'train', 'loss');
    assert.equal(loss.size, 1200);
    for (let step = 0; step < 1200; step++) assert.equal(loss.get(step), 1 / (step + 1));
    const acc = series([session!], 'val', 'acc');
    assert.equal(acc.size, 120);
    for (const [step, v] of acc) assert.equal(v, step / 1200);
    assert.deepEqual([...series([session!], 'lr', 'lr')], [[0, 0.1]]);
    assert.deepEqual([...series([session!], 'eval', 'top1/avg')], [[3, 0.5]]);
    assert.deepEqual([...series([session!], 'u_', 'u_')], [[5, 3]]);
    assert.deepEqual(
      [...series([session!], 'weird', 'weird')],
      [
        [1201, 0],
        [1202, 0],
      ],
      'ClearML reports NaN and Infinity as 0 (its default)',
    );
    assert.equal(session!.scalars.length, 1200 + 120 + 5);
    assert.deepEqual(
      session!.artifacts.map((a) => a.key),
      ['model'],
    );
    assert.ok(
      lines.some((l) => l.startsWith('warn') && l.includes('"  "') && l.includes('"u_"')),
      lines.join('\n'),
    );
  });

  it('loses nothing when the bridge is killed mid-run: the rest goes to a second offline session that names the first', async () => {
    const cache = path.join(suite.home.dir, 'cache2');
    const info = testRun({ name: 'killed bridge' });
    const { backend, lines } = backendFor(info, cache);
    await backend.start();
    await ingestKillingBridge('clearml', backend, path.join(suite.home.dir, 'runs', info.id), info, 'train/loss');
    await backend.stop();
    const sessions = sessionsIn(cache);
    assert.equal(sessions.length, 2, 'a second offline session continues the first');
    const second = sessions.find((s) => s.params.Tracelet?.continues)!;
    const first = sessions.find((s) => s !== second)!;
    assert.equal(second.params.Tracelet?.continues, first.id);
    assert.equal(second.name, first.name);
    assert.equal(second.params.Tracelet?.status, 'finished');
    assert.equal(second.params.General?.lr, '0.5');
    assertEveryStep(series(sessions, 'train', 'loss'), 4000);
    assert.ok(
      lines.some((l) => l.includes('after the last bridge ended')),
      lines.join('\n'),
    );
  });

  it('loses nothing when the extension side dies mid-run: the next window writes the rest to a second session', async () => {
    const cache = path.join(suite.home.dir, 'cache3');
    const info = testRun({ name: 'window crash' });
    await crashWindowAndRecover(
      'clearml',
      path.join(suite.home.dir, 'runs3'),
      info,
      backendFor(info, cache).backend,
      () => backendFor(info, cache).backend,
      () => assert.equal(sessionsIn(cache)[0]?.params.Tracelet?.status, 'interrupted'),
    );
    const sessions = sessionsIn(cache);
    assert.equal(sessions.length, 2);
    assert.equal(series(sessions, 'loss', 'loss').size, 1000);
    assert.equal(sessions.find((s) => s.params.Tracelet?.continues)?.params.Tracelet?.status, 'crashed');
  });

  it('puts the keys only in the bridge environment, for the API host; names the cause when an SDK call raises, an artifact is missing or ClearML is missing', async () => {
    const settings = readClearmlSettings(
      { apiHost: 'http://clearml.example:8008', accessKey: 'AK', secretKey: 'SK', project: 'p' },
      testContext('clearml', suite.home.dir).context,
    );
    assert.deepEqual(settings.env, { CLEARML_API_HOST: 'http://clearml.example:8008', CLEARML_API_ACCESS_KEY: 'AK', CLEARML_API_SECRET_KEY: 'SK' });
    assert.ok(!JSON.stringify(settings.startConfig).includes('AK') && !JSON.stringify(settings.startConfig).includes('SK'));

    const cache = path.join(suite.home.dir, 'cache4');
    fs.mkdirSync(cache, { recursive: true });
    const { backend } = backendFor(testRun(), cache);
    await backend.start();
    await backend.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]);
    await assert.rejects(
      backend.logArtifact(path.join(suite.home.dir, 'no-such-file.bin'), 'missing'),
      /^BridgeCallError: clearml task\.upload_artifact: \w+Error: /,
    );
    assert.match(String(backend.getStatus().lastError), /^clearml task\.upload_artifact: /);
    await backend.logBatch([{ name: 'x', value: 2, step: 1, time: 2 }]);
    await backend.finishRun('finished', Date.now());
    await backend.stop();
    assert.equal(series(sessionsIn(cache), 'x', 'x').size, 2, 'the run went on after the failed call');

    const unwritable = path.join(suite.home.dir, 'a-file');
    fs.writeFileSync(unwritable, '');
    const broken = backendFor(testRun(), path.join(unwritable, 'cache')).backend;
    await broken.start();
    await assert.rejects(broken.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]), /^BridgeCallError: clearml Task\.init: NotADirectoryError: /);
    await broken.stop();

    const wrapper = path.join(suite.home.dir, 'python-without-site');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${suite.python} -S "$@"\n`, { mode: 0o755 });
    useInterpreter(wrapper);
    try {
      const missing = new ClearmlBackend();
      missing.initialize({ offline: true }, testContext('clearml', suite.home.dir).context);
      await assert.rejects(
        missing.start(),
        new RegExp(`^PythonDependencyError: clearml is not installed in ${wrapper}; >=1\\.14 needed: ${wrapper} -m pip install 'clearml>=1\\.14'$`),
      );
    } finally {
      useInterpreter(suite.python);
    }
  });
});
