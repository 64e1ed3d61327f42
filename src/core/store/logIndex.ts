import * as fs from 'node:fs';
import { crc32, defineNames, type NameDefinition } from './blockFormat';
import { readBlockAt, type LogWindow } from './logFile';
import type { DamagedRange, LogCheckpoint } from './logScanner';

/*
 * metrics.idx (docs/run-format.md): where a writer's scan of metrics.bin stood, so that opening a long
 * log reads its tail rather than all of it. Little-endian:
 *
 *   index   := magic u32 "TRCI" | CRC-32 of the sections u32 | section*
 *   section := tag u32 | byte length u32 | body     (a tag this code does not know is skipped)
 *   HEAD    := logBytes f64 | nextSeq f64 | lastBlockAt f64 (-1: none) | firstFreeId f64 | unnamedPoints f64
 *   NAME    := count u32 | (id u32 | definedAt f64 | byte length u16 | UTF-8 bytes)*
 *   DMGE    := count u32 | (offset f64 | bytes f64 | lostPoints f64)*
 *
 * The log stays the truth: an index is used only when it agrees with the log where that can be
 * checked cheaply (logAgrees), and anything else about it sends the opener back to a full scan.
 */

const INDEX_MAGIC = 0x49435254;
const tag = (s: string): number => Buffer.from(s, 'latin1').readUInt32LE(0);
const HEAD = tag('HEAD');
const NAME = tag('NAME');
const DMGE = tag('DMGE');
/** Larger than any index a real log needs (names are few); a larger file is not read at all. */
export const MAX_INDEX_BYTES = 16 << 20;

/** The index file beside a log: metrics.bin → metrics.idx. */
export function indexFileFor(logFile: string): string {
  return logFile.endsWith('.bin') ? `${logFile.slice(0, -4)}.idx` : `${logFile}.idx`;
}

class Out {
  private readonly parts: Buffer[] = [];

  f64(...xs: number[]): this {
    const b = Buffer.allocUnsafe(8 * xs.length);
    xs.forEach((x, i) => b.writeDoubleLE(x, 8 * i));
    return this.push(b);
  }

  u32(x: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(x);
    return this.push(b);
  }

  push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  section(sectionTag: number): Buffer {
    const body = Buffer.concat(this.parts);
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32LE(sectionTag, 0);
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body]);
  }
}

export function encodeIndex(cp: LogCheckpoint): Buffer {
  const names = new Out().u32(cp.names.length);
  for (const d of cp.names) {
    const bytes = Buffer.from(d.name, 'utf8').subarray(0, 0xffff);
    const head = Buffer.allocUnsafe(14);
    head.writeUInt32LE(d.id, 0);
    head.writeDoubleLE(d.definedAt, 4);
    head.writeUInt16LE(bytes.length, 12);
    names.push(head).push(bytes);
  }
  const damage = new Out().u32(cp.damage.ranges.length);
  for (const r of cp.damage.ranges) damage.f64(r.offset, r.bytes, r.lostPoints);
  const sections = Buffer.concat([
    new Out().f64(cp.logBytes, cp.nextSeq, cp.lastBlockAt, cp.firstFreeId, cp.damage.unnamedPoints).section(HEAD),
    names.section(NAME),
    damage.section(DMGE),
  ]);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(INDEX_MAGIC, 0);
  head.writeUInt32LE(crc32(sections), 4);
  return Buffer.concat([head, sections]);
}

const isCount = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;

/** The NAME section's definitions; a RangeError if they run past its end. */
function parseNames(b: Buffer): NameDefinition[] {
  const names: NameDefinition[] = [];
  let o = 4;
  for (let n = b.readUInt32LE(0); n > 0; n--) {
    const id = b.readUInt32LE(o);
    const definedAt = b.readDoubleLE(o + 4);
    const len = b.readUInt16LE(o + 12);
    if (o + 14 + len > b.length) throw new RangeError('name past the end');
    names.push({ id, definedAt, name: b.toString('utf8', o + 14, o + 14 + len) });
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

/** The checkpoint an index holds, or undefined if it is not a whole, well-formed index whose figures hang together. */
export function decodeIndex(buf: Buffer): LogCheckpoint | undefined {
  try {
    if (buf.length < 8 || buf.readUInt32LE(0) !== INDEX_MAGIC || crc32(buf.subarray(8)) !== buf.readUInt32LE(4)) return undefined;
    const sections = new Map<number, Buffer>();
    for (let o = 8; o < buf.length; ) {
      const end = o + 8 + buf.readUInt32LE(o + 4);
      if (end > buf.length) return undefined;
      sections.set(buf.readUInt32LE(o), buf.subarray(o + 8, end));
      o = end;
    }
    const head = sections.get(HEAD);
    const nameBytes = sections.get(NAME);
    const damageBytes = sections.get(DMGE);
    if (!head || head.length < 40 || !nameBytes || !damageBytes) return undefined;
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

function consistent(cp: LogCheckpoint): boolean {
  if (![cp.logBytes, cp.nextSeq, cp.firstFreeId, cp.damage.unnamedPoints].every(isCount) || cp.firstFreeId > 2 ** 32) return false;
  if (cp.logBytes === 0 ? cp.lastBlockAt !== -1 || cp.nextSeq !== 0 : !isCount(cp.lastBlockAt) || cp.lastBlockAt >= cp.logBytes) return false;
  if (!cp.names.every((d) => d.id < cp.firstFreeId && isCount(d.definedAt) && d.definedAt <= cp.lastBlockAt)) return false;
  return cp.damage.ranges.every((r) => [r.offset, r.bytes, r.lostPoints].every(isCount) && r.offset + r.bytes <= cp.logBytes);
}

/**
 * Whether the log bears the index out where it can be checked without reading it all: the index's last
 * block is there, reads, ends where the index says and numbers its points up to the index's next
 * sequence number; and each block the index says defines names defines exactly those. A log changed
 * anywhere else before the index's end is not noticed, and needs not be: a writer only goes on from
 * the end and the names (docs/run-format.md, metrics.idx).
 */
export function logAgrees(cp: LogCheckpoint, window: LogWindow): boolean {
  if (cp.logBytes > window.size) return false;
  if (cp.logBytes === 0) return cp.names.length === 0;
  const last = readBlockAt(window, cp.lastBlockAt, 0);
  if (!last || cp.lastBlockAt + last.layout.length !== cp.logBytes || last.layout.firstSeq + last.layout.count !== cp.nextSeq) return false;
  const byBlock = new Map<number, Map<number, string>>();
  for (const d of cp.names) {
    const defs = byBlock.get(d.definedAt) ?? new Map<number, string>();
    if (defs.has(d.id)) return false;
    byBlock.set(d.definedAt, defs.set(d.id, d.name));
  }
  for (const [at, defs] of byBlock) {
    const block = readBlockAt(window, at, 0);
    if (!block) return false;
    const found = new Map<number, string>();
    defineNames(block.buf, block.layout, [], (id, name) => found.set(id, name));
    if (found.size !== defs.size || [...defs].some(([id, name]) => found.get(id) !== name)) return false;
  }
  return true;
}

/** The index file's bytes, or undefined when there is none to trust: missing, not a plain file (a link, a pipe), or too large. */
export function readIndexFile(file: string): Buffer | undefined {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_INDEX_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(stat.size);
    return fs.readSync(fd, buf, 0, buf.length, 0) === buf.length ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
