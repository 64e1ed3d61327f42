import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../store/atomicFile';
import { crc32, type NameDefinition } from '../store/blockFormat';
import { openIfExists, readBlockAt, LogWindow } from '../store/logFile';
import { logAgrees } from '../store/logIndex';
import type { DamagedRange } from '../store/logScanner';
import { BUCKET_FIELDS, MetricBuckets } from './metricBuckets';
import { SeriesIndex } from './seriesIndex';

/*
 * series.idx (docs/run-format.md): a SeriesIndex on disk, so that opening a long run's charts reads
 * its buckets rather than its log. Little-endian:
 *
 *   file    := magic u32 "TRCS" | version u32 (1) | CRC-32 of the sections u32 | section*
 *   section := tag u32 | byte length u32 | body      (a tag this code does not know is skipped)
 *   HEAD    := logBytes f64 | nextSeq f64 | lastBlockAt f64 | bucketPoints f64 | unnamedPoints f64
 *   NAME    := count u32 | (id u32 | definedAt f64 | byte length u16 | UTF-8 bytes)*
 *   DMGE    := count u32 | (offset f64 | bytes f64 | lostPoints f64)*
 *   METR    := byte length u16 | UTF-8 name | idCount u32 | id u32* | count f64 | lastStep f64
 *              | fieldCount u32 | bucketCount u32 | f64 column* (fieldCount columns of bucketCount values)
 *
 * One METR per metric, in the order the metrics first appear. Like metrics.idx, the log stays the
 * truth: the index is used only when it is whole, its figures hang together and the log bears it out
 * where that can be checked cheaply (decodeSeriesIndex, checkAgainstLog); else it is built again.
 */

export const SERIES_INDEX_FILE = 'series.idx';
const MAGIC = 0x53435254;
const VERSION = 1;
const tag = (s: string): number => Buffer.from(s, 'latin1').readUInt32LE(0);
const HEAD = tag('HEAD');
const NAME = tag('NAME');
const DMGE = tag('DMGE');
const METR = tag('METR');
/** Larger than the index of any log a machine holds (10,000,000 points: about 8 MB); a larger file is not read. */
export const MAX_SERIES_INDEX_BYTES = 512 << 20;

function section(sectionTag: number, parts: Buffer[]): Buffer[] {
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(sectionTag, 0);
  head.writeUInt32LE(
    parts.reduce((n, p) => n + p.length, 0),
    4,
  );
  return [head, ...parts];
}

function f64s(...xs: number[]): Buffer {
  const b = Buffer.allocUnsafe(8 * xs.length);
  xs.forEach((x, i) => b.writeDoubleLE(x, 8 * i));
  return b;
}

function u32s(...xs: number[]): Buffer {
  const b = Buffer.allocUnsafe(4 * xs.length);
  xs.forEach((x, i) => b.writeUInt32LE(x, 4 * i));
  return b;
}

export function encodeSeriesIndex(index: SeriesIndex): Buffer {
  const names: Buffer[] = [u32s(index.names.length)];
  for (const d of index.names) {
    const bytes = Buffer.from(d.name, 'utf8').subarray(0, 0xffff);
    const head = Buffer.allocUnsafe(14);
    head.writeUInt32LE(d.id, 0);
    head.writeDoubleLE(d.definedAt, 4);
    head.writeUInt16LE(bytes.length, 12);
    names.push(head, bytes);
  }
  const damage: Buffer[] = [u32s(index.damage.ranges.length)];
  for (const r of index.damage.ranges) damage.push(f64s(r.offset, r.bytes, r.lostPoints));
  const parts: Buffer[] = [
    ...section(HEAD, [f64s(index.logBytes, index.nextSeq, index.lastBlockAt, index.bucketPoints, index.damage.unnamedPoints)]),
    ...section(NAME, names),
    ...section(DMGE, damage),
  ];
  for (const m of index.metrics) {
    const name = Buffer.from(m.name, 'utf8').subarray(0, 0xffff);
    const nameLength = Buffer.allocUnsafe(2);
    nameLength.writeUInt16LE(name.length);
    const columns = m.columns.map((c) => Buffer.from(c.buffer, c.byteOffset, m.bucketCount * 8));
    parts.push(
      ...section(METR, [nameLength, name, u32s(m.ids.length, ...m.ids), f64s(m.count, m.lastStep), u32s(BUCKET_FIELDS.length, m.bucketCount), ...columns]),
    );
  }
  const body = Buffer.concat(parts);
  const head = Buffer.allocUnsafe(12);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(VERSION, 4);
  head.writeUInt32LE(crc32(body), 8);
  return Buffer.concat([head, body]);
}

const isCount = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;

function parseNames(b: Buffer): NameDefinition[] {
  const names: NameDefinition[] = [];
  let o = 4;
  for (let n = b.readUInt32LE(0); n > 0; n--) {
    const len = b.readUInt16LE(o + 12);
    if (o + 14 + len > b.length) throw new RangeError('name past the end');
    names.push({ id: b.readUInt32LE(o), definedAt: b.readDoubleLE(o + 4), name: b.toString('utf8', o + 14, o + 14 + len) });
    o += 14 + len;
  }
  return names;
}

