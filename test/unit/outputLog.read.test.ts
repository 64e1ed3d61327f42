import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { droppedMarker } from '../../src/core/output/outputFiles';
import { readOutputLog } from '../../src/core/output/outputLog';
import { tempDir } from './pipelineHelpers';

describe('readOutputLog', () => {
  it('is empty for a run without output.log', async () => {
    assert.equal(await readOutputLog(tempDir('tracelet-out-')), '');
  });

  it('returns the output without the marker of a dropped head', async () => {
    const dir = tempDir('tracelet-out-');
    fs.writeFileSync(path.join(dir, 'output.log'), `${droppedMarker(1234, 10 << 20)}epoch 1 loss=0.5\nepoch 2 loss=0.4\n`);
    assert.equal(await readOutputLog(dir), 'epoch 1 loss=0.5\nepoch 2 loss=0.4\n');
  });

  it('gives the tail from a whole line when the file is longer than maxBytes', async () => {
    const dir = tempDir('tracelet-out-');
    const lines = Array.from({ length: 100 }, (_, i) => `step ${i} loss=${(1 / (i + 1)).toFixed(4)}\n`);
    fs.writeFileSync(path.join(dir, 'output.log'), lines.join(''));
    const tail = await readOutputLog(dir, { maxBytes: 200 });
    assert.ok(tail.length <= 200 && tail.length > 150, `${tail.length} characters`);
    assert.ok(lines.join('').endsWith(tail));
    assert.ok(lines.includes(tail.slice(0, tail.indexOf('\n') + 1)), 'starts at a whole line');
  });

  it('keeps a torn last line (a crash in the middle of a write)', async () => {
    const dir = tempDir('tracelet-out-');
    fs.writeFileSync(path.join(dir, 'output.log'), 'loss=0.5\nloss=0.4\nlos');
    assert.equal(await readOutputLog(dir), 'loss=0.5\nloss=0.4\nlos');
  });

  it('does not follow a link planted as output.log', async () => {
    const dir = tempDir('tracelet-out-');
    const outside = path.join(tempDir('tracelet-outside-'), 'secret.txt');
    fs.writeFileSync(outside, 'not the run’s output\n');
    fs.symlinkSync(outside, path.join(dir, 'output.log'));
    assert.equal(await readOutputLog(dir), '');
  });
});
