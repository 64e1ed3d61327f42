import * as fs from 'node:fs';
import { BLOCK_HEADER_BYTES, BLOCK_MAGIC, checkBlock, crc32, type BlockLayout } from './blockFormat';

/** Blocks up to this size are read whole; a longer one is first checked against its CRC a piece at a time, so a damaged length field costs no memory. */
const WHOLE_BLOCK_MAX = 4 << 20;
const CRC_PIECE = 1 << 20;
/** Bytes read at a time by a pass that goes to the end of the file: few system calls, little memory. */
export const STREAM_READ_AHEAD = 1 << 20;

function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * Reads a log forward through one buffer that its reader keeps between passes: each read takes
 * `readAhead` bytes or the block asked for, whichever is more, so that small blocks cost no system
 * call each and a reader's memory is its largest block.
 */
export class LogWindow {
  private buf = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private readAhead = 0;
  fd = -1;
  size = 0;

  /** Binds to an open file for one pass; what an earlier pass read is forgotten, as the file may have changed since. */
  attach(fd: number, size: number, readAhead: number): void {
    Object.assign(this, { fd, size, readAhead, start: 0, end: 0 });
  }

  detach(): void {
    this.fd = -1;
    this.end = this.start;
  }

  /** The bytes from `offset` to `offset + length`, as a buffer and the index they start at; undefined past the end of the file. */
  bytes(offset: number, length: number): { buf: Buffer; at: number } | undefined {
    if (offset + length > this.size) return undefined;
    if (offset >= this.start && offset + length <= this.end) return { buf: this.buf, at: offset - this.start };
    if (length > WHOLE_BLOCK_MAX) {
      // Kept out of the window, so that one long block does not stay in memory for the reader's life.
      const own = Buffer.allocUnsafe(length);
      return readFully(this.fd, own, length, offset) === length ? { buf: own, at: 0 } : undefined;
    }
    const want = Math.min(Math.max(length, this.readAhead), this.size - offset);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(Math.min(Math.max(want, 2 * this.buf.length), WHOLE_BLOCK_MAX));
    const got = readFully(this.fd, this.buf, want, offset);
    this.start = offset;
    this.end = offset + got;
    return got >= length ? { buf: this.buf, at: 0 } : undefined;
  }

  /** CRC-32 of `length` bytes from `offset`, read a piece at a time. */
  crcOf(offset: number, length: number): number {
    let crc = 0;
    for (let done = 0; done < length; ) {
      const n = Math.min(CRC_PIECE, length - done);
      const piece = this.bytes(offset + done, n);
      if (!piece) return -1;
      crc = crc32(piece.buf.subarray(piece.at, piece.at + n), crc);
      done += n;
    }
    return crc;
  }
}

/** A block that reads, in the buffer that holds it for now. */
export interface BlockAt {
  buf: Buffer;
  layout: BlockLayout;
}

/** The block at `offset` if a whole one that reads starts there (blockFormat.ts checkBlock), else undefined. */
export function readBlockAt(window: LogWindow, offset: number, minSeq: number): BlockAt | undefined {
  const head = window.bytes(offset, BLOCK_HEADER_BYTES);
  if (!head || head.buf.readUInt32LE(head.at) !== BLOCK_MAGIC) return undefined;
  const payloadLength = head.buf.readUInt32LE(head.at + 4);
  const crc = head.buf.readUInt32LE(head.at + 8);
  const length = BLOCK_HEADER_BYTES + payloadLength;
  if (payloadLength < 16 || offset + length > window.size) return undefined;
  if (length > WHOLE_BLOCK_MAX && window.crcOf(offset + BLOCK_HEADER_BYTES, payloadLength) !== crc) return undefined;
  const whole = window.bytes(offset, length);
  const layout = whole && checkBlock(whole.buf, whole.at, minSeq);
  return layout ? { buf: whole.buf, layout } : undefined;
}

const MAGIC_BYTES = Buffer.from([BLOCK_MAGIC & 0xff, (BLOCK_MAGIC >>> 8) & 0xff, (BLOCK_MAGIC >>> 16) & 0xff, BLOCK_MAGIC >>> 24]);
const SCAN_CHUNK = 1 << 16;

/** Offsets from `from` on where the block magic starts, found a chunk at a time so that damage costs no memory. */
export function* magicOffsets(fd: number, from: number, size: number): Generator<number> {
  const chunk = Buffer.allocUnsafe(SCAN_CHUNK);
  // Chunks overlap by 3 bytes, so that a magic across a boundary is found, and found once.
  for (let base = from; base + BLOCK_HEADER_BYTES <= size; base += SCAN_CHUNK - 3) {
    const view = chunk.subarray(0, readFully(fd, chunk, Math.min(SCAN_CHUNK, size - base), base));
    for (let i = view.indexOf(MAGIC_BYTES); i >= 0; i = view.indexOf(MAGIC_BYTES, i + 1)) yield base + i;
  }
}

export function openIfExists(file: string): number | undefined {
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Opens the log for appending (creating it), refusing to follow a symbolic link at its name: a run folder
 * from a cloned repository could point metrics.bin at any file, which opening would then truncate.
 */
export function openForAppend(file: string): number {
  const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
  try {
    return fs.openSync(file, O_RDWR | O_APPEND | O_CREAT | (O_NOFOLLOW ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${file} is a symbolic link; a metrics log is never written through one`);
    throw err;
  }
}
