import * as zlib from 'node:zlib';
import type { MetricPoint } from '../types';

/*
 * The metrics file of a run (docs/run-format.md): a sequence of blocks, each
 *
 *   magic u32 "TRCB" | payload length u32 | CRC-32 of the payload u32 | payload
 *
 * and the payload, little-endian:
 *
 *   first sequence number f64 | name count u32 | names | point count u32 | points
 *   name  := id u32 | byte length u16 | UTF-8 bytes      (ids are per file, defined once)
 *   point := name id u32 | value f64 | step f64 (NaN: none) | time f64 (ms since epoch)
 *
 * Blocks are appended whole. A block that fails its checks is skipped on read: at
 * the end of the file it is a torn tail (the writer cuts it before appending),
 * elsewhere damage that readers step over to the next block that reads.
 */

export const BLOCK_MAGIC = 0x42435254;
export const BLOCK_HEADER_BYTES = 12;
export const POINT_BYTES = 28;

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32Js(data: Uint8Array, value = 0): number {
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type Crc32 = (data: Uint8Array, value?: number) => number;
/** zlib.crc32 is native from Node 20.15; VS Code 1.90's Node 20.9 lacks it. `value` continues an earlier CRC. */
export const crc32: Crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32 ?? crc32Js;

/** A name the log defines: its id and the offset of the block that holds the definition. */
export interface NameDefinition {
  id: number;
  name: string;
  definedAt: number;
}

/** Assigns file-wide ids to metric names; the writer's state across blocks. */
export class NameTable {
  private readonly ids = new Map<string, number>();
  private readonly defined: NameDefinition[] = [];
  /** Ids handed out for the block being written, defined only once it is in the file. */
  private fresh: NameDefinition[] = [];
  private next: number;

  /** Starts from the names a file defines; new ids start at `firstFree`, above every id the file uses, even ids whose definition is lost to damage. */
  constructor(known: readonly NameDefinition[] = [], firstFree = 0) {
    this.next = firstFree;
    for (const d of known) {
      this.ids.set(d.name, d.id);
      this.defined.push(d);
      if (d.id >= this.next) this.next = d.id + 1;
    }
  }

  /** The id of a name, and whether this call defined it. */
  idOf(name: string): [number, boolean] {
    const known = this.ids.get(name);
    if (known !== undefined) return [known, false];
    const id = this.next++;
    this.ids.set(name, id);
    this.fresh.push({ id, name, definedAt: -1 });
    return [id, true];
  }

  /** The block that defines the names handed out since the last call is in the file at `offset`. */
  commit(offset: number): void {
    for (const d of this.fresh) this.defined.push({ ...d, definedAt: offset });
    this.fresh = [];
  }

  /** That block never reached the file: its names are undefined again, so the next block defines them. */
  rollback(): void {
    for (const d of this.fresh) this.ids.delete(d.name);
    if (this.fresh.length > 0) this.next = this.fresh[0]!.id;
    this.fresh = [];
  }

  get firstFree(): number {
    return this.next;
  }

  definitions(): readonly NameDefinition[] {
    return this.defined;
  }
}

/** Encodes points into one block; `names` hands out ids for new names (commit or roll them back after writing). */
export function encodeBlock(points: readonly MetricPoint[], firstSeq: number, names: NameTable): Buffer {
  const ids = new Uint32Array(points.length);
  const fresh: [number, Buffer][] = [];
  let nameBytes = 0;
  for (let i = 0; i < points.length; i++) {
    const [id, isNew] = names.idOf(points[i]!.name);
    ids[i] = id;
    if (isNew) {
      const bytes = Buffer.from(points[i]!.name, 'utf8').subarray(0, 0xffff);
      fresh.push([id, bytes]);
      nameBytes += 6 + bytes.length;
    }
  }
  const payloadLength = 8 + 4 + nameBytes + 4 + points.length * POINT_BYTES;
  const buf = Buffer.allocUnsafe(BLOCK_HEADER_BYTES + payloadLength);
  let o = BLOCK_HEADER_BYTES;
  buf.writeDoubleLE(firstSeq, o);
  o += 8;
  buf.writeUInt32LE(fresh.length, o);
  o += 4;
  for (const [id, bytes] of fresh) {
    buf.writeUInt32LE(id, o);
    buf.writeUInt16LE(bytes.length, o + 4);
    bytes.copy(buf, o + 6);
    o += 6 + bytes.length;
  }
  buf.writeUInt32LE(points.length, o);
  o += 4;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    buf.writeUInt32LE(ids[i]!, o);
    buf.writeDoubleLE(p.value, o + 4);
    buf.writeDoubleLE(p.step ?? NaN, o + 12);
    buf.writeDoubleLE(p.time, o + 20);
    o += POINT_BYTES;
  }
  buf.writeUInt32LE(BLOCK_MAGIC, 0);
  buf.writeUInt32LE(payloadLength, 4);
  buf.writeUInt32LE(crc32(buf.subarray(BLOCK_HEADER_BYTES)), 8);
  return buf;
}

