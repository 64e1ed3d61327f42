import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WrittenBlock } from '../store/logWriter';
import { METRICS_FILE } from '../store/runRecord';
import type { MetricPoint } from '../types';
import { loadSeriesIndex, saveSeriesIndex } from './indexFile';
import { indexTail } from './logRange';
import { SeriesIndex } from './seriesIndex';

/** The writer writes series.idx again after this much log (and at close): a crash leaves readers at most this much to index. */
const SAVE_EVERY_BYTES = 16 << 20;

/**
 * Keeps a run's series.idx up to date as its writer stores blocks: each block written to metrics.bin
 * is handed to `pointsWritten` (MetricsLogWriter's `onPoints`) as the points it was made of and added
 * to the index, without decoding the block again (checking and decoding it cost about 30 % of the
 * ingest rate: `npm run bench -- pipeline`). The index is written to the run folder every 16 MiB of
 * log and at close. It goes on from the series.idx it finds when the log bears it out, reading only
 * the log written after it; a run whose log has points but no usable index (written before series.idx
 * existed) is left to its first reader, which indexes it whole: the writer's open stays as cheap as
 * before. A block that does not follow on from what the index has seen (a hook called out of order)
 * switches it off; it never throws into the writer.
 */
export class SeriesIndexWriter {
  /** Definitions of the writer's table taken in so far. */
  private namesSeen = 0;
  private savedBytes: number;
  private off = false;

  private constructor(
    private readonly runDir: string,
    private readonly index: SeriesIndex,
  ) {
    this.savedBytes = index.logBytes;
  }

  /** For the run folder whose metrics.bin a writer has just opened (a torn tail already cut); undefined when the log's first reader is to index it. */
  static open(runDir: string, bucketPoints?: number): SeriesIndexWriter | undefined {
    const logFile = path.join(runDir, METRICS_FILE);
    let size: number;
    try {
      size = fs.statSync(logFile).size;
    } catch {
      size = 0;
    }
    let index = loadSeriesIndex(runDir, logFile);
    if (index) {
      const tail = indexTail(index, logFile);
      if (tail.shrunk || tail.tornBytes > 0) return undefined;
    } else if (size === 0) index = new SeriesIndex(bucketPoints);
    else return undefined;
    return new SeriesIndexWriter(runDir, index);
  }

  /** A block the writer has just written, as the points it was made of. */
  pointsWritten(points: readonly MetricPoint[], block: WrittenBlock): void {
    if (this.off) return;
    try {
      if (block.offset !== this.index.logBytes || block.firstSeq !== this.index.nextSeq) {
        this.off = true;
        return;
      }
      // The definitions made since the last block (all of them at the first: those the index knows are passed over).
      const fresh = block.names.slice(this.namesSeen);
      this.namesSeen = block.names.length;
      this.index.addPoints(points, block.offset, block.offset + block.length, block.firstSeq, fresh);
      if (this.index.logBytes - this.savedBytes >= SAVE_EVERY_BYTES) this.save();
    } catch {
      this.off = true;
    }
  }

  /** Writes series.idx if the log went on since it was last written. */
  close(): void {
    if (!this.off && this.index.logBytes !== this.savedBytes) this.save();
  }

  private save(): void {
    if (saveSeriesIndex(this.runDir, this.index)) this.savedBytes = this.index.logBytes;
  }
}
