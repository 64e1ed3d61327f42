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
 * the end of the file it is a torn tail (metricsLog.ts cuts it before appending),
 * elsewhere damage that readers step over to the next block that reads.
 */

export const BLOCK_MAGIC = 0x42435254;
export const BLOCK_HEADER_BYTES = 12;
const POINT_BYTES = 28;

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32Js(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type Crc32 = (data: Uint8Array) => number;
/** zlib.crc32 is native from Node 20.15; VS Code 1.90's Node 20.9 lacks it. */
export const crc32: Crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32 ?? crc32Js;

/** Assigns file-wide ids to metric names; the writer's state across blocks. */
export class NameTable {
  private readonly ids = new Map<string, number>();
  private next: number;

  /**
   * Starts from the names a file defines (`known[id]`, holes skipped). New ids start at
   * `firstFree`, above every id the file uses, even ids whose definition is lost to damage.
   */
  constructor(known: readonly string[] = [], firstFree = known.length) {
    known.forEach((name, id) => this.ids.set(name, id));
    this.next = firstFree;
  }

  /** The id of a name, and whether this call defined it. */
  idOf(name: string): [number, boolean] {
    const known = this.ids.get(name);
    if (known !== undefined) return [known, false];
    const id = this.next++;
    this.ids.set(name, id);
    return [id, true];
  }
}

/** Encodes points into one block; `names` is updated with any new names. */
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

function readPoint(buf: Buffer, o: number, name: string): MetricPoint {
  const step = buf.readDoubleLE(o + 12);
  const point: MetricPoint = { name, value: buf.readDoubleLE(o + 4), time: buf.readDoubleLE(o + 20) };
  if (!Number.isNaN(step)) point.step = step;
  return point;
}

/**
 * Decodes the block at `offset`, or returns undefined when the bytes there are not a
 * whole block that reads: bad magic, a length past the end of `buf`, a CRC mismatch,
 * contents that overrun the payload, or a first sequence number below `minSeq` (a stale
 * copy of an earlier block). Never throws on any content. `names` maps the ids seen so
 * far; it gains the block's definitions only when the block reads.
 */
export function decodeBlock(buf: Buffer, offset: number, names: string[], minSeq = 0): DecodedBlock | undefined {
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
  let maxId = -1;
  for (let d = start + 12; d < o; ) {
    const id = buf.readUInt32LE(d);
    const len = buf.readUInt16LE(d + 4);
    names[id] = buf.toString('utf8', d + 6, d + 6 + len);
    if (id > maxId) maxId = id;
    d += 6 + len;
  }
  o += 4;
  const points: MetricPoint[] = new Array(count);
  for (let i = 0; i < count; i++, o += POINT_BYTES) {
    const name = names[buf.readUInt32LE(o)];
    if (name === undefined) return decodeSkipping(buf, o, names, { firstSeq, points, count, maxId, length: BLOCK_HEADER_BYTES + payloadLength }, i);
    points[i] = readPoint(buf, o, name);
  }
  return { firstSeq, points, count, maxId, length: BLOCK_HEADER_BYTES + payloadLength };
}

/**
 * The rest of decodeBlock from point `from` (at byte `o`) on, once a point names an id
 * with no definition: such points are left out, as no name can be trusted for them.
 */
function decodeSkipping(buf: Buffer, o: number, names: string[], block: DecodedBlock, from: number): DecodedBlock {
  const points = block.points.slice(0, from);
  const kept = Array.from({ length: from }, (_, i) => i);
  let maxId = block.maxId;
  for (let i = from; i < block.count; i++, o += POINT_BYTES) {
    const id = buf.readUInt32LE(o);
    const name = names[id];
    if (name === undefined) {
      if (id > maxId) maxId = id;
      continue;
    }
    points.push(readPoint(buf, o, name));
    kept.push(i);
  }
  return { ...block, points, kept, maxId };
}
