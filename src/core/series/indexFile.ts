import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../store/atomicFile';
import { crc32 } from '../store/blockFormat';
import { openIfExists, readBlockAt, LogWindow } from '../store/logFile';
import { logAgrees } from '../store/logIndex';
import { checkpointOf, checkpointSections, f64s, readSidecar, section, sectionsOf, sectionTag, u32s } from '../store/sidecarFile';
import { BUCKET_FIELDS, MetricBuckets } from './metricBuckets';
import { SeriesIndex } from './seriesIndex';

/*
 * series.idx (docs/run-format.md): a SeriesIndex on disk, so that opening a long run's charts reads
 * its buckets rather than its log. Little-endian:
 *
 *   file    := magic u32 "TRCS" | version u32 (2) | CRC-32 of the sections u32 | 0 u32 | section*
 *   section := tag u32 | byte length u32 | body      (a tag this code does not know is skipped)
 *   HEAD, NAME, DMGE: the log's checkpoint, as metrics.idx holds it (store/sidecarFile.ts)
 *   BUCK    := bucketPoints f64
 *   METR    := fieldCount u32 | bucketCount u32 | count f64 | lastStep f64 | f64 column* (fieldCount columns of
 *              bucketCount values) | idCount u32 | id u32* | byte length u16 | UTF-8 name
 *
 * Every body is padded with zeros to a multiple of 8 bytes, so that the columns lie on 8-byte boundaries of the
 * file and are used where they were read, not copied (version 1, with the columns after the name, copied 8 MB at
 * each open of a 10,000,000-point run; its files are not read: the run is indexed again on first open). One METR per
 * metric, in the order the metrics first appear. Like metrics.idx, the log stays the truth: the index is used only
 * when it is whole, its figures hang together and the log bears it out where that can be checked cheaply
 * (decodeSeriesIndex, checkAgainstLog); else it is built again.
 */

export const SERIES_INDEX_FILE = 'series.idx';
const MAGIC = 0x53435254;
const VERSION = 2;
const HEAD_BYTES = 16;
const ALIGN = 8;
const BUCK = sectionTag('BUCK');
const METR = sectionTag('METR');
/** Larger than the index of any log a machine holds (10,000,000 points: about 8 MB); a larger file is not read. */
export const MAX_SERIES_INDEX_BYTES = 512 << 20;

