import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BLOCK_HEADER_BYTES, encodeBlock, NameTable } from '../../src/core/store/blockFormat';
import { MetricsLogReader, MetricsLogWriter, readAllPoints, type LogScan, type PointColumns } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-scan-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let files = 0;

const NAMES = ['train/loss', 'val/acc', 'λ'];

function points(n: number, from = 0): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = from + i;
    const p: MetricPoint = { name: NAMES[seq % 3]!, value: seq / 7, time: 1_700_000_000_000 + seq };
    if (seq % 5 !== 0) p.step = seq;
    return p;
  });
}

/** A log of blocks of the given sizes, and where each block starts (plus the end). */
function writeLog(sizes: number[]): { file: string; offsets: number[] } {
  const file = path.join(tmp, `log-${files++}.bin`);
  const w = MetricsLogWriter.open(file);
  const offsets = [0];
  let seq = 0;
  for (const n of sizes) {
    w.append(points(n, seq));
    seq += n;
    offsets.push(w.bytes);
  }
  w.close();
  return { file, offsets };
}

interface Seen {
  points: MetricPoint[];
  seqs: number[];
  blocks: { offset: number; firstSeq: number; count: number; length: number }[];
}

/** What a scan hands out, turned back into points with their sequence numbers (copied: the columns are reused). */
function collect(reader: MetricsLogReader, maxPoints?: number): Seen & { scan: LogScan } {
  const seen: Seen = { points: [], seqs: [], blocks: [] };
  const scan = reader.scan((b: PointColumns) => {
    seen.blocks.push({ offset: b.offset, firstSeq: b.firstSeq, count: b.count, length: b.length });
    for (let i = 0; i < b.length; i++) {
      const p: MetricPoint = { name: b.names[b.ids[i]!]!, value: b.values[i]!, time: b.times[i]! };
      if (!Number.isNaN(b.steps[i]!)) p.step = b.steps[i]!;
      seen.points.push(p);
      seen.seqs.push(b.firstSeq + (b.at ? b.at[i]! : i));
    }
  }, maxPoints);
  return { ...seen, scan };
}

const seqsOf = (r: { firstSeq: number; points: unknown[]; seqs?: number[] }): number[] => r.seqs ?? r.points.map((_, i) => r.firstSeq + i);

