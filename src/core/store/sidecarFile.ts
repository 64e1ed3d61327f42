import * as fs from 'node:fs';
import type { NameDefinition } from './blockFormat';
import type { DamagedRange, LogCheckpoint } from './logScanner';

/*
 * What the two files kept beside metrics.bin share (docs/run-format.md): metrics.idx (logIndex.ts) and series.idx
 * (src/core/series/indexFile.ts) are a fixed head followed by tagged sections, and both begin with the checkpoint of
 * the log they describe, in the same three sections, decoded and checked by the same code:
 *
 *   section := tag u32 | byte length u32 | body      (a tag a reader does not know is skipped)
 *   HEAD    := logBytes f64 | nextSeq f64 | lastBlockAt f64 (-1: none) | firstFreeId f64 | unnamedPoints f64
 *   NAME    := count u32 | (id u32 | definedAt f64 | byte length u16 | UTF-8 bytes)*
 *   DMGE    := count u32 | (offset f64 | bytes f64 | lostPoints f64)*
 */

export const sectionTag = (s: string): number => Buffer.from(s, 'latin1').readUInt32LE(0);
const HEAD = sectionTag('HEAD');
const NAME = sectionTag('NAME');
const DMGE = sectionTag('DMGE');

export function f64s(...xs: number[]): Buffer {
  const b = Buffer.allocUnsafe(8 * xs.length);
  xs.forEach((x, i) => b.writeDoubleLE(x, 8 * i));
  return b;
}

export function u32s(...xs: number[]): Buffer {
  const b = Buffer.allocUnsafe(4 * xs.length);
  xs.forEach((x, i) => b.writeUInt32LE(x, 4 * i));
  return b;
}

/** A section of `parts`, its body padded with zeros to a multiple of `align` bytes (series.idx keeps its columns on 8-byte boundaries). */
export function section(tag: number, parts: readonly Buffer[], align = 1): Buffer[] {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const padded = Math.ceil(length / align) * align;
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(tag, 0);
  head.writeUInt32LE(padded, 4);
  return padded > length ? [head, ...parts, Buffer.alloc(padded - length)] : [head, ...parts];
}

/** The checkpoint's HEAD, NAME and DMGE sections. */
export function checkpointSections(cp: LogCheckpoint, align = 1): Buffer[] {
  const names: Buffer[] = [u32s(cp.names.length)];
  for (const d of cp.names) {
    const bytes = Buffer.from(d.name, 'utf8').subarray(0, 0xffff);
    const head = Buffer.allocUnsafe(14);
    head.writeUInt32LE(d.id, 0);
    head.writeDoubleLE(d.definedAt, 4);
    head.writeUInt16LE(bytes.length, 12);
    names.push(head, bytes);
  }
  const damage: Buffer[] = [u32s(cp.damage.ranges.length)];
  for (const r of cp.damage.ranges) damage.push(f64s(r.offset, r.bytes, r.lostPoints));
  return [
    ...section(HEAD, [f64s(cp.logBytes, cp.nextSeq, cp.lastBlockAt, cp.firstFreeId, cp.damage.unnamedPoints)], align),
    ...section(NAME, names, align),
    ...section(DMGE, damage, align),
  ];
}

/** The sections from `from` to the end of `buf`, in file order, each body where it lies in `buf`; undefined if one runs past the end. */
export function sectionsOf(buf: Buffer, from: number): { tag: number; body: Buffer }[] | undefined {
  const out: { tag: number; body: Buffer }[] = [];
  for (let o = from; o < buf.length; ) {
    if (o + 8 > buf.length) return undefined;
    const end = o + 8 + buf.readUInt32LE(o + 4);
    if (end > buf.length) return undefined;
    out.push({ tag: buf.readUInt32LE(o), body: buf.subarray(o + 8, end) });
    o = end;
  }
  return out;
}

const isCount = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;

/** The NAME section's definitions; a RangeError if they run past its end. */
function parseNames(b: Buffer): NameDefinition[] {
  const names: NameDefinition[] = [];
  let o = 4;
  for (let n = b.readUInt32LE(0); n > 0; n--) {
    if (o + 14 > b.length) throw new RangeError('name past the end');
    const len = b.readUInt16LE(o + 12);
    if (o + 14 + len > b.length) throw new RangeError('name past the end');
    names.push({ id: b.readUInt32LE(o), definedAt: b.readDoubleLE(o + 4), name: b.toString('utf8', o + 14, o + 14 + len) });
    o += 14 + len;
  }
  return names;
}

function parseRanges(b: Buffer): DamagedRange[] {
  const count = b.readUInt32LE(0);
  if (4 + 24 * count > b.length) throw new RangeError('ranges past the end');
  return Array.from({ length: count }, (_, i) => ({
    offset: b.readDoubleLE(4 + 24 * i),
    bytes: b.readDoubleLE(12 + 24 * i),
    lostPoints: b.readDoubleLE(20 + 24 * i),
  }));
}

/** Whether a checkpoint's figures hang together: whole numbers, a last block inside the log, names and damage before its end. */
function consistent(cp: LogCheckpoint): boolean {
  if (![cp.logBytes, cp.nextSeq, cp.firstFreeId, cp.damage.unnamedPoints].every(isCount) || cp.firstFreeId > 2 ** 32) return false;
  if (cp.logBytes === 0 ? cp.lastBlockAt !== -1 || cp.nextSeq !== 0 : !isCount(cp.lastBlockAt) || cp.lastBlockAt >= cp.logBytes) return false;
  if (!cp.names.every((d) => d.id < cp.firstFreeId && isCount(d.definedAt) && d.definedAt <= cp.lastBlockAt)) return false;
  return cp.damage.ranges.every((r) => [r.offset, r.bytes, r.lostPoints].every(isCount) && r.offset + r.bytes <= cp.logBytes);
}

/** The checkpoint the sections hold (the last of each tag), or undefined when one is missing, does not parse or does not hang together. */
export function checkpointOf(sections: readonly { tag: number; body: Buffer }[]): LogCheckpoint | undefined {
  const find = (t: number): Buffer | undefined => {
    let body: Buffer | undefined;
    for (const s of sections) if (s.tag === t) body = s.body;
    return body;
  };
  const head = find(HEAD);
  const nameBytes = find(NAME);
  const damageBytes = find(DMGE);
  if (!head || head.length < 40 || !nameBytes || !damageBytes) return undefined;
  try {
    const [logBytes, nextSeq, lastBlockAt, firstFreeId, unnamedPoints] = [0, 8, 16, 24, 32].map((o) => head.readDoubleLE(o)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const cp: LogCheckpoint = {
      logBytes,
      nextSeq,
      lastBlockAt,
      firstFreeId,
      names: parseNames(nameBytes),
      damage: { ranges: parseRanges(damageBytes), unnamedPoints },
    };
    return consistent(cp) ? cp : undefined;
  } catch {
    return undefined;
  }
}

/** A sidecar file's bytes, or undefined when there is none to trust: missing, not a plain file (a link, a pipe), cut short, or over `maxBytes`. */
export function readSidecar(file: string, maxBytes: number): Buffer | undefined {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const buf = Buffer.allocUnsafe(stat.size);
    for (let got = 0; got < buf.length; ) {
      const n = fs.readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) return undefined;
      got += n;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
