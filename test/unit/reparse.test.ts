import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { listVersions, readVersionInfo, switchVersion } from '../../src/core/output/metricsVersions';
import { ReparseError, reparseRun } from '../../src/core/output/reparse';
import type { BackendSink } from '../../src/core/pipeline/backendSink';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import { sendMetricsVersion } from '../../src/core/pipeline/sendVersion';
import { PluginManager } from '../../src/core/manager';
import { RunSession } from '../../src/core/run/runSession';
import { RenameProcessor } from '../../src/plugins/processors/renameProcessor';
import { StdoutFramework } from '../../src/plugins/stdout/stdoutFramework';
import { runTooltip } from '../../src/vscode/runs/runsTreeModel';
import { openRunSeries } from '../../src/core/series/runSeries';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import type { MetricPoint } from '../../src/core/types';
import { quietLogger, tempDir } from './pipelineHelpers';
import { CUSTOM, reconfigureStdout, trackedRun } from './reparseHelpers';

function byName(points: readonly MetricPoint[], prefix: string): MetricPoint[] {
  return points.filter((p) => p.name.startsWith(prefix));
}

describe('re-parse a run', () => {
  it('keeps the output as shown, and re-reads it into a new version without touching the old one', async () => {
    const root = tempDir('tracelet-reparse-');
    const { manager, runDir, printed } = await trackedRun(root);
    const output = fs.readFileSync(path.join(runDir, 'output.log'), 'utf8');
    assert.equal(output.split('\n').length, 19, output);
    assert.match(output, /^100%\|##########\nstep 0: loss=1\.000\n {2}gradnorm 1\.00\n100%/);
    const record = readRunRecord(runDir)!;
    assert.deepEqual(record.sourcePrefixes, ['system']);
    const originalLoss = structuredClone(record.metrics.loss);
    const oldBytes = fs.readFileSync(path.join(runDir, 'metrics.bin'));
    const old = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    assert.equal(byName(old, 'grad_norm').length, 0, 'the default settings do not read the custom format');
    assert.ok(byName(old, 'system/').length > 0, 'system samples were taken');

    await reconfigureStdout(manager, CUSTOM);
    const result = await reparseRun({ runDir, record, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout' });

    assert.deepEqual(fs.readFileSync(path.join(runDir, 'metrics.bin')), oldBytes, 'version 1 is byte for byte what it was');
    assert.equal(result.version, 2);
    assert.deepEqual(listVersions(runDir), [1, 2]);
    const fresh = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    assert.deepEqual(byName(fresh, 'system/'), byName(old, 'system/'), 'the samplers’ points are carried as they were');
    assert.deepEqual(
      byName(fresh, 'loss').map((p) => [p.value, p.step]),
      byName(old, 'loss').map((p) => [p.value, p.step]),
    );
    const grad = byName(fresh, 'grad_norm');
    assert.deepEqual(
      grad.map((p) => [p.value, p.step]),
      [0, 1, 2, 3, 4, 5].map((i) => [i * 0.5 + 1, i]),
    );
    for (const [i, p] of grad.entries()) {
      // output.times keeps times to 0.1 s: a line may share the time of an entry up to 100 ms before it.
      const [from, to] = printed.get(`step ${i}`)!;
      assert.ok(p.time >= from - 100 && p.time <= to, `grad_norm ${i} was printed between ${from} and ${to}, stored at ${p.time}`);
    }
    assert.equal(result.points, fresh.length);
    assert.equal(result.before.points, old.length);
    assert.equal(result.series, result.before.series + 1);
    assert.equal(readVersionInfo(runDir, 2)?.carried, byName(old, 'system/').length);

    const saved = readRunRecord(runDir)!;
    assert.equal(saved.metricsVersion, 2);
    assert.match(runTooltip(saved, Date.now()), /\| Metrics \| version 2 shown \(re-parsed\); backends got version 1 \|/);
    assert.equal(saved.metrics.grad_norm?.count, 6);
    const reader = openRunSeries(runDir, { persist: true });
    assert.ok(
      reader.metrics().some((m) => m.name === 'grad_norm'),
      'the charts read the version shown',
    );
    reader.close();
    assert.ok(fs.existsSync(path.join(runDir, 'versions', '2', 'series.idx')), 'its chart index is kept beside it');
    assert.ok(!fs.readdirSync(path.join(runDir, 'versions')).some((n) => n.endsWith('.tmp')));

    switchVersion(runDir, saved, 1);
    const back = readRunRecord(runDir)!;
    assert.equal(back.metricsVersion, undefined);
    assert.equal(back.metrics.grad_norm, undefined);
    assert.deepEqual(back.metrics.loss, originalLoss, 'the summaries are those of version 1 again');
    const reader1 = openRunSeries(runDir);
    assert.ok(!reader1.metrics().some((m) => m.name === 'grad_norm'));
    reader1.close();

    const again = await reparseRun({ runDir, record: back, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout' });
    assert.equal(again.version, 3, 'a version number is never used twice');
    assert.equal(again.before.version, 1);
    await manager.stopAll();
  });

  it('refuses a run still tracked, a run without stored output, and a versions folder that links out', async () => {
    const root = tempDir('tracelet-reparse-');
    const { manager, runDir } = await trackedRun(root);
    const record = readRunRecord(runDir)!;
    const parser = RunSession.outputParser(manager, quietLogger, record.id);
    await assert.rejects(reparseRun({ runDir, record: { ...record, status: 'running' }, parser, parserName: 'stdout' }), ReparseError);
    fs.rmSync(path.join(runDir, 'output.log'));
    await assert.rejects(reparseRun({ runDir, record, parser, parserName: 'stdout' }), /no stored output/);
    assert.deepEqual(listVersions(runDir), [1]);
    fs.writeFileSync(path.join(runDir, 'output.log'), 'loss=1\n');
    const outside = tempDir('tracelet-outside-');
    fs.symlinkSync(outside, path.join(runDir, 'versions'));
    await assert.rejects(reparseRun({ runDir, record, parser, parserName: 'stdout' }), /outside its folder/);
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing written through a planted link');
    await manager.stopAll();
  });
  it('puts the parsed points through the run’s processors, as the live run did', async () => {
    const root = tempDir('tracelet-reparse-processors-');
    const { manager, runDir } = await trackedRun(root);
    manager.registerPlugin(RenameProcessor, 'builtin');
    await manager.initializePlugin('rename', { names: { loss: 'train/loss' } });
    await manager.startPlugin('rename');
    await reconfigureStdout(manager, CUSTOM);
    const record = readRunRecord(runDir)!;
    const old = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    await RunSession.withProcessors(manager, record, quietLogger, (chain) =>
      reparseRun({ runDir, record, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout', process: (p) => chain.run(p) }),
    );
    const fresh = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    assert.equal(byName(fresh, 'loss').length, 0, 'every loss point went through rename');
    assert.deepEqual(
      byName(fresh, 'train/loss').map((p) => [p.value, p.step]),
      byName(old, 'loss').map((p) => [p.value, p.step]),
    );
    assert.equal(byName(fresh, 'grad_norm').length, 6);
    assert.equal(manager.getPluginInfo('rename')?.state, 'active', 'the run instance was stopped, not the plugin');
  });

  it('carries the samplers’ series a rename moved out of their prefix, and reads again an output series moved into it', async () => {
    const root = tempDir('tracelet-reparse-origin-');
    const rename = { prefixes: { 'system/': 'machine/' }, names: { loss: 'system/loss' } };
    const { manager, runDir } = await trackedRun(root, rename);
    const record = readRunRecord(runDir)!;
    const old = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    const machine = byName(old, 'machine/');
    assert.ok(machine.length > 0, 'system samples were stored under their new prefix');
    assert.equal(byName(old, 'system/').length, 6, 'only the output’s loss is under system/');
    assert.deepEqual([...record.sourceSeries!].sort(), [...new Set(machine.map((p) => p.name))].sort(), 'run.json names the sources’ series as stored');

    await reconfigureStdout(manager, CUSTOM);
    const result = await RunSession.withProcessors(manager, record, quietLogger, (chain) =>
      reparseRun({ runDir, record, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout', process: (p) => chain.run(p) }),
    );
    const fresh = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    assert.deepEqual(byName(fresh, 'machine/'), machine, 'the renamed samples are carried as they were');
    assert.equal(result.carried, machine.length);
    assert.deepEqual(
      byName(fresh, 'system/loss').map((p) => [p.value, p.step]),
      byName(old, 'system/loss').map((p) => [p.value, p.step]),
      'the output’s loss, renamed under system/, is read again once, not also carried',
    );
    assert.equal(byName(fresh, 'grad_norm').length, 6);
    await manager.stopAll();
  });

  it('for a run from before sourceSeries was kept, carries what is under the sources’ prefixes and the parser did not give', async () => {
    const root = tempDir('tracelet-reparse-legacy-');
    const { manager, runDir } = await trackedRun(root, { names: { loss: 'system/loss' } });
    const record = readRunRecord(runDir)!;
    delete record.sourceSeries;
    const old = readAllPoints(path.join(runDir, 'metrics.bin')).points;
    const samples = old.filter((p) => p.name.startsWith('system/') && p.name !== 'system/loss');
    assert.ok(samples.length > 0);
    const result = await RunSession.withProcessors(manager, record, quietLogger, (chain) =>
      reparseRun({ runDir, record, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout', process: (p) => chain.run(p) }),
    );
    const fresh = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    assert.equal(result.carried, samples.length);
    assert.deepEqual(byName(fresh, 'system/loss').length, 6, 'not carried beside its new reading');
    await manager.stopAll();
  });
});

/** A backend that keeps what it is sent, and fails while `down` is set. */
function memorySink(name: string): BackendSink & { points: MetricPoint[]; params: Record<string, unknown>; finished: string[]; down: boolean } {
  const sink = {
    name,
    points: [] as MetricPoint[],
    params: {} as Record<string, unknown>,
    finished: [] as string[],
    down: false,
    async send(points: readonly MetricPoint[]) {
      if (sink.down) throw new Error(`${name} is down`);
      sink.points.push(...points);
    },
    async logParams(params: Record<string, unknown>) {
      if (sink.down) throw new Error(`${name} is down`);
      Object.assign(sink.params, params);
    },
    async finish(status: string) {
      sink.finished.push(status);
    },
  };
  return sink;
}

describe('send a metrics version to the backends', () => {
  it('delivers the version’s params, points and outcome; a backend that was down gets the rest from the next window', async () => {
    const root = tempDir('tracelet-send-');
    const { manager, runDir } = await trackedRun(root);
    await reconfigureStdout(manager, CUSTOM);
    const record = readRunRecord(runDir)!;
    await reparseRun({ runDir, record, parser: RunSession.outputParser(manager, quietLogger, record.id), parserName: 'stdout' });
    const expected = readAllPoints(path.join(runDir, 'versions', '2', 'metrics.bin')).points;
    const up = memorySink('up');
    const down = memorySink('down');
    down.down = true;
    const behind = await sendMetricsVersion({
      runDir,
      record,
      version: 2,
      sinks: [up, down],
      fromStart: true,
      logger: quietLogger,
      drainTimeoutMs: 300,
      delivery: { retryInitialMs: 50, maxDelayMs: 10 },
    });
    assert.deepEqual(behind, ['down']);
    assert.deepEqual(up.points, expected);
    assert.deepEqual(up.finished, ['finished']);
    assert.ok(byName(up.points, 'grad_norm').length === 6);
    const saved = readRunRecord(runDir)!;
    assert.equal(saved.backendsVersion, 2);
    assert.deepEqual(saved.pendingBackends, ['down']);

    // The next window: the run is found, and only the backend behind goes on, with version 2.
    const [candidate, ...others] = findRunsToRecover(path.dirname(runDir));
    assert.equal(others.length, 0);
    const resumed = memorySink('down');
    const runsFor: string[] = [];
    const still = await recoverRun(
      candidate!,
      async (name, info) => {
        runsFor.push(`${name}: ${info.name} ${info.tags['tracelet.metricsVersion']}`);
        return resumed;
      },
      quietLogger,
      2000,
    );
    assert.deepEqual(still, []);
    assert.deepEqual(runsFor, [`down: ${record.name} (metrics v2) 2`]);
    assert.deepEqual(resumed.points, expected);
    assert.deepEqual(readRunRecord(runDir)!.pendingBackends, []);
    assert.deepEqual(fs.readFileSync(path.join(runDir, 'metrics.bin')).length > 0, true);

    await assert.rejects(
      sendMetricsVersion({ runDir, record, version: 1, sinks: [up], fromStart: true, logger: quietLogger }),
      /only a re-parsed version is sent/,
    );
    await manager.stopAll();
  });
});

describe('a run session’s output.log', () => {
  it('takes bytes cut inside a character, and is not written when the cap is 0', async () => {
    const root = tempDir('tracelet-session-out-');
    const manager = new PluginManager({ builtins: [StdoutFramework], pluginPaths: [], env: {}, homeDir: root, storageRoot: root });
    await manager.discoverPlugins();
    await manager.startPlugins({ stdout: {} });
    const runsRoot = path.join(root, 'runs');
    const start = (outputLogMaxBytes?: number) =>
      RunSession.start({
        manager,
        runsRoot,
        logger: quietLogger,
        command: 'python t.py',
        cwd: root,
        sampleIntervalMs: 0,
        fsync: 'off',
        ...(outputLogMaxBytes === undefined ? {} : { outputLogMaxBytes }),
      });
    const kept = await start();
    const bytes = Buffer.from('température ✓ loss=21.5\n', 'utf8');
    kept.feed(bytes.subarray(0, 5));
    kept.feed(bytes.subarray(5, 15));
    kept.feed(bytes.subarray(15));
    await kept.end('finished', 0);
    assert.equal(fs.readFileSync(path.join(runsRoot, kept.id, 'output.log'), 'utf8'), 'température ✓ loss=21.5\n');
    assert.equal(readAllPoints(path.join(runsRoot, kept.id, 'metrics.bin')).points[0]?.name, 'loss');
    const none = await start(0);
    none.feed('loss=1\n');
    await none.end('finished', 0);
    assert.ok(!fs.existsSync(path.join(runsRoot, none.id, 'output.log')));
    assert.equal(readAllPoints(path.join(runsRoot, none.id, 'metrics.bin')).points.length, 1, 'the metrics are read all the same');
    await manager.stopAll();
  });
});