describe('metrics log, streaming scan', () => {
  it('hands out every block as columns, equal to what the object reader returns', () => {
    const { file, offsets } = writeLog([7, 1, 300, 2]);
    const seen = collect(new MetricsLogReader(file));
    const read = readAllPoints(file);
    assert.deepEqual(seen.points, read.points);
    assert.deepEqual(seen.seqs, seqsOf(read));
    assert.deepEqual(
      seen.blocks.map((b) => b.offset),
      offsets.slice(0, -1),
    );
    assert.deepEqual(seen.scan, { points: 310, tornBytes: 0 });
  });

  it('reads in batches of whole blocks, from where the last batch ended, and rewinds like read()', () => {
    const { file, offsets } = writeLog([4, 4, 4, 4]);
    const reader = new MetricsLogReader(file);
    const first = collect(reader, 5);
    assert.deepEqual([first.points.length, reader.offset, reader.nextSeq], [8, offsets[2], 8], 'whole blocks until 5 points or more');
    reader.rewind(offsets[1]!, 4);
    const again = collect(reader);
    assert.deepEqual(
      again.seqs,
      Array.from({ length: 12 }, (_, i) => 4 + i),
    );
    assert.deepEqual(collect(reader).scan, { points: 0, tornBytes: 0 }, 'nothing more at the end');
  });

  it('steps over damage in the middle, reports it once, and skips points whose name it defined', () => {
    // Block 1 (4 points) is the only one to define 'λ'; later blocks use it.
    const file = path.join(tmp, 'names.bin');
    const w = MetricsLogWriter.open(file);
    w.append([
      { name: 'a', value: 0, time: 0 },
      { name: 'b', value: 1, step: 1, time: 1 },
    ]);
    const second = w.bytes;
    w.append([
      { name: 'λ', value: 2, time: 2 },
      { name: 'a', value: 3, time: 3 },
    ]);
    const third = w.bytes;
    w.append([
      { name: 'λ', value: 4, time: 4 },
      { name: 'b', value: 5, time: 5 },
      { name: 'λ', value: 6, time: 6 },
    ]);
    w.append([{ name: 'a', value: 7, time: 7 }]);
    w.close();
    const bytes = fs.readFileSync(file);
    bytes[second + BLOCK_HEADER_BYTES + 20]! ^= 1;
    fs.writeFileSync(file, bytes);

    const reader = new MetricsLogReader(file);
    const seen = collect(reader);
    assert.deepEqual(
      seen.points.map((p) => p.value),
      [0, 1, 5, 7],
    );
    assert.deepEqual(seen.seqs, [0, 1, 5, 7], 'a gap where damage and unnamed points were');
    assert.deepEqual(seen.blocks, [
      { offset: 0, firstSeq: 0, count: 2, length: 2 },
      { offset: third, firstSeq: 4, count: 3, length: 1 },
      { offset: bytes.length - (BLOCK_HEADER_BYTES + 28 + 16), firstSeq: 7, count: 1, length: 1 },
    ]);
    assert.deepEqual(seen.scan.damage, { ranges: [{ offset: second, bytes: third - second, lostPoints: 2 }], unnamedPoints: 2 });
    const read = readAllPoints(file);
    assert.deepEqual([seen.points, seen.seqs, seen.scan.damage], [read.points, seqsOf(read), read.damage], 'the same as the object reader');

    reader.rewind(0, 0);
    assert.equal(collect(reader).scan.damage, undefined, 'reported once per reader, through a rewind');
  });

  it('stops before a torn tail and says how long it is', () => {
    const { file, offsets } = writeLog([3, 3]);
    fs.truncateSync(file, offsets[2]! - 9);
    const seen = collect(new MetricsLogReader(file));
    assert.deepEqual(seen.seqs, [0, 1, 2]);
    assert.equal(seen.scan.tornBytes, offsets[2]! - 9 - offsets[1]!);
  });

  it('splits a long append into blocks of at most 65,536 points', () => {
    const { file } = writeLog([140_000, 3]);
    const seen = collect(new MetricsLogReader(file));
    assert.deepEqual(
      seen.blocks.map((b) => b.count),
      [65_536, 65_536, 140_000 - 2 * 65_536, 3],
    );
    assert.equal(seen.seqs.at(-1), 140_002);
  });

  it('reads a block longer than 4 MiB (another writer), and steps over a length field damaged to claim one', () => {
    const long = points(160_000);
    const names = new NameTable();
    const block = encodeBlock(long, 0, names);
    assert.ok(block.length > 4 << 20);
    const file = path.join(tmp, 'long.bin');
    fs.writeFileSync(file, Buffer.concat([block, encodeBlock(points(2, 160_000), 160_000, names)]));
    const seen = collect(new MetricsLogReader(file));
    assert.equal(seen.points.length, 160_002);
    assert.deepEqual([seen.points[0], seen.points[159_999]], [long[0], long[159_999]]);

    // A block of 1,000 points whose length now claims 4.5 MB, inside the file: its CRC, checked piece by piece, fails.
    const table = new NameTable();
    const short = encodeBlock(points(1_000), 0, table);
    const damaged = Buffer.concat([short, encodeBlock(long, 1_000, table)]);
    damaged.writeUInt32LE(4_500_000, 4);
    fs.writeFileSync(file, damaged);
    const after = collect(new MetricsLogReader(file));
    assert.deepEqual(after.scan.damage?.ranges, [{ offset: 0, bytes: short.length, lostPoints: 1_000 }]);
    assert.equal(after.points.length, 0, 'the names were defined in the damaged block');
    assert.equal(after.scan.damage?.unnamedPoints, 160_000);
  });
});
