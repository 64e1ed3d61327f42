import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BLOCK_HEADER_BYTES, BLOCK_MAGIC, crc32, decodeBlock } from '../../src/core/store/blockFormat';
import { MetricsLogReader, MetricsLogWriter, readAllPoints, type LoggedBatch } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-damage-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let files = 0;

const PER_BLOCK = 5;

/** Block b's points: `shared` in every block, and `only/<b>`, a name block b defines and block b + 1 uses too. */
function blockPoints(b: number): MetricPoint[] {
  return Array.from({ length: PER_BLOCK }, (_, i) => {
    const seq = b * PER_BLOCK + i;
    const name = i === 0 ? 'shared' : i === 1 && b > 0 ? `only/${b - 1}` : `only/${b}`;
    return { name, value: seq / 3, step: seq, time: 1_700_000_000_000 + seq };
  });
}

/** A log of `n` blocks of blockPoints, and the byte offset each block starts at (plus the file's end). */
function writeLog(n: number): { file: string; offsets: number[] } {
  const file = path.join(tmp, `log-${files++}.bin`);
  const w = MetricsLogWriter.open(file);
  const offsets = [0];
  for (let b = 0; b < n; b++) {
    w.append(blockPoints(b));
    offsets.push(w.bytes);
  }
  w.close();
  return { file, offsets };
}

function edit(file: string, change: (buf: Buffer) => Buffer | void): void {
  const buf = fs.readFileSync(file);
  fs.writeFileSync(file, change(buf) ?? buf);
}

function seqsOf(batch: LoggedBatch): number[] {
  return batch.seqs ?? batch.points.map((_, i) => batch.firstSeq + i);
}

/** The points of blocks `blocks`, less those named in `lostNames`. */
function expected(blocks: number[], lostNames: string[] = []): { points: MetricPoint[]; seqs: number[] } {
  const points: MetricPoint[] = [];
  const seqs: number[] = [];
  for (const b of blocks) {
    blockPoints(b).forEach((p, i) => {
      if (lostNames.includes(p.name)) return;
      points.push(p);
      seqs.push(b * PER_BLOCK + i);
    });
  }
  return { points, seqs };
}

const range = (n: number, skip: number): number[] => Array.from({ length: n }, (_, b) => b).filter((b) => b !== skip);