/** Where the parts of a block that reads are, in the buffer that holds it. */
export interface BlockLayout {
  firstSeq: number;
  nameCount: number;
  /** Index in the buffer of the first name definition. */
  namesAt: number;
  /** Index in the buffer of the first point. */
  pointsAt: number;
  /** Points the block holds. */
  count: number;
  /** Bytes the block takes, header included. */
  length: number;
}

/**
 * The layout of the block at `offset`, or undefined when the bytes there are not a whole
 * block that reads: bad magic, a length past the end of `buf`, a CRC mismatch, contents
 * that overrun the payload, or a first sequence number below `minSeq` (a stale copy of an
 * earlier block). Never throws on any content.
 */
export function checkBlock(buf: Buffer, offset: number, minSeq = 0): BlockLayout | undefined {
  if (offset + BLOCK_HEADER_BYTES > buf.length) return undefined;
  if (buf.readUInt32LE(offset) !== BLOCK_MAGIC) return undefined;
  const payloadLength = buf.readUInt32LE(offset + 4);
  const start = offset + BLOCK_HEADER_BYTES;
  const end = start + payloadLength;
  if (payloadLength < 16 || end > buf.length) return undefined;
  if (crc32(buf.subarray(start, end)) !== buf.readUInt32LE(offset + 8)) return undefined;
  // A CRC can still collide, so nothing below trusts a count before checking it against the payload.
  const firstSeq = buf.readDoubleLE(start);
  if (!Number.isSafeInteger(firstSeq) || firstSeq < minSeq) return undefined;
  const nameCount = buf.readUInt32LE(start + 8);
  let o = start + 12;
  for (let i = 0; i < nameCount; i++) {
    if (o + 6 > end) return undefined;
    o += 6 + buf.readUInt16LE(o + 4);
  }
  if (o + 4 > end) return undefined;
  const count = buf.readUInt32LE(o);
  if (o + 4 + count * POINT_BYTES !== end) return undefined;
  return { firstSeq, nameCount, namesAt: start + 12, pointsAt: o + 4, count, length: BLOCK_HEADER_BYTES + payloadLength };
}

/**
 * Adds the block's definitions to `names` (id → name), telling `onDefine` of each that was not there
 * already (a block read again after a rewind tells nothing); returns the largest id defined, -1 if none.
 */
export function defineNames(buf: Buffer, layout: BlockLayout, names: string[], onDefine?: (id: number, name: string) => void): number {
  let maxId = -1;
  for (let i = 0, d = layout.namesAt; i < layout.nameCount; i++) {
    const id = buf.readUInt32LE(d);
    const len = buf.readUInt16LE(d + 4);
    const name = buf.toString('utf8', d + 6, d + 6 + len);
    if (names[id] !== name) {
      names[id] = name;
      onDefine?.(id, name);
    }
    if (id > maxId) maxId = id;
    d += 6 + len;
  }
  return maxId;
}

