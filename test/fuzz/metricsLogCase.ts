// Fuzz cases for the run's metrics log (metricsLog.fuzz.ts, metricsLogIndex.fuzz.ts): random points written
// with the real writer, random damage, and the checks every target makes of what a reader returns.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BLOCK_MAGIC } from '../../src/core/store/blockFormat';
import { indexFileFor } from '../../src/core/store/logIndex';
import { MetricsLogWriter, type DamagedRange, type LoggedBatch, type LogRead } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';
import type { Rng } from './harness';

export interface Block {
  points: MetricPoint[];
  firstSeq: number;
  /** Where the block's bytes are now, after the edits so far. */
  start: number;
  end: number;
  /** An edit changed, split or cut its bytes. */
  touched: boolean;
}

/** One fuzz case: the file, the blocks written to it, and what was done to it (for the failure message). */
export interface Case {
  file: string;
  blocks: Block[];
  /** Every point written, by sequence number, as a reader returns it (a NaN step reads as no step). */
  written: MetricPoint[];
  /** The block that first used each name: it holds the name's only definition. */
  definedIn: Map<string, number>;
  log: string[];
}

/** Durability is not what these cases check, and an fsync per writer would slow them tenfold. */
export const NO_FSYNC = { fsync: 'off' } as const;

const NAMES = ['loss', 'train/loss', 'val/acc', 'lr', 'λ', '学习率', '😀/emoji', '', ' ', 'a\nb\tc', 'x'.repeat(300), 'e\u0301'];
const VALUES = [0, -0, 1, -1.5, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2];

/** A well-formed random string: ASCII, Latin, CJK, combining marks and astral code points, no lone surrogates. */
export function randomName(rng: Rng): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0xa0, 0x17f],
    [0x4e00, 0x4fff],
    [0x300, 0x36f],
    [0x1f600, 0x1f64f],
    [0, 0x1f],
  ];
  let s = '';
  for (let i = rng.int(12); i > 0; i--) {
    const [lo, hi] = rng.pick(ranges);
    s += String.fromCodePoint(rng.between(lo, hi));
  }
  return s;
}

function randomNumber(rng: Rng): number {
  return rng.bool(0.3) ? rng.pick(VALUES) : rng.bool(0.5) ? rng.int(1e6) : (rng.float() - 0.5) * 10 ** rng.between(-10, 20);
}

export function randomPoint(rng: Rng, names: string[]): MetricPoint {
  // Early names come more often, so that most blocks use names defined in earlier blocks.
  const name = names[Math.min(rng.int(names.length), rng.int(names.length))]!;
  const point: MetricPoint = { name, value: randomNumber(rng), time: rng.bool(0.8) ? 1.7e12 + rng.int(1e9) : randomNumber(rng) };
  const step = rng.int(4);
  if (step === 1) point.step = NaN;
  else if (step > 1) point.step = randomNumber(rng);
  return point;
}

export function asRead(p: MetricPoint): MetricPoint {
  const out: MetricPoint = { name: p.name, value: p.value, time: p.time };
  if (p.step !== undefined && !Number.isNaN(p.step)) out.step = p.step;
  return out;
}

export function samePoint(a: MetricPoint, b: MetricPoint): boolean {
  return a.name === b.name && Object.is(a.value, b.value) && Object.is(a.time, b.time) && Object.is(a.step, b.step);
}

export function show(p: MetricPoint | undefined): string {
  return p ? `${JSON.stringify(p.name)}=${p.value} step ${p.step} time ${p.time}` : 'nothing';
}

/** Writes random blocks with the real writer, reopening it now and then as a restarted run would. */
export function writeCase(rng: Rng, file: string): Case {
  const names = Array.from({ length: rng.between(1, 10) }, () => (rng.bool(0.6) ? rng.pick(NAMES) : randomName(rng)));
  const c: Case = { file, blocks: [], written: [], definedIn: new Map(), log: [] };
  let writer = MetricsLogWriter.open(file, NO_FSYNC);
  const blockCount = rng.between(1, 24);
  for (let b = 0; b < blockCount; b++) {
    if (rng.bool(0.04)) {
      writer.close();
      writer = MetricsLogWriter.open(file, NO_FSYNC);
    }
    const points = Array.from({ length: rng.bool(0.05) ? rng.between(100, 400) : rng.between(1, 30) }, () => randomPoint(rng, names));
    const start = writer.bytes;
    const firstSeq = writer.append(points);
    c.blocks.push({ points: points.map(asRead), firstSeq, start, end: writer.bytes, touched: false });
    for (const p of points) {
      c.written.push(asRead(p));
      if (!c.definedIn.has(p.name)) c.definedIn.set(p.name, b);
    }
  }
  writer.close();
  c.log.push(
    `wrote ${c.blocks.length} blocks (${c.blocks.map((b) => `${b.points.length} points at ${b.start}`).join(', ')}), names ${JSON.stringify([...new Set(c.written.map((p) => (p.name.length > 40 ? `${p.name.slice(0, 40)}…` : p.name)))])}`,
  );
  return c;
}

/** Bytes that look like the start of a block now and then, so that resynchronising has false leads to reject. */
function garbage(rng: Rng): Buffer {
  const bytes = rng.bytes(rng.between(1, 120));
  if (bytes.length >= 12 && rng.bool(0.5)) {
    bytes.writeUInt32LE(BLOCK_MAGIC, 0);
    bytes.writeUInt32LE(rng.int(bytes.length * 2), 4);
  }
  return bytes;
}