function parseDamage(b: Buffer): DamagedRange[] {
  const count = b.readUInt32LE(0);
  if (4 + 24 * count > b.length) throw new RangeError('ranges past the end');
  return Array.from({ length: count }, (_, i) => ({
    offset: b.readDoubleLE(4 + 24 * i),
    bytes: b.readDoubleLE(12 + 24 * i),
    lostPoints: b.readDoubleLE(20 + 24 * i),
  }));
}

function parseMetric(b: Buffer, bucketPoints: number): MetricBuckets {
  const nameLength = b.readUInt16LE(0);
  const name = b.toString('utf8', 2, 2 + nameLength);
  let o = 2 + nameLength;
  const idCount = b.readUInt32LE(o);
  o += 4;
  if (o + 4 * idCount > b.length) throw new RangeError('ids past the end');
  const ids = Array.from({ length: idCount }, (_, i) => b.readUInt32LE(o + 4 * i));
  o += 4 * idCount;
  const count = b.readDoubleLE(o);
  const lastStep = b.readDoubleLE(o + 8);
  const fieldCount = b.readUInt32LE(o + 16);
  const buckets = b.readUInt32LE(o + 20);
  o += 24;
  // A later version may add fields after ours: the first ones are read, the rest skipped.
  if (fieldCount < BUCKET_FIELDS.length || o + fieldCount * buckets * 8 !== b.length) throw new RangeError('columns do not fill the section');
  const columns = BUCKET_FIELDS.map((_, f) => {
    const col = new Float64Array(buckets);
    b.copy(Buffer.from(col.buffer), 0, o + f * buckets * 8, o + (f + 1) * buckets * 8);
    return col;
  });
  return MetricBuckets.restore(name, bucketPoints, ids, count, lastStep, columns);
}

/** The index a file holds, or undefined if it is not a whole, well-formed series index whose figures hang together. */
export function decodeSeriesIndex(buf: Buffer): SeriesIndex | undefined {
  try {
    if (buf.length < 12 || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== VERSION) return undefined;
    if (crc32(buf.subarray(12)) !== buf.readUInt32LE(8)) return undefined;
    let head: Buffer | undefined;
    let nameBytes: Buffer | undefined;
    let damageBytes: Buffer | undefined;
    const metricBytes: Buffer[] = [];
    for (let o = 12; o < buf.length; ) {
      const end = o + 8 + buf.readUInt32LE(o + 4);
      if (end > buf.length) return undefined;
      const t = buf.readUInt32LE(o);
      const body = buf.subarray(o + 8, end);
      if (t === HEAD) head = body;
      else if (t === NAME) nameBytes = body;
      else if (t === DMGE) damageBytes = body;
      else if (t === METR) metricBytes.push(body);
      o = end;
    }
    if (!head || head.length < 40 || !nameBytes || !damageBytes) return undefined;
    const [logBytes, nextSeq, lastBlockAt, bucketPoints, unnamedPoints] = [0, 8, 16, 24, 32].map((o) => head.readDoubleLE(o)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (![logBytes, nextSeq, unnamedPoints].every(isCount) || !isCount(bucketPoints) || bucketPoints < 1 || bucketPoints > 1 << 20) return undefined;
    if (logBytes === 0 ? lastBlockAt !== -1 || nextSeq !== 0 : !isCount(lastBlockAt) || lastBlockAt >= logBytes) return undefined;
    const index = new SeriesIndex(bucketPoints);
    const names = parseNames(nameBytes);
    const ranges = parseDamage(damageBytes);
    const metrics = metricBytes.map((b) => parseMetric(b, bucketPoints));
    if (!names.every((d) => isCount(d.definedAt) && d.definedAt <= lastBlockAt)) return undefined;
    if (!ranges.every((r) => [r.offset, r.bytes, r.lostPoints].every(isCount) && r.offset + r.bytes <= logBytes)) return undefined;
    if (!metrics.every((m) => m.consistent(logBytes, nextSeq))) return undefined;
    if (
      new Set(metrics.map((m) => m.name)).size !== metrics.length ||
      new Set(metrics.flatMap((m) => m.ids)).size !== metrics.reduce((n, m) => n + m.ids.length, 0)
    )
      return undefined;
    Object.assign(index, { logBytes, nextSeq, lastBlockAt });
    index.damage.ranges.push(...ranges);
    index.damage.unnamedPoints = unnamedPoints;
    index.restore(metrics, names);
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

/** The index file's bytes, or undefined when there is none to trust: missing, not a plain file (a link, a pipe), or too large. */
function readSidecar(file: string): Buffer | undefined {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_SERIES_INDEX_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(stat.size);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) return undefined;
      got += n;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The run folder's series index, when there is one the log bears out. */
export function loadSeriesIndex(runDir: string, logFile: string): SeriesIndex | undefined {
  const bytes = readSidecar(path.join(runDir, SERIES_INDEX_FILE));
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
