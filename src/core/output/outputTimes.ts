import * as path from 'node:path';
import { DEFAULT_READ_BYTES, OUTPUT_LOG_FILE, OUTPUT_TIMES_FILE, parseDroppedMarker, readPlainFileTail } from './outputFiles';

/** An output.times entry: the lines of output.log from byte `offset` on were printed at `time`, until the next entry. */
export interface TimeEntry {
  offset: number;
  time: number;
}

/** output.times is written as lines of text; a crafted one is read no further than this. */
const MAX_TIMES_BYTES = 32 << 20;

export function formatTimeEntries(entries: readonly TimeEntry[]): string {
  let out = '';
  for (const e of entries) out += `${e.offset} ${e.time}\n`;
  return out;
}

/**
 * The entries of an output.times text that read: two whole numbers per line, offsets never going
 * back. A torn last line (a crash while it was written) and anything malformed are left out.
 */
export function parseTimeEntries(text: string): TimeEntry[] {
  const out: TimeEntry[] = [];
  const lines = text.split('\n');
  // Without its `\n` the last line may be cut short: `12 17956` is a number, but not the one written.
  lines.pop();
  for (const line of lines) {
    const m = /^(\d{1,15}) (\d{1,15})$/.exec(line);
    if (!m) continue;
    const offset = Number(m[1]);
    if (out.length > 0 && offset < out[out.length - 1]!.offset) continue;
    out.push({ offset, time: Number(m[2]) });
  }
  return out;
}

/** A stretch of a run's output and when it was printed. */
export interface OutputSegment {
  text: string;
  time: number;
}

/**
 * The run's output.log cut where output.times says the time changes, each stretch with its time:
 * what a re-parse feeds the parser, so that its records get the time their line was printed.
 * Output before the first entry, or all of it when output.times is missing, gets `fallbackTime`
 * (the run's start). The marker of a dropped head is left out. Empty when there is no output.log.
 */
export function readOutputSegments(runDir: string, fallbackTime: number): OutputSegment[] {
  const tail = readPlainFileTail(path.join(runDir, OUTPUT_LOG_FILE), DEFAULT_READ_BYTES);
  if (!tail || tail.bytes.length === 0) return [];
  let start = 0;
  const nl = tail.bytes.indexOf(10);
  if (tail.skipped > 0) start = nl < 0 ? tail.bytes.length : nl + 1;
  else if (nl >= 0 && parseDroppedMarker(tail.bytes.toString('utf8', 0, nl)) !== undefined) start = nl + 1;
  const times = readPlainFileTail(path.join(runDir, OUTPUT_TIMES_FILE), MAX_TIMES_BYTES);
  const entries = times ? parseTimeEntries(times.bytes.toString('utf8')) : [];
  const segments: OutputSegment[] = [];
  let at = start;
  let time = fallbackTime;
  for (const e of entries) {
    const offset = e.offset - tail.skipped;
    if (offset > at && offset <= tail.bytes.length) {
      segments.push({ text: tail.bytes.toString('utf8', at, offset), time });
      at = offset;
    }
    if (offset <= tail.bytes.length) time = e.time;
  }
  if (at < tail.bytes.length) segments.push({ text: tail.bytes.toString('utf8', at), time });
  return segments;
}