/** Applies 1 to 3 random edits to the file, keeping track of where each block's bytes went and which were hit. */
export function damage(rng: Rng, c: Case): void {
  let buf = fs.readFileSync(c.file);
  const touch = (from: number, to: number) => c.blocks.forEach((b) => (b.touched ||= b.start < to && b.end > from));
  const insert = (at: number, bytes: Buffer) => {
    for (const b of c.blocks) {
      if (b.start < at && b.end > at) b.touched = true;
      if (b.start >= at) [b.start, b.end] = [b.start + bytes.length, b.end + bytes.length];
    }
    buf = Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at)]);
  };
  for (let n = rng.between(1, 3); n > 0 && buf.length > 0; n--) {
    const at = rng.int(buf.length);
    switch (rng.int(6)) {
      case 0: {
        const bit = rng.int(8);
        buf[at]! ^= 1 << bit;
        touch(at, at + 1);
        c.log.push(`flipped bit ${bit} of byte ${at}`);
        break;
      }
      case 1: {
        // Now and then a whole zeroed page, as a disk or file system loses it.
        const page = rng.bool(0.1);
        const from = page ? at - (at % 4096) : at;
        const run = page ? Buffer.alloc(4096) : rng.bool(0.5) ? Buffer.alloc(rng.between(1, 40)) : rng.bytes(rng.between(1, 40));
        run.copy(buf, from);
        touch(from, from + run.length);
        c.log.push(`overwrote ${run.length} bytes at ${from}`);
        break;
      }
      case 2: {
        const cut = rng.bool(0.5) ? at : rng.between(Math.min(c.blocks[c.blocks.length - 1]!.start, at), buf.length - 1);
        buf = buf.subarray(0, cut);
        touch(cut, Infinity);
        c.log.push(`truncated to ${cut} bytes`);
        break;
      }
      case 3: {
        const bytes = garbage(rng);
        insert(at, bytes);
        c.log.push(`inserted ${bytes.length} bytes of garbage at ${at}`);
        break;
      }
      case 4: {
        const bytes = garbage(rng);
        insert(buf.length, bytes);
        c.log.push(`appended ${bytes.length} bytes of garbage`);
        break;
      }
      default: {
        const whole = c.blocks.filter((b) => b.end <= buf.length);
        if (whole.length === 0) break;
        const b = rng.pick(whole);
        const to = rng.between(b.end, buf.length);
        insert(to, Buffer.from(buf.subarray(b.start, b.end)));
        c.log.push(`copied the block at ${b.start} (seq ${b.firstSeq}) to ${to}`);
      }
    }
  }
  fs.writeFileSync(c.file, buf);
}

/**
 * Checks a reading against what was written: every point was written with the sequence
 * number it comes with, in order, and no point of a block the edits missed is missing
 * (unless its name was defined only in a block they hit). Returns the sequence numbers.
 */
export function checkRead(c: Case, read: LoggedBatch, what: string, written = c.written): number[] {
  const seqs = read.seqs ?? read.points.map((_, i) => read.firstSeq + i);
  if (seqs.length !== read.points.length) fail(c, `${what}: ${seqs.length} sequence numbers for ${read.points.length} points`);
  let last = -1;
  read.points.forEach((p, i) => {
    const seq = seqs[i]!;
    if (!(seq > last)) fail(c, `${what}: point ${i} has sequence number ${seq} after ${last}`);
    if (!written[seq] || !samePoint(p, written[seq])) fail(c, `${what}: point ${i} (seq ${seq}) is ${show(p)}, but ${show(written[seq])} was written there`);
    last = seq;
  });
  const returned = new Set(seqs);
  for (const b of c.blocks) {
    if (b.touched) continue;
    b.points.forEach((p, i) => {
      const lostName = c.blocks[c.definedIn.get(p.name)!]!.touched;
      if (!lostName && !returned.has(b.firstSeq + i)) fail(c, `${what}: ${show(p)} (seq ${b.firstSeq + i}) of the intact block at ${b.start} is missing`);
    });
  }
  return seqs;
}

/** A property that does not hold, with the case it failed on. */
class CaseFailure extends Error {}

export function fail(c: Case, message: string): never {
  throw new CaseFailure(`${message}\ncase: ${c.log.join('; ')}`);
}

let caseDir: string | undefined;

/**
 * Runs a case on a file of its own, removed afterwards with its index; the folder goes when the process
 * ends. `written`, if given, sees the case as written, before its damage.
 */
export function withCase(rng: Rng, check: (c: Case) => void, written?: (c: Case) => void): void {
  if (!caseDir) {
    const dir = (caseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-fuzz-log-')));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const file = path.join(caseDir, `${rng.seed}.bin`);
  try {
    const c = writeCase(rng, file);
    try {
      written?.(c);
      damage(rng, c);
      check(c);
    } catch (err) {
      if (err instanceof CaseFailure) throw err;
      fail(c, `threw ${err instanceof Error ? err.stack : String(err)}`);
    }
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(indexFileFor(file), { force: true });
  }
}

export const rangesText = (ranges: readonly DamagedRange[] | undefined): string => JSON.stringify(ranges ?? []);

/** The same reading both ways must agree on everything. */
export function sameRead(c: Case, a: LogRead, b: LogRead, what: string): void {
  const seqs = (r: LogRead) => JSON.stringify(r.seqs ?? r.points.map((_, i) => r.firstSeq + i));
  if (seqs(a) !== seqs(b)) fail(c, `${what}: sequence numbers ${seqs(a)} and ${seqs(b)}`);
  a.points.forEach((p, i) => samePoint(p, b.points[i]!) || fail(c, `${what}: point ${i} is ${show(p)} and ${show(b.points[i])}`));
  if (a.tornBytes !== b.tornBytes || JSON.stringify(a.damage ?? null) !== JSON.stringify(b.damage ?? null)) {
    fail(c, `${what}: torn ${a.tornBytes} and ${b.tornBytes}, damage ${JSON.stringify(a.damage)} and ${JSON.stringify(b.damage)}`);
  }
}
