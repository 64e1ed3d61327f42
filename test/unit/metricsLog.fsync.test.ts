import assert from 'node:assert/strict';
import type * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_FSYNC, parseFsyncPolicy } from '../../src/core/store/fsyncPolicy';
import { MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import { RunWriter } from '../../src/core/store/runWriter';
import { waitUntil } from '../support/waitUntil';
import { newRecord, points, quietLogger, tempDir } from './pipelineHelpers';

/** node:fs itself, not a namespace copy: the store looks its functions up there at each call, so wrapping them counts its fsyncs. */
const nodeFs = require('node:fs') as typeof fs;
const calls = { sync: 0, async: 0, fsync: 0 };
const real = { fdatasyncSync: nodeFs.fdatasyncSync, fdatasync: nodeFs.fdatasync, fsyncSync: nodeFs.fsyncSync };

describe('fsync policy', () => {
  beforeEach(() => {
    Object.assign(calls, { sync: 0, async: 0, fsync: 0 });
    Object.assign(nodeFs, {
      fdatasyncSync: (fd: number) => {
        calls.sync++;
        real.fdatasyncSync(fd);
      },
      fdatasync: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
        calls.async++;
        real.fdatasync(fd, cb);
      },
      fsyncSync: (fd: number) => {
        calls.fsync++;
        real.fsyncSync(fd);
      },
    });
  });
  afterEach(() => Object.assign(nodeFs, real));

  it('reads the setting: "off", "end" or seconds, anything else the default', () => {
    assert.deepEqual(['off', 'end', 2, 0.5].map(parseFsyncPolicy), ['off', 'end', 2, 0.5]);
    for (const odd of [undefined, 0, -1, NaN, Infinity, '5', 'always', null, {}]) assert.equal(parseFsyncPolicy(odd), DEFAULT_FSYNC, String(odd));
    assert.equal(DEFAULT_FSYNC, 5);
  });

  it('"off" never flushes to the disk, "end" only at close', () => {
    const dir = tempDir('tracelet-fsync-');
    for (const [policy, atClose] of [
      ['off', 0],
      ['end', 1],
    ] as const) {
      Object.assign(calls, { sync: 0, async: 0 });
      const w = MetricsLogWriter.open(path.join(dir, `${policy}.bin`), { fsync: policy });
      w.append(points(10));
      w.append(points(10, 10));
      assert.deepEqual([calls.sync, calls.async], [0, 0], `${policy}: nothing while appending`);
      w.close();
      assert.deepEqual([calls.sync, calls.async], [atClose, 0], `${policy}: at close`);
      assert.equal(readAllPoints(path.join(dir, `${policy}.bin`)).points.length, 20);
    }
  });

  it('seconds: one flush off the event loop after points arrive, none while idle, and the last at close', async () => {
    const dir = tempDir('tracelet-fsync-');
    const w = MetricsLogWriter.open(path.join(dir, 'timed.bin'), { fsync: 0.05 });
    for (let i = 0; i < 5; i++) w.append(points(10, i * 10));
    assert.equal(calls.async, 0, 'not at once');
    await waitUntil(() => calls.async === 1, 'a flush within the period');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(calls.async, 1, 'none while no point arrives');
    w.append(points(1, 50));
    await waitUntil(() => calls.async === 2, 'the next point brings the next flush');
    w.append(points(1, 51));
    w.close();
    assert.equal(calls.sync, 1, 'close flushes what the last timed flush missed');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(calls.async, 2, 'no flush after close');
    assert.equal(readAllPoints(path.join(dir, 'timed.bin')).points.length, 52);
  });

  it('a close during a timed flush leaves the file open until the flush is done', async () => {
    const dir = tempDir('tracelet-fsync-');
    let finishSync: (() => void) | undefined;
    Object.assign(nodeFs, {
      fdatasync: (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
        calls.async++;
        finishSync = () => real.fdatasync(fd, cb);
      },
    });
    const w = MetricsLogWriter.open(path.join(dir, 'slow.bin'), { fsync: 0.01 });
    w.append(points(3));
    await waitUntil(() => finishSync !== undefined, 'a timed flush starts');
    w.append(points(3, 3));
    w.close();
    finishSync!();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(readAllPoints(path.join(dir, 'slow.bin')).points.length, 6);
  });

  it('a run writer flushes the log and run.json to the disk when the run ends, unless fsync is off', () => {
    for (const [fsync, durable] of [
      ['off', false],
      [DEFAULT_FSYNC, true],
    ] as const) {
      Object.assign(calls, { sync: 0, fsync: 0 });
      const runDir = path.join(tempDir('tracelet-fsync-'), 'run');
      const run = RunWriter.open({ runDir, record: newRecord('run'), logger: quietLogger, fsync });
      run.add(points(5));
      run.saveRecord();
      assert.deepEqual([calls.sync, calls.fsync], [0, 0], `${fsync}: nothing before the end`);
      run.end();
      // run.json: its temporary file and then its folder.
      assert.deepEqual([calls.sync, calls.fsync], durable ? [1, 2] : [0, 0], String(fsync));
      assert.equal(readRunRecord(runDir)!.metrics.loss!.count, 5);
    }
  });
});