/** DataView reads unaligned numbers several times faster than Buffer's read methods. */
export function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Points of the block whose name id has no definition (it was in a damaged block), and the largest such id, -1 if none. */
export function unnamedPoints(buf: Buffer, layout: BlockLayout, names: readonly string[]): { count: number; maxId: number } {
  const view = viewOf(buf);
  const count = countUnnamed(view, layout.pointsAt, layout.count, names);
  return { count, maxId: count === 0 ? -1 : largestUnnamed(view, layout.pointsAt, layout.count, names) };
}

/*
 * Every reader runs the loop below over every block it passes. It is a function of its own that returns a number and
 * does nothing after the loop: V8 compiles a hot loop while it first runs (on-stack replacement), and code after the
 * loop that had not run yet then lacks type feedback, so that the compiled loop was thrown away on every exit (once per
 * block: 86 ns a point instead of about 1). Ids past the end of `names` are checked before it is indexed: a read past
 * an array's end is a slow path of its own.
 */
function countUnnamed(view: DataView, pointsAt: number, count: number, names: readonly string[]): number {
  const known = names.length;
  let n = 0;
  for (let i = 0, o = pointsAt; i < count; i++, o += POINT_BYTES) {
    const id = view.getUint32(o, true);
    if (id >= known || names[id] === undefined) n++;
  }
  return n;
}

function largestUnnamed(view: DataView, pointsAt: number, count: number, names: readonly string[]): number {
  let maxId = -1;
  for (let i = 0, o = pointsAt; i < count; i++, o += POINT_BYTES) {
    const id = view.getUint32(o, true);
    if ((id >= names.length || names[id] === undefined) && id > maxId) maxId = id;
  }
  return maxId;
}

/** The block's points as objects, less those whose name is unknown; `kept` (only when some were left out) gives each one's position in the block. */
export function pointsOf(buf: Buffer, layout: BlockLayout, names: readonly string[]): { points: MetricPoint[]; kept?: number[] } {
  const view = viewOf(buf);
  const points: MetricPoint[] = [];
  let kept: number[] | undefined;
  for (let i = 0, o = layout.pointsAt; i < layout.count; i++, o += POINT_BYTES) {
    const name = names[view.getUint32(o, true)];
    if (name === undefined) {
      kept ??= Array.from({ length: i }, (_, k) => k);
      continue;
    }
    const point: MetricPoint = { name, value: view.getFloat64(o + 4, true), time: view.getFloat64(o + 20, true) };
    const step = view.getFloat64(o + 12, true);
    if (!Number.isNaN(step)) point.step = step;
    points.push(point);
    kept?.push(i);
  }
  return kept ? { points, kept } : { points };
}

export interface DecodedBlock {
  firstSeq: number;
  /** The block's points, less any whose name id has no definition (it was in a damaged block). */
  points: MetricPoint[];
  /** Points the block holds, skipped ones included: the block covers firstSeq to firstSeq + count - 1. */
  count: number;
  /** Only when points were skipped: the position in the block of each point in `points`. */
  kept?: number[];
  /** The largest name id the block defines, or uses without a definition; -1 if none. */
  maxId: number;
  /** Bytes the block took, header included. */
  length: number;
}

/**
 * Decodes the block at `offset` whole, or returns undefined when it does not read (see checkBlock).
 * `names` maps the ids seen so far; it gains the block's definitions only when the block reads.
 */
export function decodeBlock(buf: Buffer, offset: number, names: string[], minSeq = 0): DecodedBlock | undefined {
  const layout = checkBlock(buf, offset, minSeq);
  if (!layout) return undefined;
  const definedMax = defineNames(buf, layout, names);
  const unnamed = unnamedPoints(buf, layout, names);
  const { points, kept } = pointsOf(buf, layout, names);
  const block: DecodedBlock = { firstSeq: layout.firstSeq, points, count: layout.count, maxId: Math.max(definedMax, unnamed.maxId), length: layout.length };
  if (kept) block.kept = kept;
  return block;
}
