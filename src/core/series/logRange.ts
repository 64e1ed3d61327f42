import * as fs from 'node:fs';
import { POINT_BYTES, viewOf, type NameDefinition } from '../store/blockFormat';
import { ColumnBuffers, type PointColumns } from '../store/blockColumns';
import { openIfExists, STREAM_READ_AHEAD } from '../store/logFile';
import { LogScanner, type LogCheckpoint } from '../store/logScanner';
import type { SeriesIndex } from './seriesIndex';

/** What a pass over the log's tail found: the bytes after the last block that reads (a torn tail, or a block being written). */
export interface TailScan {
  tornBytes: number;
  /** The log is shorter than the index says: it was replaced or cut, and the index must be built again. */
  shrunk: boolean;
  /** The pass stopped at `maxBytes` with more of the log to read. */
  more?: boolean;
}

interface ReadKit {
  scanner: LogScanner;
  columns: ColumnBuffers;
}

/**
 * The scanner (with its read window, up to a block or 1 MiB) and the column buffers of the last read, kept for the
 * next: a zoom then allocates neither, and makes the garbage collector no work. Reads are synchronous, so one at a
 * time takes it; a read inside another (none today) would make its own.
 */
let spare: ReadKit | undefined;

function borrow(from: LogCheckpoint): ReadKit {
  const kit = spare ?? { scanner: new LogScanner(), columns: new ColumnBuffers() };
  spare = undefined;
  const { scanner } = kit;
  scanner.names.length = 0;
  scanner.definitions.length = 0;
  scanner.takeDamage();
  scanner.startFrom(from);
  return kit;
}

function giveBack(kit: ReadKit): void {
  kit.scanner.window.detach();
  spare = kit;
}

/** Where a read from the block at `offset` starts: the names defined before it, no sequence number expected (the block may begin before the range). */
function readFrom(offset: number, names: readonly NameDefinition[]): LogCheckpoint {
  return { logBytes: offset, nextSeq: 0, lastBlockAt: -1, firstFreeId: 0, names, damage: { ranges: [], unnamedPoints: 0 } };
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
    // Damage the index holds is reported already: the scanner starts without it.
    const kit = borrow({ ...index.checkpoint(), damage: { ranges: [], unnamedPoints: 0 } });
    const { scanner, columns } = kit;
    scanner.window.attach(fd, size, STREAM_READ_AHEAD);
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
    index.addDamage(scanner.takeDamage());
    index.moveTo(scanner);
    giveBack(kit);
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
    // nextSeq 0: the block at `offset` may begin before `start.seq`; its earlier points are skipped below.
    const kit = borrow(readFrom(start.offset, names));
    const { scanner, columns } = kit;
    scanner.window.attach(fd, size, STREAM_READ_AHEAD);
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
    giveBack(kit);
  } finally {
    fs.closeSync(fd);
  }
}

/** A block's points where they lie in the buffer that holds it (the format's 28-byte points: id, value, step, time): a task reads only the ones it takes. */
export interface BlockPoints {
  /** Offset of the block in the log. */
  offset: number;
  view: DataView;
  /** Byte index in `view` of the block's first point. */
  pointsAt: number;
}

/** Bytes per point, and where a point's value, step and time start in it (docs/run-format.md, metrics.bin). */
export const POINT_LAYOUT = { stride: POINT_BYTES, valueAt: 4, stepAt: 12, timeAt: 20 } as const;
/** A local copy: through tsx (tests, benchmarks) an imported constant is a getter call on every use in a loop. */
const POINT_STRIDE = POINT_BYTES;

/** One metric's stretch of points to read: readMetricRange's arguments, as a task that readTasks runs with others. */
export interface RangeTask {
  ids: readonly number[];
  start: RangeStart;
  endOrdinal: number;
  /** Offset of the last block that can hold one of its points (the block where the bucket after its range starts); Infinity: up to the end of the log. */
  lastBlock: number;
  /**
   * The task's points in `block`: the points at places `picked[0]` to `picked[count - 1]` of the block, in order,
   * numbered in the metric from `ordinal`. A block at a time, so that the loop over its points is one
   * function's (compiled early and whole) rather than a call per point; only the points taken are decoded.
   */
  visit(block: BlockPoints, picked: Uint32Array, count: number, ordinal: number): void;
}

