import * as fs from 'node:fs';
import type { MetricPoint } from '../types';
import { BLOCK_HEADER_BYTES, BLOCK_MAGIC, decodeBlock, encodeBlock, NameTable, type DecodedBlock } from './blockFormat';

/** Points read from the log, in order, with their sequence numbers. */
export interface LoggedBatch {
  /** Sequence number of points[0]; with no points, the reader's nextSeq. */
  firstSeq: number;
  points: MetricPoint[];
  /** Only when damage left gaps in the numbering: the sequence number of each point. Without it, points[i] has firstSeq + i. */
  seqs?: number[];
}

/** Bytes between two blocks that read, holding none: readers step over them, nobody removes them. */
export interface DamagedRange {
  offset: number;
  bytes: number;
  /** Points lost with them: the gap in sequence numbers across them. */
  lostPoints: number;
}

/** Damage a reader met for the first time. */
export interface DamageReport {
  ranges: DamagedRange[];
  /** Points of blocks that read, skipped because the block that defined their name is damaged. */
  unnamedPoints: number;
}

export interface LogRead extends LoggedBatch {
  /** Bytes after the last block that reads that hold no block that reads: a torn tail, or a block still being written. */
  tornBytes: number;
  /** Only when this read met damage this reader had not reported before. */
  damage?: DamageReport;
}

/** Reads one whole block at `offset` with two reads, or undefined where none fits before `fileSize`. */
function readBlockBytes(fd: number, offset: number, fileSize: number): Buffer | undefined {
  if (offset + BLOCK_HEADER_BYTES > fileSize) return undefined;
  const header = Buffer.allocUnsafe(BLOCK_HEADER_BYTES);
  if (fs.readSync(fd, header, 0, BLOCK_HEADER_BYTES, offset) < BLOCK_HEADER_BYTES || header.readUInt32LE(0) !== BLOCK_MAGIC) return undefined;
  const total = BLOCK_HEADER_BYTES + header.readUInt32LE(4);
  if (offset + total > fileSize) return undefined;
  const block = Buffer.allocUnsafe(total);
  return fs.readSync(fd, block, 0, total, offset) === total ? block : undefined;
}

const MAGIC_BYTES = Buffer.from([BLOCK_MAGIC & 0xff, (BLOCK_MAGIC >>> 8) & 0xff, (BLOCK_MAGIC >>> 16) & 0xff, BLOCK_MAGIC >>> 24]);
const SCAN_CHUNK = 1 << 16;

/** Offsets from `from` on where the block magic starts, found a chunk at a time so that damage costs no memory. */
function* magicOffsets(fd: number, from: number, size: number): Generator<number> {
  const chunk = Buffer.allocUnsafe(SCAN_CHUNK);
  // Chunks overlap by 3 bytes, so that a magic across a boundary is found, and found once.
  for (let base = from; base + BLOCK_HEADER_BYTES <= size; base += SCAN_CHUNK - 3) {
    const view = chunk.subarray(0, fs.readSync(fd, chunk, 0, Math.min(SCAN_CHUNK, size - base), base));
    for (let i = view.indexOf(MAGIC_BYTES); i >= 0; i = view.indexOf(MAGIC_BYTES, i + 1)) yield base + i;
  }
}

