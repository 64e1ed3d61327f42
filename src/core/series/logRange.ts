import * as fs from 'node:fs';
import type { NameDefinition } from '../store/blockFormat';
import { ColumnBuffers, type PointColumns } from '../store/blockColumns';
import { openIfExists, STREAM_READ_AHEAD } from '../store/logFile';
import { LogScanner } from '../store/logScanner';
import type { SeriesIndex } from './seriesIndex';

/** What a pass over the log's tail found: the bytes after the last block that reads (a torn tail, or a block being written). */
export interface TailScan {
  tornBytes: number;
  /** The log is shorter than the index says: it was replaced or cut, and the index must be built again. */
  shrunk: boolean;
  /** The pass stopped at `maxBytes` with more of the log to read. */
  more?: boolean;
}

/**
 * Feeds the index every block of the log after the point it stands at, one block of columns at a
 * time (memory: one block), and moves it to where the log's last block that reads ends. Damage met
 * on the way goes into the index; a torn tail is left for the next pass (it may be a block being written).
 * `maxBytes` stops it after about that much log, so that a long first pass can let other work in.
 */
export function indexTail(index: SeriesIndex, file: string, changed?: Set<string>, maxBytes = Infinity): TailScan {
  const fd = openIfExists(file);
  if (fd === undefined) return { tornBytes: 0, shrunk: index.logBytes > 0 };
  try {
    const size = fs.fstatSync(fd).size;
    if (size < index.logBytes) return { tornBytes: 0, shrunk: true };
    const scanner = new LogScanner();
    // Damage the index holds is reported already: the scanner starts without it.
    scanner.startFrom({ ...index.checkpoint(), damage: { ranges: [], unnamedPoints: 0 } });
    scanner.window.attach(fd, size, STREAM_READ_AHEAD);
    const columns = new ColumnBuffers();
    const stopAt = index.logBytes + maxBytes;
    let more = false;
    for (let block = scanner.step(); block; block = scanner.step()) {
      const cols = columns.fill(block.buf, block.layout, scanner.names, block.offset, block.unnamed);
      if (cols.length > 0) index.add(cols, scanner.offset, changed);
      if (scanner.offset >= stopAt) {
        more = scanner.offset < size;
        break;
      }
    }
    scanner.window.detach();
    index.addDamage(scanner.takeDamage());
    index.moveTo(scanner);
    return { tornBytes: more ? 0 : size - scanner.offset, shrunk: false, more };
  } finally {
    fs.closeSync(fd);
  }
}

/** Where a read of a metric starts: the block holding its first point, that point's sequence number, and its number in the metric. */
export interface RangeStart {
  offset: number;
  seq: number;
  ordinal: number;
}

/**
 * Hands `visit` every point of the metric (ids `ids`) from `start` on, in log order, with its number
 * in the metric, until `endOrdinal` (exclusive) or the end of the log. It starts at the block `start`
 * names, knowing the names defined before it, so that it reads only the blocks that hold the range.
 * `visit` returns false to stop early.
 */
export function readMetricRange(
  file: string,
  names: readonly NameDefinition[],
  ids: readonly number[],
  start: RangeStart,
  endOrdinal: number,
  visit: (block: PointColumns, i: number, ordinal: number) => boolean | void,
): void {
  const fd = openIfExists(file);
  if (fd === undefined) return;
  try {
    const size = fs.fstatSync(fd).size;
    const scanner = new LogScanner();
    // nextSeq 0: the block at `offset` may begin before `start.seq`; its earlier points are skipped below.
    scanner.startFrom({ logBytes: start.offset, nextSeq: 0, lastBlockAt: -1, firstFreeId: 0, names, damage: { ranges: [], unnamedPoints: 0 } });
    scanner.window.attach(fd, size, STREAM_READ_AHEAD);
    const columns = new ColumnBuffers();
    const single = ids.length === 1 ? ids[0]! : -1;
    let ordinal = start.ordinal;
    reading: for (let block = scanner.step(); block && ordinal < endOrdinal; block = scanner.step()) {
      const cols = columns.fill(block.buf, block.layout, scanner.names, block.offset, block.unnamed);
      const skipBelow = start.seq - cols.firstSeq;
      for (let i = 0; i < cols.length; i++) {
        const id = cols.ids[i]!;
        if (single >= 0 ? id !== single : !ids.includes(id)) continue;
        if (skipBelow > 0 && (cols.at ? cols.at[i]! : i) < skipBelow) continue;
        if (visit(cols, i, ordinal++) === false || ordinal >= endOrdinal) break reading;
      }
    }
    scanner.window.detach();
  } finally {
    fs.closeSync(fd);
  }
}

/** One metric's stretch of points to read: readMetricRange's arguments, as a task that readTasks runs with others in one pass. */
export interface RangeTask {
  ids: readonly number[];
  start: RangeStart;
  endOrdinal: number;
  visit: (block: PointColumns, i: number, ordinal: number) => void;
}

/**
 * Runs the tasks in one pass over the log, from the earliest block any of them starts in to where
 * the last of them is done: the charts of several metrics of one run, asked for together (a compare
 * view, a grid), read each block once rather than once per metric.
 */
export function readTasks(file: string, namesBefore: (offset: number) => readonly NameDefinition[], tasks: readonly RangeTask[]): void {
  const live = tasks.filter((t) => t.start.ordinal < t.endOrdinal);
  if (live.length === 0) return;
  if (live.length === 1) {
    const t = live[0]!;
    readMetricRange(file, namesBefore(t.start.offset), t.ids, t.start, t.endOrdinal, t.visit);
    return;
  }
  const fd = openIfExists(file);
  if (fd === undefined) return;
  try {
    const from = Math.min(...live.map((t) => t.start.offset));
    const byId = new Map<number, { task: RangeTask; ordinal: number }[]>();
    for (const task of live) for (const id of task.ids) (byId.get(id) ?? byId.set(id, []).get(id)!).push({ task, ordinal: task.start.ordinal });
    let open = live.length;
    const scanner = new LogScanner();
    scanner.startFrom({ logBytes: from, nextSeq: 0, lastBlockAt: -1, firstFreeId: 0, names: namesBefore(from), damage: { ranges: [], unnamedPoints: 0 } });
    scanner.window.attach(fd, fs.fstatSync(fd).size, STREAM_READ_AHEAD);
    const columns = new ColumnBuffers();
    for (let block = scanner.step(); block && open > 0; block = scanner.step()) {
      const cols = columns.fill(block.buf, block.layout, scanner.names, block.offset, block.unnamed);
      for (let i = 0; i < cols.length; i++) {
        const states = byId.get(cols.ids[i]!);
        if (!states) continue;
        const seq = cols.firstSeq + (cols.at ? cols.at[i]! : i);
        for (const s of states) {
          if (seq < s.task.start.seq || s.ordinal >= s.task.endOrdinal) continue;
          s.task.visit(cols, i, s.ordinal++);
          if (s.ordinal >= s.task.endOrdinal) open--;
        }
      }
    }
    scanner.window.detach();
  } finally {
    fs.closeSync(fd);
  }
}