/** Tasks whose stretches of log lie closer than this are read in one pass: reading through is cheaper than starting again. */
const READ_THROUGH_BYTES = 256 << 10;

interface TaskState {
  task: RangeTask;
  ordinal: number;
  picked: Uint32Array;
  count: number;
}

/**
 * Runs the tasks over the log, each block read once however many tasks need it: the charts of several
 * metrics of one run asked for together (a compare view, a grid) share a pass. Tasks whose stretches
 * of log are far apart (the two ends of a zoomed range) are read in passes of their own, each from the
 * block its first task starts in, so that a read costs the stretches the tasks need, not what lies between.
 */
export function readTasks(file: string, namesBefore: (offset: number) => readonly NameDefinition[], tasks: readonly RangeTask[]): void {
  const live = tasks.filter((t) => t.start.ordinal < t.endOrdinal).sort((a, b) => a.start.offset - b.start.offset);
  if (live.length === 0) return;
  const fd = openIfExists(file);
  if (fd === undefined) return;
  try {
    const size = fs.fstatSync(fd).size;
    for (let k = 0; k < live.length; ) {
      let last = live[k]!.lastBlock;
      let j = k + 1;
      while (j < live.length && live[j]!.start.offset <= last + READ_THROUGH_BYTES) last = Math.max(last, live[j++]!.lastBlock);
      readCluster(fd, size, namesBefore, live.slice(k, j), last);
      k = j;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Tasks' arrays of picks from passes that ended, for the next (a compare view's 500 tasks, a block's size each, were 10 MB of garbage). */
const sparePicks: Uint32Array[] = [];
const MAX_SPARE_PICKS = 64;

/** Up to this many tasks in a pass, each scans the block's ids on its own; more share one look-up per point. */
const FEW_TASKS = 8;

/*
 * The loops over a block's points below are functions of their own that return a number and write nothing after
 * the loop: V8 compiles a hot loop while it first runs (on-stack replacement), and code after the loop that had not
 * run yet then lacks type feedback, so the compiled loop is thrown away on every exit, once per block.
 */

/** The places in the block of the points the task takes (its ids, named in the block), in order, into its picks; returns how many. */
function pick(view: DataView, pointsAt: number, count: number, firstSeq: number, state: TaskState, names: readonly string[] | undefined): number {
  const ids = state.task.ids.filter((id) => names === undefined || names[id] !== undefined);
  const skipBelow = Math.max(0, state.task.start.seq - firstSeq);
  const room = state.task.endOrdinal - state.ordinal;
  if (ids.length === 1) return pickOne(view, pointsAt + skipBelow * POINT_STRIDE, skipBelow, count, ids[0]!, room, state.picked);
  // A metric with several ids: its name defined again after damage.
  return ids.length > 1 ? pickAny(view, pointsAt + skipBelow * POINT_STRIDE, skipBelow, count, ids, room, state.picked) : 0;
}

function pickOne(view: DataView, at: number, from: number, count: number, id: number, room: number, picked: Uint32Array): number {
  let n = 0;
  for (let i = from, o = at; i < count && n < room; i++, o += POINT_STRIDE) if (view.getUint32(o, true) === id) picked[n++] = i;
  return n;
}

function pickAny(view: DataView, at: number, from: number, count: number, ids: readonly number[], room: number, picked: Uint32Array): number {
  let n = 0;
  for (let i = from, o = at; i < count && n < room; i++, o += POINT_STRIDE) if (ids.includes(view.getUint32(o, true))) picked[n++] = i;
  return n;
}

/** The tasks of one name id, by where they start, and the stretch of them a pass has reached and not finished. */
interface IdTasks {
  states: TaskState[];
  lo: number;
  hi: number;
}

const finished = (state: TaskState): boolean => state.ordinal + state.count >= state.task.endOrdinal;

/** Room for the task's picks in a block of `count` points: no more than it still takes. */
function makeRoom(state: TaskState, count: number): void {
  const need = Math.min(count, state.task.endOrdinal - state.ordinal);
  if (state.picked.length < need) state.picked = new Uint32Array(need);
}

/**
 * Many tasks: one look-up per point hands it to the tasks of its id that have started and not finished (points come
 * in sequence order, so that is a sliding stretch of them, mostly one); the tasks given their first point of the
 * block are added to `touched`. Returns how many were.
 */
function pickShared(
  view: DataView,
  pointsAt: number,
  count: number,
  firstSeq: number,
  byId: readonly (IdTasks | undefined)[],
  names: readonly string[] | undefined,
  touched: TaskState[],
): number {
  for (let i = 0, o = pointsAt; i < count; i++, o += POINT_STRIDE) {
    const id = view.getUint32(o, true);
    const mine = byId[id];
    if (mine === undefined || (names !== undefined && names[id] === undefined)) continue;
    const seq = firstSeq + i;
    const { states } = mine;
    while (mine.hi < states.length && states[mine.hi]!.task.start.seq <= seq) mine.hi++;
    while (mine.lo < mine.hi && finished(states[mine.lo]!)) mine.lo++;
    for (let s = mine.lo; s < mine.hi; s++) {
      const state = states[s]!;
      if (finished(state)) continue;
      if (state.count === 0) {
        makeRoom(state, count);
        touched.push(state);
      }
      state.picked[state.count++] = i;
    }
  }
  return touched.length;
}

/** One pass from the first task's block to the last block any of them can need, or until all are done. */
function readCluster(
  fd: number,
  size: number,
  namesBefore: (offset: number) => readonly NameDefinition[],
  tasks: readonly RangeTask[],
  lastBlock: number,
): void {
  const from = tasks[0]!.start.offset;
  const states: TaskState[] = tasks.map((task) => ({ task, ordinal: task.start.ordinal, picked: sparePicks.pop() ?? new Uint32Array(0), count: 0 }));
  const few = states.length <= FEW_TASKS;
  // Per name id, its tasks by where they start: an array look-up per point.
  const byId: (IdTasks | undefined)[] = [];
  for (const state of states) for (const id of state.task.ids) (byId[id] ??= { states: [], lo: 0, hi: 0 }).states.push(state);
  for (const group of byId) group?.states.sort((a, b) => a.task.start.seq - b.task.start.seq);
  let open = states.length;
  const touched: TaskState[] = [];
  const kit = borrow(readFrom(from, namesBefore(from)));
  const { scanner } = kit;
  scanner.window.attach(fd, size, STREAM_READ_AHEAD);
  let view: DataView | undefined;
  for (let block = scanner.step(); block && open > 0 && block.offset <= lastBlock; block = scanner.step()) {
    const { buf, layout } = block;
    if (view?.buffer !== buf.buffer || view.byteOffset !== buf.byteOffset) view = viewOf(buf);
    const { count, firstSeq, pointsAt } = layout;
    // Names only grow along a pass: an id a block does not name (its definition was damaged) has none of its points taken.
    const names = block.unnamed > 0 ? scanner.names : undefined;
    touched.length = 0;
    if (few) {
      // A few tasks (one chart, or a run's metrics in a compare view): a tight pass over the block's ids per task.
      for (const state of states) {
        if (state.ordinal >= state.task.endOrdinal) continue;
        makeRoom(state, count);
        state.count = pick(view, pointsAt, count, firstSeq, state, names);
        if (state.count > 0) touched.push(state);
      }
    } else pickShared(view, pointsAt, count, firstSeq, byId, names, touched);
    const points: BlockPoints = { offset: block.offset, view, pointsAt };
    for (const state of touched) {
      state.task.visit(points, state.picked, state.count, state.ordinal);
      state.ordinal += state.count;
      state.count = 0;
      if (state.ordinal >= state.task.endOrdinal) open--;
    }
  }
  giveBack(kit);
  for (const state of states) if (sparePicks.length < MAX_SPARE_PICKS) sparePicks.push(state.picked);
}
