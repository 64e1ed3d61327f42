import * as fs from 'node:fs';
import type { MetricPoint } from '../types';
import { BLOCK_HEADER_BYTES, BLOCK_MAGIC, decodeBlock, encodeBlock, NameTable } from './blockFormat';

/** A point with its position in the log: sequence numbers count from 0 without gaps. */
export interface LoggedBatch {
  firstSeq: number;
  points: MetricPoint[];
}

/** Reads one whole block at `offset` with two reads, or undefined at the end or at a torn tail. */
function readBlockBytes(fd: number, offset: number, fileSize: number): Buffer | undefined {
  if (offset + BLOCK_HEADER_BYTES > fileSize) return undefined;
  const header = Buffer.allocUnsafe(BLOCK_HEADER_BYTES);
  fs.readSync(fd, header, 0, BLOCK_HEADER_BYTES, offset);
  if (header.readUInt32LE(0) !== BLOCK_MAGIC) return undefined;
  const total = BLOCK_HEADER_BYTES + header.readUInt32LE(4);
  if (offset + total > fileSize) return undefined;
  const block = Buffer.allocUnsafe(total);
  fs.readSync(fd, block, 0, total, offset);
  return block;
}

/**
 * Reads a metrics log forward from a byte offset, block by block, keeping the
 * name table. Stops quietly at a torn tail; `tornBytes` says how much was skipped.
 */
export class MetricsLogReader {
  private readonly names: string[] = [];
  private position = 0;
  private nextSeqValue = 0;

  constructor(private readonly file: string) {}

  get offset(): number {
    return this.position;
  }

  /** Sequence number of the next point this reader will return. */
  get nextSeq(): number {
    return this.nextSeqValue;
  }

  /** Reads blocks until about `maxPoints` points (at least one block) or the end. */
  read(maxPoints = Infinity): LoggedBatch & { tornBytes: number } {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { firstSeq: this.nextSeqValue, points: [], tornBytes: 0 };
      throw err;
    }
    try {
      const size = fs.fstatSync(fd).size;
      const firstSeq = this.nextSeqValue;
      let points: MetricPoint[] = [];
      while (points.length < maxPoints) {
        const bytes = readBlockBytes(fd, this.position, size);
        const block = bytes && decodeBlock(bytes, 0, this.names);
        if (!block) break;
        points = points.length === 0 ? block.points : points.concat(block.points);
        this.position += block.length;
        this.nextSeqValue = block.firstSeq + block.points.length;
      }
      return { firstSeq, points, tornBytes: size - this.position };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Goes back to a block boundary this reader passed (to read a batch again after a failed delivery). */
  rewind(offset: number, seq: number): void {
    this.position = offset;
    this.nextSeqValue = seq;
  }

  /** Continues from a block boundary this reader reported earlier (after a restart), learning the names defined before it. */
  resumeAt(offset: number): void {
    while (this.position < offset && this.read(1).points.length > 0);
  }
}

/** Every intact point of a log file, with how many trailing bytes were torn. */
export function readAllPoints(file: string): { points: MetricPoint[]; tornBytes: number } {
  const result = new MetricsLogReader(file).read();
  return { points: result.points, tornBytes: result.tornBytes };
}

/**
 * Appends blocks to a metrics log. Opening an existing log keeps its names and
 * sequence numbers and cuts off a torn tail, so that later blocks stay readable.
 */
export class MetricsLogWriter {
  private constructor(
    private readonly fd: number,
    private readonly names: NameTable,
    private seq: number,
    private size: number,
  ) {}

  static open(file: string): MetricsLogWriter {
    const names = new NameTable();
    const reader = new MetricsLogReader(file);
    const existing = reader.read();
    for (const p of existing.points) names.idOf(p.name);
    const fd = fs.openSync(file, 'a+');
    if (existing.tornBytes > 0) fs.ftruncateSync(fd, reader.offset);
    return new MetricsLogWriter(fd, names, reader.nextSeq, reader.offset);
  }

  /** Sequence number the next appended point gets; equals the number of points in the log. */
  get nextSeq(): number {
    return this.seq;
  }

  get bytes(): number {
    return this.size;
  }

  /** Writes the points as one block; they are durable against a crash of this process when this returns. */
  append(points: readonly MetricPoint[]): number {
    const first = this.seq;
    if (points.length === 0) return first;
    const block = encodeBlock(points, first, this.names);
    let written = 0;
    while (written < block.length) written += fs.writeSync(this.fd, block, written, block.length - written, this.size + written);
    this.size += block.length;
    this.seq += points.length;
    return first;
  }

  /** Flushes to the disk itself, for durability against a machine crash. */
  sync(): void {
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    try {
      fs.fdatasyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
    }
  }
}
