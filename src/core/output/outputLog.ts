import * as path from 'node:path';
import { OUTPUT_LOG_FILE, parseDroppedMarker, readPlainFileTail } from './outputFiles';

/** What readOutputLog reads at most by default: more than any capped output.log, less than a crafted one could hold. */
export const DEFAULT_READ_BYTES = 64 << 20;

export interface ReadOutputOptions {
  /** Bytes read at most, from the end of the file; a longer output gives its last whole lines. Default 64 MiB. */
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
