import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { describe, it } from 'node:test';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord } from '../../src/core/store/runRecord';
import { fileSink } from '../fixtures/pipeline/fileSink';
import { points, quietLogger, tempDir } from './pipelineHelpers';

const child = path.join(__dirname, '..', 'fixtures', 'pipeline', 'crashChild.ts');

/** Runs the feeder until it has acknowledged `acks` flushes, then kills it with SIGKILL; resolves to the last count it reported. */
function feedAndKill(runDir: string, remote: string, acks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, runDir, remote], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = 0;
    let seen = 0;
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^ACK (\d+)$/.exec(line);
      if (!m) return;
      last = Number(m[1]);
      if (++seen === acks) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`feeder exited with ${signal ?? _code}`))));
  });
}

describe('a pipeline killed with SIGKILL mid-run', () => {
  it('keeps every acknowledged point, and recovery delivers them all to the backend', async () => {
    const root = tempDir('tracelet-crash-');
    const runDir = path.join(root, 'crashed-run');
    const remote = path.join(root, 'remote.txt');
    const acknowledged = await feedAndKill(runDir, remote, 300);
    assert.ok(acknowledged >= 300 * 997);

    const stored = readAllPoints(path.join(runDir, 'metrics.bin'));
    // The kill can land after a flush and before its ACK line: then one more flush is stored than was reported.
    assert.ok(stored.points.length === acknowledged || stored.points.length === acknowledged + 997, `${stored.points.length} stored, ${acknowledged} acknowledged`);
    assert.deepEqual(stored.points, points(stored.points.length), 'every stored point is intact and in order');

    const candidates = findRunsToRecover(root);
    assert.deepEqual(candidates.map((c) => c.status), ['crashed']);
    const deliveredBefore = fs.existsSync(remote) ? fs.readFileSync(remote, 'utf8').split('\n').filter(Boolean).length : 0;
    assert.deepEqual(await recoverRun(candidates[0]!, async (name) => fileSink(name, remote), quietLogger), []);

    const delivered = fs.readFileSync(remote, 'utf8').split('\n').filter(Boolean).map(Number);
    const unique = [...new Set(delivered)];
    assert.deepEqual(unique, stored.points.map((p) => p.value), 'the backend has every stored point, in order');
    assert.ok(delivered.length - unique.length <= 1000, `at most the batch in flight at the kill is sent twice (${delivered.length - unique.length})`);
    assert.ok(deliveredBefore < delivered.length, 'recovery delivered the points the backend had not acknowledged');
    assert.equal(readRunRecord(runDir)!.status, 'crashed');
  });
});
