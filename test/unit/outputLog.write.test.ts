import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseDroppedMarker } from '../../src/core/output/outputFiles';
import { OutputLines } from '../../src/core/output/outputLines';
import { OutputLog, readOutputLog } from '../../src/core/output/outputLog';
import { parseTimeEntries, readOutputSegments } from '../../src/core/output/outputTimes';
import { maskCommandLine, maskOutputLine } from '../../src/core/secrets/maskSecrets';
import { tempDir } from './pipelineHelpers';

function logOf(dir: string): string {
  return fs.readFileSync(path.join(dir, 'output.log'), 'utf8');
}

describe('OutputLines', () => {
  it('keeps a tqdm bar as its last redraw, however the chunks are cut', () => {
    let raw = '';
    for (let i = 0; i <= 1000; i++) raw += `\r\x1b[32m${String(i / 10).padStart(5)}%|\x1b[0m${'#'.repeat(i / 50)} ${i}/1000 [loss=${(1 / (i + 1)).toFixed(3)}]`;
    raw += '\r\n';
    const whole = new OutputLines().push(raw);
    assert.deepEqual(whole, [`  100%|${'#'.repeat(20)} 1000/1000 [loss=0.001]`]);
    for (const size of [1, 7, 64]) {
      const lines = new OutputLines();
      const out: string[] = [];
      for (let i = 0; i < raw.length; i += size) out.push(...lines.push(raw.slice(i, i + size)));
      assert.deepEqual(out, whole, `chunks of ${size}`);
    }
  });

  it('does not let a cleared bar or the \\r of \\r\\n hide the line, and removes escapes and controls', () => {
    const lines = new OutputLines();
    assert.deepEqual(lines.push('50%|#####\r          \r'), []);
    assert.deepEqual(lines.push('\x1b]633;C\x07\x1b[1mEpoch 1\x1b[0m: loss=0.5\r\n\r\nnext\n'), ['Epoch 1: loss=0.5', '', 'next']);
    assert.deepEqual(lines.push('bar 10%\rbar 20%\r    \r\n'), ['bar 20%']);
  });

  it('decodes UTF-8 cut between chunks and finishes a last line without \\n', () => {
    const lines = new OutputLines();
    const bytes = Buffer.from('température=20°C\nfin', 'utf8');
    const out = [...lines.push(bytes.subarray(0, 9)), ...lines.push(bytes.subarray(9))];
    assert.deepEqual(out, ['température=20°C']);
    assert.equal(lines.end(), 'fin');
    assert.equal(new OutputLines().end(), undefined);
  });

  it('keeps at most maxChars of a line', () => {
    assert.deepEqual(new OutputLines(8).push(`${'x'.repeat(20)}\n`), ['xxxxxxxx']);
  });
});

describe('maskOutputLine', () => {
  it('masks what maskCommandLine masks, and skips the search in lines that cannot hold a secret', () => {
    const known = ['s3cr3t-value'];
    const lines = [
      'epoch 1 loss=0.5 acc=0.9',
      'WANDB_API_KEY=abc123 python train.py --token xyz --lr 0.1',
      'connecting to https://ann:pw@host/db',
      'Authorization: Bearer abcdefghijkl',
      'uploading with s3cr3t-value as the key',
      'val_token_count=12',
      'step 3 -- key: 0.5',
    ];
    for (const line of lines) assert.equal(maskOutputLine(line, known), maskCommandLine(line, known), line);
    assert.equal(maskOutputLine('the s3cr3t-value leaked', known), 'the ******** leaked');
  });
});

