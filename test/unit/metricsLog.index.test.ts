import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BLOCK_HEADER_BYTES, crc32, encodeBlock, NameTable } from '../../src/core/store/blockFormat';
import { decodeIndex, encodeIndex, MAX_INDEX_BYTES } from '../../src/core/store/logIndex';
import { MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-index-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;

function points(n: number, from: number, names: readonly string[]): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({ name: names[(from + i) % names.length]!, value: from + i, step: from + i, time: 1_000 + from + i }));
}

/**
 * A closed log in a folder of its own: block 0 defines 'a' and 'b', block 2 defines 'c', the others define
 * nothing. Returns the file, its index and the offset of each block (plus the end).
 */
function closedLog(): { file: string; index: string; offsets: number[] } {
  const dir = path.join(tmp, `log-${dirs++}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'metrics.bin');
  const w = MetricsLogWriter.open(file);
  const offsets = [0];
  for (let b = 0; b < 5; b++) {
    w.append(points(10, b * 10, b < 2 ? ['a', 'b'] : ['a', 'b', 'c']));
    offsets.push(w.bytes);
  }
  w.close();
  return { file, index: path.join(dir, 'metrics.idx'), offsets };
}

/** What a writer opening the log ends up with, without any index, and what a fresh name and an old one read back as. */
function stateOf(file: string, index: string, withIndex: boolean): { nextSeq: number; bytes: number; damage: unknown; after: string[] } {
  const saved = fs.existsSync(index) ? fs.readFileSync(index) : undefined;
  if (!withIndex) fs.rmSync(index, { force: true });
  const copy = `${file}.copy.bin`;
  fs.copyFileSync(file, copy);
  if (withIndex && saved) fs.writeFileSync(`${file}.copy.idx`, saved);
  try {
    const w = MetricsLogWriter.open(copy);
    const state = { nextSeq: w.nextSeq, bytes: w.bytes, damage: w.damage };
    w.append([
      { name: 'fresh', value: -1, time: 0 },
      { name: 'c', value: -2, time: 0 },
      { name: 'a', value: -3, time: 0 },
    ]);
    w.close();
    return {
      ...state,
      after: readAllPoints(copy)
        .points.slice(-3)
        .map((p) => `${p.name}=${p.value}`),
    };
  } finally {
    fs.rmSync(copy);
    fs.rmSync(`${file}.copy.idx`, { force: true });
    if (saved) fs.writeFileSync(index, saved);
  }
}

/** Flips one bit of block `b` of the log: damage the index cannot see unless the block defines names or is the last. */
function damageBlock(file: string, offsets: number[], b: number): void {
  const bytes = fs.readFileSync(file);
  bytes[offsets[b]! + BLOCK_HEADER_BYTES + 30]! ^= 8;
  fs.writeFileSync(file, bytes);
}

describe('metrics.idx, the log index', () => {
  it('is written at close and lets a writer open the log from its end, reading only what it names', () => {
    const { file, index, offsets } = closedLog();
    const checkpoint = decodeIndex(fs.readFileSync(index))!;
    assert.deepEqual(
      { logBytes: checkpoint.logBytes, nextSeq: checkpoint.nextSeq, lastBlockAt: checkpoint.lastBlockAt, firstFreeId: checkpoint.firstFreeId },
      { logBytes: offsets[5], nextSeq: 50, lastBlockAt: offsets[4], firstFreeId: 3 },
    );
    assert.deepEqual(checkpoint.names, [
      { id: 0, name: 'a', definedAt: 0 },
      { id: 1, name: 'b', definedAt: 0 },
      { id: 2, name: 'c', definedAt: offsets[2] },
    ]);

    // Block 3 defines nothing and is not the last: a writer using the index never reads it, and needs not.
    damageBlock(file, offsets, 3);
    const viaIndex = stateOf(file, index, true);
    const rescan = stateOf(file, index, false);
    assert.deepEqual([viaIndex.nextSeq, viaIndex.bytes, viaIndex.after], [rescan.nextSeq, rescan.bytes, rescan.after]);
    assert.deepEqual(viaIndex.after, ['fresh=-1', 'c=-2', 'a=-3']);
    assert.equal(viaIndex.damage, undefined, 'the index was used: the damaged middle was not read');
    assert.deepEqual((rescan.damage as { ranges: unknown[] }).ranges, [{ offset: offsets[3], bytes: offsets[4]! - offsets[3]!, lostPoints: 10 }]);
  });

  it('is rescanned past when the log disagrees where it can tell: its last block, or a block that defines names', () => {
    for (const b of [0, 2, 4]) {
      const { file, index, offsets } = closedLog();
      damageBlock(file, offsets, b);
      const viaIndex = stateOf(file, index, true);
      assert.deepEqual(viaIndex, stateOf(file, index, false), `block ${b} damaged`);
      assert.ok(viaIndex.damage || b === 4, 'the whole log was read again');
    }
  });

  it('keeps damage it knew of, for the next opener to report', () => {
    const { file, index, offsets } = closedLog();
    damageBlock(file, offsets, 3);
    fs.rmSync(index);
    const first = MetricsLogWriter.open(file);
    first.append(points(3, 50, ['a']));
    first.close();
    const again = MetricsLogWriter.open(file);
    assert.deepEqual(again.damage, first.damage);
    assert.equal(again.damage?.ranges.length, 1);
    again.close();
  });

  it('left behind by a crash, is used with the tail after it, torn block and all', () => {
    const dir = path.join(tmp, 'crash');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'metrics.bin');
    const crashed = MetricsLogWriter.open(file);
    // Past 4 MiB the writer rewrites the index on its own; it is never closed.
    for (let i = 0; i < 200; i++) crashed.append(points(1_000, i * 1_000, ['x', 'y', `z${i}`]));
    const stale = decodeIndex(fs.readFileSync(path.join(dir, 'metrics.idx')))!;
    assert.ok(stale.logBytes >= 4 << 20 && stale.logBytes < crashed.bytes, `index at ${stale.logBytes} of ${crashed.bytes}`);
    fs.appendFileSync(file, encodeBlock(points(5, 0, ['torn']), crashed.nextSeq, new NameTable()).subarray(0, 50));
    const viaIndex = stateOf(file, path.join(dir, 'metrics.idx'), true);
    assert.deepEqual(viaIndex, stateOf(file, path.join(dir, 'metrics.idx'), false));
    assert.deepEqual([viaIndex.nextSeq, viaIndex.bytes], [200_000, crashed.bytes]);
  });

  it('is not trusted when it is broken or lies, and never makes a writer mislabel a point', () => {
    const { file, index } = closedLog();
    const good = fs.readFileSync(index);
    const cp = decodeIndex(good)!;
    const rescan = stateOf(file, index, false);
    const lies: [string, Buffer][] = [
      ['random bytes', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff))],
      ['cut short', good.subarray(0, good.length - 7)],
      ['one bit flipped', Buffer.from(good.map((x, i) => (i === 20 ? x ^ 1 : x)))],
      ['empty', Buffer.alloc(0)],
      ['past the end of the log', encodeIndex({ ...cp, logBytes: cp.logBytes + 100, lastBlockAt: cp.lastBlockAt + 100 })],
      ['a last block that is not one', encodeIndex({ ...cp, lastBlockAt: cp.lastBlockAt - 1 })],
      ['a wrong next sequence number', encodeIndex({ ...cp, nextSeq: cp.nextSeq + 1 })],
      ['names swapped', encodeIndex({ ...cp, names: [{ ...cp.names[0]!, name: 'b' }, { ...cp.names[1]!, name: 'a' }, cp.names[2]!] })],
      ['a name left out', encodeIndex({ ...cp, names: cp.names.slice(0, 2) })],
      ['a name too many', encodeIndex({ ...cp, names: [...cp.names, { id: 7, name: 'ghost', definedAt: 0 }], firstFreeId: 8 })],
      ['a name in the wrong block', encodeIndex({ ...cp, names: [cp.names[0]!, cp.names[1]!, { ...cp.names[2]!, definedAt: 0 }] })],
      ['ids above its first free id', encodeIndex({ ...cp, firstFreeId: 1 })],
      ['damage past its end', encodeIndex({ ...cp, damage: { ranges: [{ offset: cp.logBytes, bytes: 10, lostPoints: 1 }], unnamedPoints: 0 } })],
      // The NAME section's count, after the header (8 bytes) and the HEAD section (8 + 40) and the NAME section's own tag and length.
      ['a count of 4 billion names', Buffer.concat([good.subarray(0, 64), Buffer.from([0xff, 0xff, 0xff, 0xff]), good.subarray(68)])],
    ];
    for (const [what, bytes] of lies) {
      fs.writeFileSync(index, fixCrc(bytes, what));
      assert.deepEqual(stateOf(file, index, true), rescan, what);
    }
    assert.equal(decodeIndex(fixCrc(lies.at(-1)![1], 'count')), undefined, 'a count past the end is caught by the decoder');
  });

  it('reads past a section it does not know, as a later version may add one', () => {
    const { file, index, offsets } = closedLog();
    const good = fs.readFileSync(index);
    const extra = Buffer.alloc(8 + 16);
    extra.write('MMAX', 0, 'latin1');
    extra.writeUInt32LE(16, 4);
    fs.writeFileSync(index, withCrc(Buffer.concat([good, extra])));
    damageBlock(file, offsets, 3);
    assert.equal(stateOf(file, index, true).damage, undefined, 'the index was used');
  });

  it('is never read through a link, a pipe or when too large to be one', () => {
    const { file, index, offsets } = closedLog();
    damageBlock(file, offsets, 3);
    const good = fs.readFileSync(index);
    const elsewhere = path.join(path.dirname(file), 'elsewhere.idx');
    fs.writeFileSync(elsewhere, good);
    const cases: [string, () => void][] = [
      ['a symbolic link', () => fs.symlinkSync(elsewhere, index)],
      ['a folder', () => fs.mkdirSync(index)],
      ['too large', () => fs.writeFileSync(index, Buffer.concat([good, Buffer.alloc(MAX_INDEX_BYTES)]))],
    ];
    if (process.platform !== 'win32') cases.push(['a named pipe', () => execFileSync('mkfifo', [index])]);
    for (const [what, make] of cases) {
      fs.rmSync(index, { recursive: true, force: true });
      make();
      const w = MetricsLogWriter.open(file);
      assert.ok(w.damage, `${what}: the log was scanned whole`);
      w.close();
      // A folder cannot be renamed over: the writer goes on without an index.
      if (what !== 'a folder') assert.ok(fs.lstatSync(index).isFile() && decodeIndex(fs.readFileSync(index)), `${what}: replaced by a good index`);
    }
  });

  it('opens quickly a log whose names have ids billions apart', () => {
    const dir = path.join(tmp, 'sparse');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'metrics.bin');
    const block = encodeBlock([{ name: 'near', value: 1, time: 1 }], 0, new NameTable());
    // Hand-made: the second block defines id 0xfffffff0.
    const far = encodeBlock([{ name: 'far', value: 2, time: 2 }], 1, new NameTable([], 0xfffffff0));
    fs.writeFileSync(file, Buffer.concat([block, far]));
    const began = Date.now();
    const w = MetricsLogWriter.open(file);
    w.append([{ name: 'later', value: 3, time: 3 }]);
    w.close();
    const reopened = MetricsLogWriter.open(file);
    reopened.close();
    assert.ok(Date.now() - began < 2_000, `${Date.now() - began} ms`);
    assert.deepEqual(
      readAllPoints(file).points.map((p) => p.name),
      ['near', 'far', 'later'],
    );
  });
});

/** The bytes with a correct CRC, so that the index gets past the first check (unless `what` is about that check). */
function fixCrc(bytes: Buffer, what: string): Buffer {
  return ['random bytes', 'cut short', 'one bit flipped', 'empty'].includes(what) ? bytes : withCrc(bytes);
}

function withCrc(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}
