import * as fs from 'node:fs';
import type { MetricPoint } from '../types';
import { writeFileAtomic } from './atomicFile';
import { encodeBlock, NameTable, type NameDefinition } from './blockFormat';
import { DEFAULT_FSYNC, type FsyncPolicy } from './fsyncPolicy';
import { openForAppend, STREAM_READ_AHEAD } from './logFile';
import { decodeIndex, encodeIndex, indexFileFor, logAgrees, readIndexFile } from './logIndex';
import { LogScanner, type DamageReport } from './logScanner';

/** A writer splits larger appends, so that no reader ever needs more than one such block in memory. */
const MAX_BLOCK_POINTS = 1 << 16;
/** The index is rewritten after this much log, so that opening after a crash reads at most this much. */
const INDEX_EVERY_BYTES = 4 << 20;

export interface LogWriterOptions {
  /** Default DEFAULT_FSYNC: at close, and at most 5 s after a point is written. */
  fsync?: FsyncPolicy;
  /** Told when a periodic fsync fails; the points are written, but the disk may not hold them yet. */
  onSyncError?: (error: Error) => void;
  /**
   * Told of each block once it is written, as the points it was made of: what a consumer needs without decoding the
   * block again (the run's series index). `names` is every name the log defines so far (the block's own last).
   */
  onPoints?: (points: readonly MetricPoint[], block: WrittenBlock) => void;
}

/** Where a block was written, what it numbers and the names defined up to it: onPoints' account of the block. */
export interface WrittenBlock {
  offset: number;
  /** Bytes the block takes, header included. */
  length: number;
  firstSeq: number;
  names: readonly NameDefinition[];
}

/**
 * Where the log ends and what it defines, from the index when the log bears it out (then only
 * the tail after it is read), else from a scan of the whole log. Nothing is decoded into points.
 */
function scanForAppend(fd: number, indexFile: string): { scanner: LogScanner; size: number; upToDate: boolean } {
  const scanner = new LogScanner();
  const size = fs.fstatSync(fd).size;
  scanner.window.attach(fd, size, STREAM_READ_AHEAD);
  const bytes = readIndexFile(indexFile);
  const checkpoint = bytes && decodeIndex(bytes);
  const trusted = checkpoint !== undefined && logAgrees(checkpoint, scanner.window);
  if (trusted) scanner.startFrom(checkpoint);
  while (scanner.step());
  scanner.window.detach();
  return { scanner, size, upToDate: trusted && scanner.offset === checkpoint.logBytes };
}

/**
 * Appends blocks to a metrics log. Opening an existing log keeps its names and sequence numbers
 * and cuts off a torn tail, so that later blocks stay readable; damage before the last block that
 * reads is kept, for readers to step over. Keeps metrics.idx beside the log up to date.
 */
export class MetricsLogWriter {
  private readonly policy: FsyncPolicy;
  private indexedBytes: number;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing = false;
  private unsynced = false;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly indexFile: string,
    private readonly names: NameTable,
    private seq: number,
    private size: number,
    private lastBlockAt: number,
    /** Damage in the log, as opening found it (from the index and the tail it read, or a whole scan). */
    readonly damage: DamageReport | undefined,
    private readonly options: LogWriterOptions,
  ) {
    this.policy = options.fsync ?? DEFAULT_FSYNC;
    this.indexedBytes = size;
  }

  static open(file: string, options: LogWriterOptions = {}): MetricsLogWriter {
    const fd = openForAppend(file);
    try {
      const indexFile = indexFileFor(file);
      const { scanner, size, upToDate } = scanForAppend(fd, indexFile);
      if (size > scanner.offset) fs.ftruncateSync(fd, scanner.offset);
      const names = new NameTable(scanner.definitions, scanner.firstFreeId);
      const writer = new MetricsLogWriter(fd, indexFile, names, scanner.nextSeq, scanner.offset, scanner.lastBlockAt, scanner.takeDamage(), options);
      if (!upToDate && scanner.offset > 0) writer.writeIndex();
      return writer;
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Sequence number the next appended point gets: one past the last point of the log's last block that reads. */
  get nextSeq(): number {
    return this.seq;
  }

  get bytes(): number {
    return this.size;
  }

  /** Writes the points as one block (or several, past MAX_BLOCK_POINTS); they survive a crash of this process when this returns. */
  append(points: readonly MetricPoint[]): number {
    const first = this.seq;
    for (let from = 0; from < points.length; from += MAX_BLOCK_POINTS) {
      this.appendBlock(points.length <= MAX_BLOCK_POINTS ? points : points.slice(from, from + MAX_BLOCK_POINTS));
    }
    return first;
  }

  /** Flushes to the disk itself now, for durability against a machine crash. */
  sync(): void {
    fs.fdatasyncSync(this.fd);
  }

  /** Writes the index, flushes to the disk unless the policy is `off`, and closes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.syncTimer);
    try {
      if (this.indexedBytes !== this.size) this.writeIndex();
      if (this.policy !== 'off') fs.fdatasyncSync(this.fd);
    } finally {
      // A periodic fsync still running on another thread closes the file when it is done.
      if (!this.syncing) fs.closeSync(this.fd);
    }
  }

  private appendBlock(points: readonly MetricPoint[]): void {
    const block = encodeBlock(points, this.seq, this.names);
    try {
      for (let written = 0; written < block.length; ) written += fs.writeSync(this.fd, block, written, block.length - written, this.size + written);
    } catch (err) {
      // A block cut short (a full disk) is a torn tail: cut it, so that the next block starts where it did.
      this.names.rollback();
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        // the next open cuts it instead
      }
      throw err;
    }
    this.names.commit(this.size);
    this.options.onPoints?.(points, { offset: this.size, length: block.length, firstSeq: this.seq, names: this.names.definitions() });
    this.lastBlockAt = this.size;
    this.size += block.length;
    this.seq += points.length;
    if (this.size - this.indexedBytes >= INDEX_EVERY_BYTES) this.writeIndex();
    this.unsynced = true;
    this.scheduleSync();
  }

  private scheduleSync(): void {
    if (typeof this.policy !== 'number' || this.syncTimer || this.syncing || this.closed) return;
    this.syncTimer = setTimeout(() => this.syncNow(), this.policy * 1000);
    this.syncTimer.unref();
  }

  /** fsync off the event loop: on a slow disk it takes long, and appends go on meanwhile. */
  private syncNow(): void {
    this.syncTimer = undefined;
    this.syncing = true;
    this.unsynced = false;
    fs.fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (this.closed) {
        fs.close(this.fd, () => undefined);
        return;
      }
      if (err) this.options.onSyncError?.(err);
      if (this.unsynced) this.scheduleSync();
    });
  }

  private writeIndex(): void {
    try {
      const damage = this.damage ?? { ranges: [], unnamedPoints: 0 };
      writeFileAtomic(
        this.indexFile,
        encodeIndex({
          logBytes: this.size,
          nextSeq: this.seq,
          lastBlockAt: this.lastBlockAt,
          firstFreeId: this.names.firstFree,
          names: this.names.definitions(),
          damage,
        }),
      );
      this.indexedBytes = this.size;
    } catch {
      // The index only saves time: without it, the next open scans the whole log.
    }
  }
}
