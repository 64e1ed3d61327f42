import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger';
import { sinkForBackend } from '../../src/core/pipeline/backendSink';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import type { MetricPoint, RunInfo } from '../../src/core/types';
import { ClearmlBackend } from '../../src/plugins/clearml/clearmlBackend';
import { readClearmlSettings } from '../../src/plugins/clearml/clearmlConfig';
import { requirePeers } from '../support/peers';
import { testContext, testRun } from '../support/runContext';
import { waitUntil } from '../support/waitUntil';
import { pipelineFor, readWith, recordFor, sandboxHome, sdkTest, useInterpreter } from './bridgeSupport';

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
  let python: string;
  let home: ReturnType<typeof sandboxHome>;

  before(() => {
    python = requirePeers().python;
    home = sandboxHome('tracelet-clearml-');
    useInterpreter(python);
  });
  after(() => {
    home?.undo();
    useInterpreter(undefined);
    if (home) fs.rmSync(home.dir, { recursive: true, force: true });
  });

  /** Each test has its own ClearML cache folder, so its offline sessions are its own. */
  function backendFor(run: RunInfo, cache: string, config: Record<string, unknown> = {}): { backend: ClearmlBackend; lines: string[] } {
    process.env.CLEARML_CACHE_DIR = cache;
    const backend = new ClearmlBackend();
    const { context, lines } = testContext('clearml', home.dir, run);
    backend.initialize({ offline: true, project: 'tracelet-tests', ...config }, context);
    return { backend, lines };
  }

  const sessionsIn = (cache: string): Session[] => readWith<Session[]>(python, 'read_clearml.py', path.join(cache, 'offline'));

  /** (title, series) → iteration → value over the sessions given. */
  function series(sessions: Session[], title: string, name: string): Map<number, number | string> {
    const out = new Map<number, number | string>();
    for (const s of sessions) for (const [m, v, iter, value] of s.scalars) if (m === title && v === name) out.set(iter, value);
    return out;
  }

  it('records a task: every point at its iteration under its title and series, params, the outcome, an artifact', async () => {
    const cache = path.join(home.dir, 'cache1');
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
    const file = path.join(home.dir, 'model.txt');
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
    const cache = path.join(home.dir, 'cache2');
    const info = testRun({ name: 'killed bridge' });
    const { backend, lines } = backendFor(info, cache);
    await backend.start();
    const errors: string[] = [];
    const pipe = pipelineFor(path.join(home.dir, 'runs', info.id), recordFor(info), 'clearml', backend, silentLogger, errors);
    pipe.logParams({ lr: 0.5 });
    let killed = false;
    for (let b = 0; b < 20; b++) {
      pipe.ingest(Array.from({ length: 200 }, (_, i) => ({ name: 'train/loss', value: b * 200 + i, step: b * 200 + i, time: 1000 + b })));
      await new Promise((r) => setTimeout(r, 25));
      if (b === 8) {
        await waitUntil(() => Number(backend.getStatus().points) > 0, 'the first points reached ClearML');
        process.kill(Number(backend.getStatus().bridgePid), 'SIGKILL');
        killed = true;
      }
    }
    assert.ok(killed);
    const behind = await pipe.finish('finished', { endTime: Date.now() }, 60_000);
    assert.deepEqual(behind, []);
    await backend.stop();
    const sessions = sessionsIn(cache);
    assert.equal(sessions.length, 2, 'a second offline session continues the first');
    const second = sessions.find((s) => s.params.Tracelet?.continues)!;
    const first = sessions.find((s) => s !== second)!;
    assert.equal(second.params.Tracelet?.continues, first.id);
    assert.equal(second.name, first.name);
    assert.equal(second.params.Tracelet?.status, 'finished');
    assert.equal(second.params.General?.lr, '0.5');
    const loss = series(sessions, 'train', 'loss');
    assert.equal(
      loss.size,
      4000,
      `missing iterations: ${Array.from({ length: 4000 }, (_, i) => i)
        .filter((i) => !loss.has(i))
        .slice(0, 20)
        .join(', ')}`,
    );
    for (const [iter, value] of loss) assert.equal(value, iter);
    assert.ok(
      errors.some((e) => /clearml bridge exited \(signal SIGKILL\)/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      lines.some((l) => l.includes('after the last bridge ended')),
      lines.join('\n'),
    );
  });

  it('loses nothing when the extension side dies mid-run: the next window writes the rest to a second session', async () => {
    const cache = path.join(home.dir, 'cache3');
    const runsRoot = path.join(home.dir, 'runs3');
    const info = testRun({ name: 'window crash' });
    const first = backendFor(info, cache);
    await first.backend.start();
    const record = recordFor(info);
    record.ownerPid = 999_999_999;
    const pipe = pipelineFor(path.join(runsRoot, info.id), record, 'clearml', first.backend, silentLogger);
    for (let b = 0; b < 10; b++) {
      pipe.ingest(Array.from({ length: 100 }, (_, i) => ({ name: 'loss', value: b * 100 + i, step: b * 100 + i, time: 1000 + b })));
      await new Promise((r) => setTimeout(r, 10));
    }
    pipe.flush();
    await waitUntil(() => Number(first.backend.getStatus().points) >= 300, 'some points reached ClearML');
    await pipe.suspend();
    await first.backend.stop();
    assert.equal(sessionsIn(cache)[0]?.params.Tracelet?.status, 'interrupted');
    const [candidate] = findRunsToRecover(runsRoot, (pid) => pid === process.pid);
    assert.ok(candidate);
    const second = backendFor(info, cache);
    const behind = await recoverRun(
      candidate,
      async (name) => {
        await second.backend.start();
        return sinkForBackend(name, second.backend, (_phase, fn) => Promise.resolve(fn()));
      },
      silentLogger,
      60_000,
    );
    assert.deepEqual(behind, []);
    const sessions = sessionsIn(cache);
    assert.equal(sessions.length, 2);
    assert.equal(series(sessions, 'loss', 'loss').size, 1000);
    assert.equal(sessions.find((s) => s.params.Tracelet?.continues)?.params.Tracelet?.status, 'crashed');
  });

  it('puts the keys only in the bridge environment, for the API host; names the cause when an SDK call raises, an artifact is missing or ClearML is missing', async () => {
    const settings = readClearmlSettings(
      { apiHost: 'http://clearml.example:8008', accessKey: 'AK', secretKey: 'SK', project: 'p' },
      testContext('clearml', home.dir).context,
    );
    assert.deepEqual(settings.env, { CLEARML_API_HOST: 'http://clearml.example:8008', CLEARML_API_ACCESS_KEY: 'AK', CLEARML_API_SECRET_KEY: 'SK' });
    assert.ok(!JSON.stringify(settings.startConfig).includes('AK') && !JSON.stringify(settings.startConfig).includes('SK'));

    const cache = path.join(home.dir, 'cache4');
    fs.mkdirSync(cache, { recursive: true });
    const { backend } = backendFor(testRun(), cache);
    await backend.start();
    await backend.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]);
    await assert.rejects(
      backend.logArtifact(path.join(home.dir, 'no-such-file.bin'), 'missing'),
      /^BridgeCallError: clearml task\.upload_artifact: \w+Error: /,
    );
    assert.match(String(backend.getStatus().lastError), /^clearml task\.upload_artifact: /);
    await backend.logBatch([{ name: 'x', value: 2, step: 1, time: 2 }]);
    await backend.finishRun('finished', Date.now());
    await backend.stop();
    assert.equal(series(sessionsIn(cache), 'x', 'x').size, 2, 'the run went on after the failed call');

    const unwritable = path.join(home.dir, 'a-file');
    fs.writeFileSync(unwritable, '');
    const broken = backendFor(testRun(), path.join(unwritable, 'cache')).backend;
    await broken.start();
    await assert.rejects(broken.logBatch([{ name: 'x', value: 1, step: 0, time: 1 }]), /^BridgeCallError: clearml Task\.init: NotADirectoryError: /);
    await broken.stop();

    const wrapper = path.join(home.dir, 'python-without-site');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${python} -S "$@"\n`, { mode: 0o755 });
    useInterpreter(wrapper);
    try {
      const missing = new ClearmlBackend();
      missing.initialize({ offline: true }, testContext('clearml', home.dir).context);
      await assert.rejects(
        missing.start(),
        new RegExp(`^PythonDependencyError: clearml is not installed in ${wrapper}; >=1\\.14 needed: ${wrapper} -m pip install 'clearml>=1\\.14'$`),
      );
    } finally {
      useInterpreter(python);
    }
  });
});
