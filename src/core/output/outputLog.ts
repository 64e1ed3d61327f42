import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskOutputLine } from '../secrets/maskSecrets';
import { writeFileAtomic } from '../store/atomicFile';
import { DEFAULT_FSYNC, type FsyncPolicy } from '../store/fsyncPolicy';
import { DEFAULT_READ_BYTES, droppedMarker, OUTPUT_LOG_FILE, OUTPUT_TIMES_FILE, parseDroppedMarker, readPlainFileTail } from './outputFiles';
import { OutputLines } from './outputLines';
import { formatTimeEntries, type TimeEntry } from './outputTimes';

export interface OutputLogOptions {
  runDir: string;
  /** The size cap: past it the head is dropped and at least the last `maxBytes` are kept (docs/run-format.md). */
  maxBytes: number;
  fsync?: FsyncPolicy;
  /** Secret values the user stored: masked in every line, as on the command line. */
  knownSecrets?: readonly string[];
  /** Longest a line waits in memory before it is written; default 200 ms. */
  flushDelayMs?: number;
  /** Told once when the output can no longer be written (the run goes on without it). */
  onError?: (err: Error) => void;
}

/** Output past the cap is let grow by this share of it before the head is dropped, so that the copy it costs is made rarely. */
const CAP_SLACK = 0.25;
/** Lines printed less than this long after the last time entry share its time: output.times stays small under fast output. */
const TIME_RESOLUTION_MS = 100;
const FLUSH_BYTES = 64 << 10;

function openAppend(file: string): number {
  // O_NOFOLLOW: a link planted at the name in a folder someone else made is refused, not written through.
  return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND | (fs.constants.O_NOFOLLOW ?? 0), 0o644);
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * A run's output.log and output.times (docs/run-format.md): the lines the terminal showed
 * (OutputLines), secrets masked as on the command line, appended in batches at most
 * `flushDelayMs` after they were printed, with when each stretch was printed. Past the size cap
 * the head is dropped and the tail kept, behind a line saying how many bytes went. Flushed to
 * the disk itself per the run's fsync policy, like metrics.bin. Never throws into the run: a
 * failed write is reported once and the output is no longer kept.
 */