describe('OutputLog', () => {
  it('writes the lines as shown, escapes removed and secrets masked, with when they were printed', async () => {
    const dir = tempDir('tracelet-outlog-');
    const log = new OutputLog({ runDir: dir, maxBytes: 1 << 20, knownSecrets: ['hunter2-secret'], fsync: 'off' });
    log.push('\x1b[1mstart\x1b[0m --api-key sk-123 --lr 0.1\n', 1000);
    log.push('0%|  \r50%|##  \r100%|####| loss=0.3\n', 1050);
    log.push('password is hunter2-secret\n', 1500);
    log.push('torn', 2000);
    assert.equal(logOf(dir), '', 'nothing is written before the batch delay');
    log.flush();
    assert.equal(logOf(dir), 'start --api-key ******** --lr 0.1\n100%|####| loss=0.3\npassword is ********\n');
    log.close(2100);
    assert.equal(logOf(dir), 'start --api-key ******** --lr 0.1\n100%|####| loss=0.3\npassword is ********\ntorn\n');
    const times = parseTimeEntries(fs.readFileSync(path.join(dir, 'output.times'), 'utf8'));
    // 1050 is within 100 ms of 1000: the bar's line shares the first entry.
    assert.deepEqual(times, [
      { offset: 0, time: 1000 },
      { offset: 54, time: 1500 },
      { offset: 75, time: 2100 },
    ]);
    assert.deepEqual(readOutputSegments(dir, 0), [
      { text: 'start --api-key ******** --lr 0.1\n100%|####| loss=0.3\n', time: 1000 },
      { text: 'password is ********\n', time: 1500 },
      { text: 'torn\n', time: 2100 },
    ]);
  });

  it('writes a batch once the delay has passed', async () => {
    const dir = tempDir('tracelet-outlog-');
    const log = new OutputLog({ runDir: dir, maxBytes: 1 << 20, flushDelayMs: 10, fsync: 'off' });
    log.push('loss=1\n');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(logOf(dir), 'loss=1\n');
    log.close();
  });

  it('keeps the tail past the cap, behind a line saying how much was dropped, with the times of what it kept', async () => {
    const dir = tempDir('tracelet-outlog-');
    const maxBytes = 10_000;
    const log = new OutputLog({ runDir: dir, maxBytes, fsync: 'off' });
    const all: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = `step ${i} loss=${(1 / (i + 1)).toFixed(6)}`;
      all.push(line);
      log.push(`${line}\n`, 1_000_000 + i * 1000);
      if (i % 10 === 0) log.flush();
      const size = fs.statSync(path.join(dir, 'output.log')).size;
      assert.ok(size <= maxBytes * 1.25 + 200, `output.log is ${size} bytes while the run goes on`);
    }
    log.close(9e9);
    const text = logOf(dir);
    const [marker, ...rest] = text.split('\n');
    const dropped = parseDroppedMarker(marker!);
    assert.ok(dropped !== undefined, marker);
    const kept = rest.slice(0, -1);
    assert.ok(Buffer.byteLength(kept.join('\n')) + 1 <= maxBytes && Buffer.byteLength(kept.join('\n')) > maxBytes - 100);
    assert.deepEqual(kept, all.slice(all.length - kept.length), 'the last lines, whole and in order');
    const total = all.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    assert.equal(dropped, total - Buffer.byteLength(rest.join('\n')), 'the marker counts every byte dropped');
    assert.equal(await readOutputLog(dir), `${kept.join('\n')}\n`);
    // Each kept line keeps the time it was printed.
    const segments = readOutputSegments(dir, 0);
    assert.equal(segments.map((s) => s.text).join(''), `${kept.join('\n')}\n`);
    for (const s of segments.slice(0, 50)) {
      const i = Number(/^step (\d+)/.exec(s.text)![1]);
      assert.equal(s.time, 1_000_000 + i * 1000, s.text);
    }
  });

  it('leaves a file that reads after a crash mid-write: a torn last line and a torn time entry', () => {
    const dir = tempDir('tracelet-outlog-');
    const log = new OutputLog({ runDir: dir, maxBytes: 1 << 20, fsync: 'off' });
    log.push('epoch 1 loss=0.5\n', 5000);
    log.push('epoch 2 loss=0.4\n', 6000);
    log.flush();
    // What a process killed in the middle of its next write leaves.
    fs.appendFileSync(path.join(dir, 'output.log'), 'epoch 3 lo');
    fs.appendFileSync(path.join(dir, 'output.times'), '34 70');
    assert.deepEqual(readOutputSegments(dir, 0), [
      { text: 'epoch 1 loss=0.5\n', time: 5000 },
      { text: 'epoch 2 loss=0.4\nepoch 3 lo', time: 6000 },
    ]);
    log.close();
  });

  it('refuses an output.log planted as a link', () => {
    const dir = tempDir('tracelet-outlog-');
    const outside = path.join(tempDir('tracelet-outside-'), 'x.txt');
    fs.writeFileSync(outside, '');
    fs.symlinkSync(outside, path.join(dir, 'output.log'));
    assert.throws(() => new OutputLog({ runDir: dir, maxBytes: 1000 }), /ELOOP|symbolic/);
    assert.equal(fs.readFileSync(outside, 'utf8'), '');
  });

  it('reports a failed write once and lets the run go on', () => {
    const dir = tempDir('tracelet-outlog-');
    const errors: Error[] = [];
    const log = new OutputLog({ runDir: dir, maxBytes: 100, fsync: 'off', onError: (e) => errors.push(e) });
    fs.rmSync(path.join(dir, 'output.log'));
    fs.mkdirSync(path.join(dir, 'output.log'));
    log.push(`${'x'.repeat(200)}\n`);
    log.flush();
    log.push('more\n');
    log.close();
    assert.equal(errors.length, 1);
  });
});
