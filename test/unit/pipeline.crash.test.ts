import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { describe, it } from 'node:test';
import { CursorStore } from '../../src/core/pipeline/cursorStore';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import { MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import { readRunRecord, writeRunRecord } from '../../src/core/store/runRecord';
import { fileSink } from '../fixtures/pipeline/fileSink';
import { newRecord, points, quietLogger, RecordingSink, tempDir } from './pipelineHelpers';

const child = path.join(__dirname, '..', 'fixtures', 'pipeline', 'crashChild.ts');
/** The feeder's flush and batch sizes (crashChild.ts). */
const BLOCK = 997;
const BATCH_SIZE = 1000;

/**
 * Runs the feeder until it has acknowledged `acks` flushes, then kills it with SIGKILL; resolves to the last
 * count it reported. It waits for 'close', not 'exit': a busy machine can leave ACK lines in the pipe after the exit.
 */
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
    proc.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`feeder exited with ${signal ?? _code}`))));
  });
}

describe('a pipeline killed with SIGKILL mid-run', () => {
  it('keeps every acknowledged point, and recovery delivers them all to the backend', async (t) => {
    const root = tempDir('tracelet-crash-');
    t.after(() => fs.rmSync(root, { recursive: true, force: true }));
    const runDir = path.join(root, 'crashed-run');
    const remote = path.join(root, 'remote.txt');
    const acknowledged = await feedAndKill(runDir, remote, 300);
    assert.ok(acknowledged >= 300 * BLOCK);

    const stored = readAllPoints(path.join(runDir, 'metrics.bin'));
    // The kill can land after a flush and before its ACK line: then one more flush is stored than was reported.
    assert.ok(
      stored.points.length === acknowledged || stored.points.length === acknowledged + BLOCK,
      `${stored.points.length} stored, ${acknowledged} acknowledged`,
    );
    assert.deepEqual(stored.points, points(stored.points.length), 'every stored point is intact and in order');

    const candidates = findRunsToRecover(root);
    assert.deepEqual(
      candidates.map((c) => c.status),
      ['crashed'],
    );
    const cursor = new CursorStore(runDir).get('remote');
    const deliveredBefore = fs.existsSync(remote) ? fs.readFileSync(remote, 'utf8').split('\n').filter(Boolean).length : 0;
    // A generous drain timeout: on a busy machine, sending some 300,000 points may take more than the default 10 s.
    assert.deepEqual(await recoverRun(candidates[0]!, async (name) => fileSink(name, remote), quietLogger, 120_000), []);

    const delivered = fs.readFileSync(remote, 'utf8').split('\n').filter(Boolean).map(Number);
    const unique = [...new Set(delivered)];
    assert.deepEqual(
      unique,
      stored.points.map((p) => p.value),
      'the backend has every stored point, in order',
    );
    assert.deepEqual(
      delivered.slice(deliveredBefore),
      stored.points.slice(cursor.seq).map((p) => p.value),
      'recovery sends everything after the saved cursor, and nothing else',
    );
    // Sent but not yet acknowledged at the kill: at most one batch, which is whole blocks, so at most batchSize points plus one block.
    const twice = deliveredBefore - cursor.seq;
    assert.ok(twice >= 0 && twice <= BATCH_SIZE + BLOCK, `at most the batch in flight at the kill is sent twice (${twice})`);
    assert.equal(delivered.length - unique.length, twice);
    assert.equal(readRunRecord(runDir)!.status, 'crashed');
  });

  it('recovers a run whose log has damaged blocks before and after the cursor: every other point is delivered once, and the damage is kept', async (t) => {
    const root = tempDir('tracelet-damaged-');
    t.after(() => fs.rmSync(root, { recursive: true, force: true }));
    const runDir = path.join(root, 'damaged-run');
    fs.mkdirSync(runDir);
    writeRunRecord(runDir, newRecord('damaged-run', { backends: ['remote'] }));
    const writer = MetricsLogWriter.open(path.join(runDir, 'metrics.bin'));
    const offsets = [0];
    for (let b = 0; b < 6; b++) {
      writer.append(points(50, b * 50));
      offsets.push(writer.bytes);
    }
    writer.close();
    new CursorStore(runDir).set('remote', { offset: offsets[3]!, seq: 150 });
    const log = path.join(runDir, 'metrics.bin');
    const bytes = fs.readFileSync(log);
    // Resuming steps over blocks 1 and 2 to land on the cursor itself; block 4 is damaged after it.
    for (const b of [1, 2, 4]) bytes[offsets[b]! + 100]! ^= 0x40;
    fs.writeFileSync(log, bytes);

    const sink = new RecordingSink('remote');
    const [candidate] = findRunsToRecover(root);
    assert.deepEqual(await recoverRun(candidate!, async () => sink, quietLogger), []);
    assert.deepEqual(sink.received, [...points(50, 150), ...points(50, 250)], 'from the cursor on, all but damaged block 4');
    assert.deepEqual(fs.readFileSync(log), bytes, 'recovery removes no damaged byte');
    assert.deepEqual(new CursorStore(runDir).get('remote'), { offset: offsets[6], seq: 300 });
    assert.deepEqual(readRunRecord(runDir)!.pendingBackends, []);
  });
});