export class OutputLog {
  private readonly lines = new OutputLines();
  private readonly logFile: string;
  private readonly timesFile: string;
  private logFd: number;
  private timesFd: number;
  /** Bytes in output.log. */
  private size: number;
  private dropped = 0;
  /** Length of the marker line at the head of output.log (0 while nothing was dropped). */
  private markerBytes = 0;
  /** Time entries of output.log as it is now, for rewriting output.times when the head is dropped. */
  private entries: TimeEntry[] = [];
  private pending = '';
  private pendingBytes = 0;
  private pendingEntries: TimeEntry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: OutputLogOptions) {
    this.logFile = path.join(options.runDir, OUTPUT_LOG_FILE);
    this.timesFile = path.join(options.runDir, OUTPUT_TIMES_FILE);
    this.logFd = openAppend(this.logFile);
    this.timesFd = openAppend(this.timesFile);
    this.size = fs.fstatSync(this.logFd).size;
  }

  /** Bytes of output dropped at the cap so far. */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** A chunk of the terminal's output, printed at `time`. */
  push(chunk: string | Uint8Array, time = Date.now()): void {
    if (this.closed) return;
    this.add(this.lines.push(chunk), time);
  }

  private add(lines: readonly string[], time: number): void {
    if (lines.length === 0) return;
    const last = this.pendingEntries.at(-1) ?? this.entries.at(-1);
    if (!last || time - last.time >= TIME_RESOLUTION_MS || time < last.time) this.pendingEntries.push({ offset: this.size + this.pendingBytes, time });
    const known = this.options.knownSecrets ?? [];
    let text = '';
    for (const line of lines) text += `${maskOutputLine(line, known)}\n`;
    this.pending += text;
    this.pendingBytes += Buffer.byteLength(text);
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushDelayMs ?? 200);
  }

  /** Writes the lines waiting in memory. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending === '' || this.closed) return;
    const bytes = Buffer.from(this.pending, 'utf8');
    const entries = this.pendingEntries;
    this.pending = '';
    this.pendingBytes = 0;
    this.pendingEntries = [];
    this.guard(() => {
      writeAll(this.logFd, bytes);
      this.size += bytes.length;
      // After the log: an entry never points past what output.log holds.
      if (entries.length > 0) writeAll(this.timesFd, Buffer.from(formatTimeEntries(entries)));
      this.entries.push(...entries);
      if (this.size > this.options.maxBytes * (1 + CAP_SLACK)) this.dropHead();
      this.scheduleSync();
    });
  }

  /** Writes the last line and closes the files, the log cut to the cap and flushed to the disk unless fsync is off. */
  close(time = Date.now()): void {
    if (this.closed) return;
    const last = this.lines.end();
    if (last !== undefined) this.add([last], time);
    this.flush();
    this.closed = true;
    clearTimeout(this.syncTimer);
    this.guard(() => {
      if (this.size > this.options.maxBytes) this.dropHead();
      if ((this.options.fsync ?? DEFAULT_FSYNC) !== 'off') {
        fs.fdatasyncSync(this.logFd);
        fs.fdatasyncSync(this.timesFd);
      }
    });
    this.closeFiles();
  }

  /** Keeps the last `maxBytes` of output.log from a whole line on, behind the marker line; output.times follows. */
  private dropHead(): void {
    const { maxBytes } = this.options;
    const tail = readPlainFileTail(this.logFile, maxBytes);
    if (!tail) throw new Error('output.log is no longer a plain file');
    const nl = tail.bytes.indexOf(10);
    const keepFrom = nl < 0 ? tail.bytes.length : nl + 1;
    const cut = tail.skipped + keepFrom;
    this.dropped += cut - this.markerBytes;
    const marker = Buffer.from(droppedMarker(this.dropped, maxBytes));
    const durable = (this.options.fsync ?? DEFAULT_FSYNC) !== 'off';
    writeFileAtomic(this.logFile, Buffer.concat([marker, tail.bytes.subarray(keepFrom)]), { durable });
    this.markerBytes = marker.length;
    // Lines at the cut were printed at the time of the last entry before it.
    const shift = marker.length - cut;
    const kept: TimeEntry[] = [];
    for (const e of this.entries) {
      if (e.offset <= cut) kept[0] = { offset: marker.length, time: e.time };
      else kept.push({ offset: e.offset + shift, time: e.time });
    }
    this.entries = kept;
    writeFileAtomic(this.timesFile, formatTimeEntries(kept), { durable });
    this.closeFiles();
    this.logFd = openAppend(this.logFile);
    this.timesFd = openAppend(this.timesFile);
    this.size = fs.fstatSync(this.logFd).size;
  }

  private scheduleSync(): void {
    const policy = this.options.fsync ?? DEFAULT_FSYNC;
    if (typeof policy !== 'number' || this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      if (this.closed || this.logFd < 0) return;
      // On the thread pool, as for metrics.bin: appends go on meanwhile.
      fs.fdatasync(this.logFd, () => undefined);
      fs.fdatasync(this.timesFd, () => undefined);
    }, policy * 1000);
  }

  private guard(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.closed = true;
      clearTimeout(this.flushTimer);
      clearTimeout(this.syncTimer);
      this.closeFiles();
      this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private closeFiles(): void {
    // Each descriptor is closed once: a number closed twice could by then be another file's.
    for (const fd of [this.logFd, this.timesFd]) {
      try {
        if (fd >= 0) fs.closeSync(fd);
      } catch {
        // A descriptor a failed write left unusable: nothing more to release.
      }
    }
    this.logFd = -1;
    this.timesFd = -1;
  }
}

export interface ReadOutputOptions {
  /** Bytes read at most, from the end of the file; a longer output gives its last whole lines. Default 80 MiB (more than the largest cap, 64 MB, and its slack). */
  maxBytes?: number;
}

/**
 * The output a run printed, as kept in its output.log (ANSI removed, redraws collapsed, secrets
 * masked): its last `maxBytes` bytes, starting at a whole line, without the line Tracelet writes
 * when the size cap dropped the head. Empty when the run has no output.log (a run from before
 * output was kept, or not from a terminal) or when it is not a plain file.
 */
export async function readOutputLog(runDir: string, options: ReadOutputOptions = {}): Promise<string> {
  return readOutputLogSync(runDir, options);
}

export function readOutputLogSync(runDir: string, options: ReadOutputOptions = {}): string {
  const tail = readPlainFileTail(path.join(runDir, OUTPUT_LOG_FILE), Math.max(0, options.maxBytes ?? DEFAULT_READ_BYTES));
  if (!tail) return '';
  let { bytes } = tail;
  if (tail.skipped > 0) {
    // The cut fell inside a line (or inside a character): start at the next whole one.
    const nl = bytes.indexOf(10);
    bytes = nl < 0 ? bytes.subarray(bytes.length) : bytes.subarray(nl + 1);
  } else {
    const nl = bytes.indexOf(10);
    if (nl >= 0 && bytes[0] === 0x5b /* [ */ && parseDroppedMarker(bytes.toString('utf8', 0, nl)) !== undefined) bytes = bytes.subarray(nl + 1);
  }
  return bytes.toString('utf8');
}