describe('metrics log damage', () => {
  it('keeps every other block when one bit of block k of N flips, after reopening and appending too', () => {
    const N = 6;
    for (let k = 0; k < N; k++) {
      for (const at of [0, 5, 9, BLOCK_HEADER_BYTES + 3, 40]) {
        const { file, offsets } = writeLog(N);
        edit(file, (buf) => void (buf[offsets[k]! + at]! ^= 0x10));
        const lastIsDamaged = k === N - 1;
        const lostNames = k === 0 ? ['shared', 'only/0'] : [`only/${k}`];
        const read = readAllPoints(file);
        const want = expected(range(N, k), lostNames);
        assert.deepEqual([read.points, seqsOf(read)], [want.points, want.seqs], `block ${k}, byte ${at}`);
        if (lastIsDamaged) {
          assert.equal(read.tornBytes, offsets[N]! - offsets[k]!, 'a damaged last block is a torn tail');
          assert.equal(read.damage, undefined);
        } else {
          assert.deepEqual(read.damage?.ranges, [{ offset: offsets[k]!, bytes: offsets[k + 1]! - offsets[k]!, lostPoints: PER_BLOCK }]);
          assert.equal(read.damage?.unnamedPoints, k === 0 ? N : 1, 'block k + 1 uses a name block k defined, and block 0 defines "shared"');
        }

        const w = MetricsLogWriter.open(file);
        assert.equal(w.nextSeq, lastIsDamaged ? k * PER_BLOCK : N * PER_BLOCK);
        assert.equal(w.bytes, lastIsDamaged ? offsets[k] : offsets[N], 'only a torn tail is cut');
        w.append([
          { name: `only/${k}`, value: -1, time: 1 },
          { name: 'new', value: -2, step: 0, time: 2 },
        ]);
        w.close();
        const again = readAllPoints(file);
        assert.deepEqual(again.points, [...want.points, { name: `only/${k}`, value: -1, time: 1 }, { name: 'new', value: -2, step: 0, time: 2 }]);
        assert.deepEqual(seqsOf(again), [...want.seqs, w.nextSeq - 2, w.nextSeq - 1]);
      }
    }
  });

  it('steps over a block whose length field is wrong, shorter or longer', () => {
    for (const length of [0, 3, 17, 1000, 0xffffffff]) {
      const { file, offsets } = writeLog(4);
      edit(file, (buf) => void buf.writeUInt32LE(length, offsets[1]! + 4));
      const read = readAllPoints(file);
      const want = expected([0, 2, 3], ['only/1']);
      assert.deepEqual(read.points, want.points, `length ${length}`);
      assert.deepEqual(read.damage?.ranges, [{ offset: offsets[1]!, bytes: offsets[2]! - offsets[1]!, lostPoints: PER_BLOCK }]);
    }
  });

  it('skips the points whose name was defined in a damaged block, and a reopened writer gives the name a fresh id', () => {
    const file = path.join(tmp, 'names.bin');
    const w = MetricsLogWriter.open(file);
    w.append([{ name: 'a', value: 0, time: 0 }]);
    const second = w.bytes;
    w.append([
      { name: 'b', value: 1, time: 1 },
      { name: 'c', value: 2, time: 2 },
    ]);
    w.append([
      { name: 'c', value: 3, time: 3 },
      { name: 'a', value: 4, time: 4 },
      { name: 'b', value: 5, time: 5 },
    ]);
    w.close();
    edit(file, (buf) => void (buf[second + BLOCK_HEADER_BYTES + 20]! ^= 1));

    const read = readAllPoints(file);
    assert.deepEqual(read.points, [
      { name: 'a', value: 0, time: 0 },
      { name: 'a', value: 4, time: 4 },
    ]);
    assert.deepEqual(read.seqs, [0, 4]);
    assert.equal(read.damage?.unnamedPoints, 2);

    const again = MetricsLogWriter.open(file);
    const appendedAt = again.bytes;
    again.append([
      { name: 'b', value: 6, time: 6 },
      { name: 'd', value: 7, time: 7 },
      { name: 'a', value: 8, time: 8 },
    ]);
    again.close();
    const defined: string[] = [];
    decodeBlock(fs.readFileSync(file), appendedAt, defined);
    assert.deepEqual(
      Object.entries(defined),
      [
        ['3', 'b'],
        ['4', 'd'],
      ],
      'new ids go above 2, the largest id the file uses',
    );
    const after = readAllPoints(file);
    assert.deepEqual(
      after.points.map((p) => `${p.name}=${p.value}`),
      ['a=0', 'a=4', 'b=6', 'd=7', 'a=8'],
      'each under its own name',
    );
    assert.deepEqual(after.seqs, [0, 4, 6, 7, 8]);
  });

  it('reads past garbage inserted between blocks, and cuts garbage appended at the end', () => {
    const { file, offsets } = writeLog(3);
    const garbage = Buffer.alloc(300, 0x54);
    garbage.writeUInt32LE(BLOCK_MAGIC, 100);
    edit(file, (buf) => Buffer.concat([buf.subarray(0, offsets[1]), garbage, buf.subarray(offsets[1]), garbage]));
    const read = readAllPoints(file);
    assert.deepEqual(read.points, expected([0, 1, 2]).points);
    assert.equal(read.seqs, undefined, 'no point is missing');
    assert.deepEqual(read.damage?.ranges, [{ offset: offsets[1]!, bytes: 300, lostPoints: 0 }]);
    assert.equal(read.tornBytes, 300);

    const w = MetricsLogWriter.open(file);
    assert.equal(w.bytes, offsets[3]! + 300, 'the garbage in the middle stays, the garbage at the end goes');
    w.append(blockPoints(3));
    w.close();
    assert.deepEqual(readAllPoints(file).points, expected([0, 1, 2, 3]).points);
  });

  it('cuts a last block torn at any byte, keeping every earlier point', () => {
    const { file, offsets } = writeLog(3);
    const whole = fs.readFileSync(file);
    for (let cut = offsets[2]!; cut < offsets[3]!; cut++) {
      fs.writeFileSync(file, whole.subarray(0, cut));
      const read = readAllPoints(file);
      assert.deepEqual(read.points, expected([0, 1]).points, `cut at ${cut}`);
      assert.equal(read.tornBytes, cut - offsets[2]!);
      assert.equal(read.damage, undefined);
      const w = MetricsLogWriter.open(file);
      assert.deepEqual([w.bytes, w.nextSeq], [offsets[2], 2 * PER_BLOCK]);
      w.append(blockPoints(2));
      w.close();
      assert.deepEqual(readAllPoints(file), { firstSeq: 0, points: expected([0, 1, 2]).points, tornBytes: 0 });
    }
  });

  it('reports each damaged range once per reader, through rewinds and a resume', () => {
    const { file, offsets } = writeLog(5);
    edit(file, (buf) => {
      buf[offsets[1]! + 30]! ^= 4;
      buf[offsets[3]! + 30]! ^= 4;
    });
    const reader = new MetricsLogReader(file);
    const seen: unknown[] = [];
    for (;;) {
      const [offset, seq] = [reader.offset, reader.nextSeq];
      const batch = reader.read(1);
      if (batch.damage) seen.push(...batch.damage.ranges);
      if (batch.points.length === 0) break;
      reader.rewind(offset, seq);
      const again = reader.read(1);
      assert.deepEqual([again.points, seqsOf(again), again.damage], [batch.points, seqsOf(batch), undefined], 'a batch read again after a rewind');
    }
    assert.deepEqual(seen, [
      { offset: offsets[1], bytes: offsets[2]! - offsets[1]!, lostPoints: PER_BLOCK },
      { offset: offsets[3], bytes: offsets[4]! - offsets[3]!, lostPoints: PER_BLOCK },
    ]);

    const resumed = new MetricsLogReader(file);
    resumed.resumeAt(offsets[4]!);
    assert.deepEqual([resumed.offset, resumed.nextSeq], [offsets[4], 4 * PER_BLOCK]);
    const rest = resumed.read();
    assert.deepEqual(rest.points, expected([4], ['only/3']).points, 'names defined before the cursor are known');
    assert.equal(rest.damage?.ranges.length, 2, 'damage met while resuming comes with the next read');
  });

  it('does not return a stale copy of an earlier block again', () => {
    const { file, offsets } = writeLog(3);
    edit(file, (buf) => Buffer.concat([buf.subarray(0, offsets[2]), buf.subarray(offsets[0], offsets[1]), buf.subarray(offsets[2])]));
    const read = readAllPoints(file);
    assert.deepEqual(read.points, expected([0, 1, 2]).points);
    assert.deepEqual(read.damage?.ranges, [{ offset: offsets[2], bytes: offsets[1], lostPoints: 0 }]);
  });

  it('treats a block whose CRC checks but whose counts overrun its payload as damaged', () => {
    const block = (payload: Buffer): Buffer => {
      const head = Buffer.alloc(BLOCK_HEADER_BYTES);
      head.writeUInt32LE(BLOCK_MAGIC, 0);
      head.writeUInt32LE(payload.length, 4);
      head.writeUInt32LE(crc32(payload), 8);
      return Buffer.concat([head, payload]);
    };
    /** A payload with one one-byte name and `pointBytes` of points, and counts as given. */
    const payload = (nameCount: number, nameLength: number, pointCount: number, pointBytes: number): Buffer => {
      const p = Buffer.alloc(8 + 4 + 7 + 4 + pointBytes);
      p.writeDoubleLE(PER_BLOCK, 0);
      p.writeUInt32LE(nameCount, 8);
      p.writeUInt16LE(nameLength, 16);
      p.writeUInt32LE(pointCount, 19);
      return p;
    };
    for (const bad of [payload(1000, 1, 0, 0), payload(1, 60000, 0, 0), payload(1, 1, 3, 28), payload(1, 1, 0xffffffff, 28), payload(1, 1, 1, 27)]) {
      assert.equal(decodeBlock(block(bad), 0, []), undefined);
    }
    const good = decodeBlock(block(payload(1, 1, 1, 28)), 0, []);
    assert.deepEqual(good?.points, [{ name: '\0', value: 0, step: 0, time: 0 }]);

    const { file, offsets } = writeLog(2);
    edit(file, (buf) => Buffer.concat([buf.subarray(0, offsets[1]), block(payload(1, 1, 0xffffffff, 28)), buf.subarray(offsets[1])]));
    assert.deepEqual(readAllPoints(file).points, expected([0, 1]).points);
  });
});