function openIfExists(file: string): number | undefined {
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Reads a metrics log forward from a byte offset, block by block, keeping the
 * name table. Steps over damaged bytes to the next block that reads, and stops
 * quietly at a torn tail; never throws on what the file holds.
 */
export class MetricsLogReader {
  private readonly names: string[] = [];
  private firstFreeId = 0;
  private position = 0;
  private nextSeqValue = 0;
  /** Damage before this offset was reported already: reading it again after a rewind does not repeat it. */
  private reportedTo = 0;
  private unreported: DamageReport | undefined;

  constructor(private readonly file: string) {}

  get offset(): number {
    return this.position;
  }

  /** Sequence number of the next point this reader will return. */
  get nextSeq(): number {
    return this.nextSeqValue;
  }

  /** Reads whole blocks until it has `maxPoints` points or more, or to the end: at most `maxPoints` - 1 points plus one block. */
  read(maxPoints = Infinity): LogRead {
    const fd = openIfExists(this.file);
    if (fd === undefined) return { firstSeq: this.nextSeqValue, points: [], tornBytes: 0 };
    try {
      const size = fs.fstatSync(fd).size;
      let firstSeq = this.nextSeqValue;
      let points: MetricPoint[] = [];
      let seqs: number[] | undefined;
      while (points.length < maxPoints) {
        const block = this.step(fd, size);
        if (!block) break;
        if (block.points.length === 0) continue;
        if (points.length === 0) firstSeq = block.firstSeq + (block.kept?.[0] ?? 0);
        if (!seqs && (block.kept || block.firstSeq !== firstSeq + points.length)) seqs = points.map((_, i) => firstSeq + i);
        if (seqs) for (let i = 0; i < block.points.length; i++) seqs.push(block.firstSeq + (block.kept ? block.kept[i]! : i));
        // Appending in place: concat would copy everything read so far once per block.
        if (points.length === 0) points = block.points;
        else for (const p of block.points) points.push(p);
      }
      const result: LogRead = { firstSeq: points.length > 0 ? firstSeq : this.nextSeqValue, points, tornBytes: Math.max(0, size - this.position) };
      if (seqs) result.seqs = seqs;
      if (this.unreported) result.damage = this.unreported;
      this.unreported = undefined;
      return result;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Goes back to a block boundary this reader passed (to read a batch again after a failed delivery). */
  rewind(offset: number, seq: number): void {
    this.position = offset;
    this.nextSeqValue = seq;
  }

  /**
   * Continues from a block boundary this reader reported earlier (after a restart), learning
   * the names defined before it; damage met on the way comes with the next read.
   */
  resumeAt(offset: number): void {
    const fd = openIfExists(this.file);
    if (fd === undefined) return;
    try {
      const size = fs.fstatSync(fd).size;
      while (this.position < offset && this.step(fd, size, offset));
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The names the log read so far defines, with new ids above every id it uses: a writer's starting point. */
  nameTable(): NameTable {
    return new NameTable(this.names, this.firstFreeId);
  }

  /**
   * Moves past the next block that reads, and any damage before it; undefined at the end or a
   * torn tail, or when the damage ends at or past `stopAt` (the block there is left unread).
   */
  private step(fd: number, size: number, stopAt = Infinity): DecodedBlock | undefined {
    if (this.position + BLOCK_HEADER_BYTES > size) return undefined;
    let block = this.blockAt(fd, this.position, size);
    if (!block) {
      const next = this.resync(fd, size);
      if (!next) return undefined;
      if (this.position >= this.reportedTo) {
        this.report().ranges.push({ offset: this.position, bytes: next.offset - this.position, lostPoints: next.block.firstSeq - this.nextSeqValue });
      }
      this.position = next.offset;
      this.reportedTo = Math.max(this.reportedTo, this.position);
      this.nextSeqValue = next.block.firstSeq;
      if (this.position >= stopAt) return undefined;
      block = next.block;
    }
    if (block.kept && this.position >= this.reportedTo) this.report().unnamedPoints += block.count - block.points.length;
    if (block.maxId >= this.firstFreeId) this.firstFreeId = block.maxId + 1;
    this.position += block.length;
    this.reportedTo = Math.max(this.reportedTo, this.position);
    this.nextSeqValue = block.firstSeq + block.count;
    return block;
  }

  private blockAt(fd: number, offset: number, size: number): DecodedBlock | undefined {
    const bytes = readBlockBytes(fd, offset, size);
    return bytes && decodeBlock(bytes, 0, this.names, this.nextSeqValue);
  }

  /** The first block that reads after the current position: where a reader goes on after damage. */
  private resync(fd: number, size: number): { offset: number; block: DecodedBlock } | undefined {
    for (const offset of magicOffsets(fd, this.position + 1, size)) {
      const block = this.blockAt(fd, offset, size);
      if (block) return { offset, block };
    }
    return undefined;
  }

  private report(): DamageReport {
    return (this.unreported ??= { ranges: [], unnamedPoints: 0 });
  }
}

/** One sentence for the log: where the damage is and what it cost, and that nothing was removed. */
export function describeDamage(damage: DamageReport): string {
  const ranges = damage.ranges.map((r) => `${r.bytes} bytes at offset ${r.offset} (${r.lostPoints} point${r.lostPoints === 1 ? '' : 's'} lost)`);
  const unnamed = damage.unnamedPoints > 0 ? [`${damage.unnamedPoints} later point${damage.unnamedPoints === 1 ? '' : 's'} whose metric name was defined there`] : [];
  return `metrics.bin is damaged: ${[...ranges, ...unnamed].join('; ')}; readers step over it and it is kept as it is`;
}

/** Every point of a log file that reads, with how many trailing bytes were torn and what damage was skipped. */
export function readAllPoints(file: string): LogRead {
  return new MetricsLogReader(file).read();
}

/**
 * Opens the log for appending (creating it), refusing to follow a symbolic link at its name: a run folder
 * from a cloned repository could point metrics.bin at any file, which opening would then truncate.
 */
function openForAppend(file: string): number {
  const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
  try {
    return fs.openSync(file, O_RDWR | O_APPEND | O_CREAT | (O_NOFOLLOW ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${file} is a symbolic link; a metrics log is never written through one`);
    throw err;
  }
}

/**
 * Appends blocks to a metrics log. Opening an existing log keeps its names and
 * sequence numbers and cuts off a torn tail, so that later blocks stay readable;
 * damage before the last block that reads is kept, for readers to step over.
 */
export class MetricsLogWriter {
  private constructor(
    private readonly fd: number,
    private readonly names: NameTable,
    private seq: number,
    private size: number,
    /** Damage found in the log on opening, if any. */
    readonly damage: DamageReport | undefined,
  ) {}

  static open(file: string): MetricsLogWriter {
    const reader = new MetricsLogReader(file);
    reader.resumeAt(Infinity);
    const { tornBytes, damage } = reader.read();
    const fd = openForAppend(file);
    if (tornBytes > 0) fs.ftruncateSync(fd, reader.offset);
    return new MetricsLogWriter(fd, reader.nameTable(), reader.nextSeq, reader.offset, damage);
  }

  /** Sequence number the next appended point gets: one past the last point of the log's last block that reads. */
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
