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
 * Blocks are appended whole; a block cut short by a crash fails its length or
 * CRC check and it, and anything after it, is skipped on read.
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

  /** The id of a name, and whether this call defined it. */
  idOf(name: string): [number, boolean] {
    const known = this.ids.get(name);
    if (known !== undefined) return [known, false];
    const id = this.ids.size;
    this.ids.set(name, id);
    return [id, true];
  }

  get size(): number {
    return this.ids.size;
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
  points: MetricPoint[];
  /** Bytes the block took, header included. */
  length: number;
}

/**
 * Decodes the block at `offset`, or returns undefined when the bytes there are
 * not a whole, intact block (a torn tail). `names` maps ids seen so far.
 */
export function decodeBlock(buf: Buffer, offset: number, names: string[]): DecodedBlock | undefined {
  if (offset + BLOCK_HEADER_BYTES > buf.length) return undefined;
  if (buf.readUInt32LE(offset) !== BLOCK_MAGIC) return undefined;
  const payloadLength = buf.readUInt32LE(offset + 4);
  const start = offset + BLOCK_HEADER_BYTES;
  if (start + payloadLength > buf.length) return undefined;
  if (crc32(buf.subarray(start, start + payloadLength)) !== buf.readUInt32LE(offset + 8)) return undefined;
  let o = start;
  const firstSeq = buf.readDoubleLE(o);
  o += 8;
  const nameCount = buf.readUInt32LE(o);
  o += 4;
  for (let i = 0; i < nameCount; i++) {
    const id = buf.readUInt32LE(o);
    const len = buf.readUInt16LE(o + 4);
    names[id] = buf.toString('utf8', o + 6, o + 6 + len);
    o += 6 + len;
  }
  const count = buf.readUInt32LE(o);
  o += 4;
  const points: MetricPoint[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const step = buf.readDoubleLE(o + 12);
    const point: MetricPoint = { name: names[buf.readUInt32LE(o)] ?? '?', value: buf.readDoubleLE(o + 4), time: buf.readDoubleLE(o + 20) };
    if (!Number.isNaN(step)) point.step = step;
    points[i] = point;
    o += POINT_BYTES;
  }
  return { firstSeq, points, length: BLOCK_HEADER_BYTES + payloadLength };
}
