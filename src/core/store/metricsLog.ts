import * as fs from 'node:fs';
import type { MetricPoint } from '../types';
import { pointsOf } from './blockFormat';
import { ColumnBuffers, type PointColumns } from './blockColumns';
import { openIfExists, STREAM_READ_AHEAD } from './logFile';
import { LogScanner, type DamageReport, type ScannedBlock } from './logScanner';

export type { PointColumns } from './blockColumns';
export type { DamagedRange, DamageReport } from './logScanner';
export { MetricsLogWriter, type LogWriterOptions } from './logWriter';

/** Points read from the log, in order, with their sequence numbers. */
export interface LoggedBatch {
  /** Sequence number of points[0]; with no points, the reader's nextSeq. */
  firstSeq: number;
  points: MetricPoint[];
  /** Only when damage left gaps in the numbering: the sequence number of each point. Without it, points[i] has firstSeq + i. */
  seqs?: number[];
}

export interface LogRead extends LoggedBatch {
  /** Bytes after the last block that reads that hold no block that reads: a torn tail, or a block still being written. */
  tornBytes: number;
  /** Only when this read met damage this reader had not reported before. */
  damage?: DamageReport;
}

/** What a streaming scan went through. */
export interface LogScan {
  /** Points handed to the visitor. */
  points: number;
  tornBytes: number;
  /** Only when this scan met damage this reader had not reported before. */
  damage?: DamageReport;
}

/** A batch reads about what it needs, and at least this much. */
const BATCH_READ_AHEAD = 64 << 10;

/**
 * Reads a metrics log forward from a byte offset, block by block, keeping the name table.
 * Steps over damaged bytes to the next block that reads, and stops quietly at a torn tail;
 * never throws on what the file holds. `scan` hands out each block as columns, with no object
 * per point, in memory bounded by the largest block; `read` returns points as objects.
 */
export class MetricsLogReader {
  private readonly scanner = new LogScanner();
  private columns: ColumnBuffers | undefined;

  constructor(private readonly file: string) {}

  get offset(): number {
    return this.scanner.offset;
  }

  /** Sequence number of the next point this reader will return. */
  get nextSeq(): number {
    return this.scanner.nextSeq;
  }

  /** Reads whole blocks until it has `maxPoints` points or more, or to the end: at most `maxPoints` - 1 points plus one block. */
  read(maxPoints = Infinity): LogRead {
    let firstSeq = this.scanner.nextSeq;
    let points: MetricPoint[] = [];
    let seqs: number[] | undefined;
    const tornBytes = this.pass(maxPoints, (block) => {
      const got = pointsOf(block.buf, block.layout, this.scanner.names);
      const blockSeq = block.layout.firstSeq;
      if (got.points.length === 0) return 0;
      if (points.length === 0) firstSeq = blockSeq + (got.kept?.[0] ?? 0);
      if (!seqs && (got.kept || blockSeq !== firstSeq + points.length)) seqs = points.map((_, i) => firstSeq + i);
      if (seqs) for (let i = 0; i < got.points.length; i++) seqs.push(blockSeq + (got.kept ? got.kept[i]! : i));
      // Appending in place: concat would copy everything read so far once per block.
      if (points.length === 0) points = got.points;
      else for (const p of got.points) points.push(p);
      return got.points.length;
    });
    const result: LogRead = { firstSeq: points.length > 0 ? firstSeq : this.scanner.nextSeq, points, tornBytes };
    if (seqs) result.seqs = seqs;
    const damage = this.scanner.takeDamage();
    if (damage) result.damage = damage;
    return result;
  }

  /**
   * Hands each block that holds points to `visit` as columns (valid only during the call), until
   * `maxPoints` points or more went by, or to the end. Memory stays that of one block, however long the log.
   */
  scan(visit: (block: PointColumns) => void, maxPoints = Infinity): LogScan {
    const columns = (this.columns ??= new ColumnBuffers());
    let points = 0;
    const tornBytes = this.pass(maxPoints, (block) => {
      const cols = columns.fill(block.buf, block.layout, this.scanner.names, block.offset, block.unnamed);
      if (cols.length > 0) visit(cols);
      points += cols.length;
      return cols.length;
    });
    const result: LogScan = { points, tornBytes };
    const damage = this.scanner.takeDamage();
    if (damage) result.damage = damage;
    return result;
  }

  /** Goes back to a block boundary this reader passed (to read a batch again after a failed delivery). */
  rewind(offset: number, seq: number): void {
    this.scanner.rewind(offset, seq);
  }

  /**
   * Continues from a block boundary this reader reported earlier (after a restart), learning
   * the names defined before it; damage met on the way comes with the next read. Checks
   * every block on the way but decodes no point.
   */
  resumeAt(offset: number): void {
    this.withFile(STREAM_READ_AHEAD, () => {
      while (this.scanner.offset < offset && this.scanner.step(offset));
    });
  }

  /** Steps through blocks, handing each to `take` (which says how many points it took), until `maxPoints` are taken or the end; returns the torn bytes. */
  private pass(maxPoints: number, take: (block: ScannedBlock) => number): number {
    const readAhead = Number.isFinite(maxPoints) ? Math.min(STREAM_READ_AHEAD, Math.max(BATCH_READ_AHEAD, maxPoints * 32)) : STREAM_READ_AHEAD;
    return (
      this.withFile(readAhead, (size) => {
        for (let taken = 0; taken < maxPoints; ) {
          const block = this.scanner.step();
          if (!block) break;
          taken += take(block);
        }
        return Math.max(0, size - this.scanner.offset);
      }) ?? 0
    );
  }

  private withFile<T>(readAhead: number, use: (size: number) => T): T | undefined {
    const fd = openIfExists(this.file);
    if (fd === undefined) return undefined;
    try {
      const size = fs.fstatSync(fd).size;
      this.scanner.window.attach(fd, size, readAhead);
      return use(size);
    } finally {
      this.scanner.window.detach();
      fs.closeSync(fd);
    }
  }
}

/** One sentence for the log: where the damage is and what it cost, and that nothing was removed. */
export function describeDamage(damage: DamageReport): string {
  const ranges = damage.ranges.map((r) => `${r.bytes} bytes at offset ${r.offset} (${r.lostPoints} point${r.lostPoints === 1 ? '' : 's'} lost)`);
  const unnamed =
    damage.unnamedPoints > 0 ? [`${damage.unnamedPoints} later point${damage.unnamedPoints === 1 ? '' : 's'} whose metric name was defined there`] : [];
  return `metrics.bin is damaged: ${[...ranges, ...unnamed].join('; ')}; readers step over it and it is kept as it is`;
}

/** Every point of a log file that reads, as objects, with how many trailing bytes were torn and what damage was skipped. For small logs: a long one is better scanned. */
export function readAllPoints(file: string): LogRead {
  return new MetricsLogReader(file).read();
}