export function encodeSeriesIndex(index: SeriesIndex): Buffer {
  const parts: Buffer[] = [...checkpointSections(index.checkpoint(), ALIGN), ...section(BUCK, [f64s(index.bucketPoints)], ALIGN)];
  for (const m of index.metrics) {
    const name = Buffer.from(m.name, 'utf8').subarray(0, 0xffff);
    const nameLength = Buffer.allocUnsafe(2);
    nameLength.writeUInt16LE(name.length);
    const columns = m.columns.map((c) => Buffer.from(c.buffer, c.byteOffset, m.bucketCount * 8));
    parts.push(
      ...section(
        METR,
        [u32s(BUCKET_FIELDS.length, m.bucketCount), f64s(m.count, m.lastStep), ...columns, u32s(m.ids.length, ...m.ids), nameLength, name],
        ALIGN,
      ),
    );
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(HEAD_BYTES);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(VERSION, 4);
  head.writeUInt32LE(crc32(body), 8);
  return Buffer.concat([head, body]);
}

const isCount = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;

/** A column of `count` values at `at` in `b`: a view where it lies when that is on an 8-byte boundary of its memory, else a copy. */
function column(b: Buffer, at: number, count: number): Float64Array {
  if ((b.byteOffset + at) % 8 === 0) return new Float64Array(b.buffer, b.byteOffset + at, count);
  const copy = new Float64Array(count);
  b.copy(Buffer.from(copy.buffer), 0, at, at + 8 * count);
  return copy;
}

function parseMetric(b: Buffer, bucketPoints: number): MetricBuckets {
  const fieldCount = b.readUInt32LE(0);
  const buckets = b.readUInt32LE(4);
  const count = b.readDoubleLE(8);
  const lastStep = b.readDoubleLE(16);
  let o = 24 + fieldCount * buckets * 8;
  // A later version may add fields after ours: the first ones are read, the rest skipped.
  if (fieldCount < BUCKET_FIELDS.length || o + 4 > b.length) throw new RangeError('columns past the end');
  const columns = BUCKET_FIELDS.map((_, f) => column(b, 24 + f * buckets * 8, buckets));
  const idCount = b.readUInt32LE(o);
  o += 4;
  if (o + 4 * idCount + 2 > b.length) throw new RangeError('ids past the end');
  const ids = Array.from({ length: idCount }, (_, i) => b.readUInt32LE(o + 4 * i));
  o += 4 * idCount;
  const nameLength = b.readUInt16LE(o);
  // What is left after the name is the padding to 8 bytes.
  if (o + 2 + nameLength > b.length || b.length - (o + 2 + nameLength) >= ALIGN) throw new RangeError('name does not end the section');
  return MetricBuckets.restore(b.toString('utf8', o + 2, o + 2 + nameLength), bucketPoints, ids, count, lastStep, columns);
}

/** The index a file holds, or undefined if it is not a whole, well-formed series index whose figures hang together. */
export function decodeSeriesIndex(buf: Buffer): SeriesIndex | undefined {
  try {
    if (buf.length < HEAD_BYTES || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== VERSION) return undefined;
    if (crc32(buf.subarray(HEAD_BYTES)) !== buf.readUInt32LE(8)) return undefined;
    const sections = sectionsOf(buf, HEAD_BYTES);
    const cp = sections && checkpointOf(sections);
    const buck = sections?.find((s) => s.tag === BUCK)?.body;
    if (!sections || !cp || !buck || buck.length < 8) return undefined;
    const bucketPoints = buck.readDoubleLE(0);
    if (!isCount(bucketPoints) || bucketPoints < 1 || bucketPoints > 1 << 20) return undefined;
    const metrics = sections.filter((s) => s.tag === METR).map((s) => parseMetric(s.body, bucketPoints));
    if (!metrics.every((m) => m.consistent(cp.logBytes, cp.nextSeq))) return undefined;
    if (
      new Set(metrics.map((m) => m.name)).size !== metrics.length ||
      new Set(metrics.flatMap((m) => m.ids)).size !== metrics.reduce((n, m) => n + m.ids.length, 0)
    )
      return undefined;
    const index = new SeriesIndex(bucketPoints);
    Object.assign(index, { logBytes: cp.logBytes, nextSeq: cp.nextSeq, lastBlockAt: cp.lastBlockAt });
    index.damage.ranges.push(...cp.damage.ranges);
    index.damage.unnamedPoints = cp.damage.unnamedPoints;
    index.restore(metrics, [...cp.names]);
    return index;
  } catch {
    return undefined;
  }
}

/** Buckets whose block is checked against the log when an index is opened: each metric's first and last, for so many metrics. */
const CHECKED_METRICS = 64;

/**
 * Whether the log bears the index out where that is cheap to check: its last block and its name
 * definitions (as for metrics.idx, logAgrees), and, for the first metrics, the blocks their first
 * and last buckets start in read and hold those buckets' first points.
 */
export function checkAgainstLog(index: SeriesIndex, logFile: string): boolean {
  const fd = openIfExists(logFile);
  if (fd === undefined) return index.logBytes === 0;
  const window = new LogWindow();
  try {
    window.attach(fd, fs.fstatSync(fd).size, 64 << 10);
    if (!logAgrees(index.checkpoint(), window)) return false;
    // Metrics mostly share blocks (a run logs its metrics together): each block is read and checked once.
    const seqs = new Map<number, { firstSeq: number; count: number } | undefined>();
    for (const m of index.metrics.slice(0, CHECKED_METRICS)) {
      for (const b of new Set([0, m.bucketCount - 1])) {
        const offset = m.col('offset')[b]!;
        if (!seqs.has(offset)) seqs.set(offset, readBlockAt(window, offset, 0)?.layout);
        const block = seqs.get(offset);
        const seq = m.col('seq')[b]!;
        if (!block || seq < block.firstSeq || seq >= block.firstSeq + block.count) return false;
      }
    }
    return true;
  } finally {
    window.detach();
    fs.closeSync(fd);
  }
}

/** The run folder's series index, when there is one the log bears out. */
export function loadSeriesIndex(runDir: string, logFile: string): SeriesIndex | undefined {
  const bytes = readSidecar(path.join(runDir, SERIES_INDEX_FILE), MAX_SERIES_INDEX_BYTES);
  const index = bytes && decodeSeriesIndex(bytes);
  return index && checkAgainstLog(index, logFile) ? index : undefined;
}

/** Writes the index atomically; a failure (a read-only folder, a full disk) only costs the next opener a scan. */
export function saveSeriesIndex(runDir: string, index: SeriesIndex): boolean {
  try {
    writeFileAtomic(path.join(runDir, SERIES_INDEX_FILE), encodeSeriesIndex(index));
    return true;
  } catch {
    return false;
  }
}
