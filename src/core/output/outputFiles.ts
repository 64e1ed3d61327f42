import * as fs from 'node:fs';

/** A run's output as a terminal showed it (docs/run-format.md). */
export const OUTPUT_LOG_FILE = 'output.log';
/** When each stretch of output.log was printed: `<byte offset> <ms since the epoch>` per line. */
export const OUTPUT_TIMES_FILE = 'output.times';

/** tracelet.run.outputLogMaxMB's default. */
export const DEFAULT_OUTPUT_LOG_MAX_MB = 10;

/** What a reader of output.log reads at most: more than any capped output.log, less than a crafted one could hold. */
export const DEFAULT_READ_BYTES = 80 << 20;

/** The first line of an output.log whose head was dropped at the size cap; `bytes` counts every byte dropped so far. */
export function droppedMarker(bytes: number, capBytes: number): string {
  return `[tracelet: ${bytes} bytes of earlier output dropped; output.log keeps the last ${formatCap(capBytes)} (tracelet.run.outputLogMaxMB)]\n`;
}

const MARKER = /^\[tracelet: (\d+) bytes of earlier output dropped; [^\n]*\]$/;

function formatCap(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 && Number.isInteger(mb) ? `${mb} MB` : `${bytes} bytes`;
}

/** The bytes a marker line says were dropped, or undefined when `line` (without its `\n`) is not one. */
export function parseDroppedMarker(line: string): number | undefined {
  const m = MARKER.exec(line);
  return m ? Number(m[1]) : undefined;
}

/**
 * The file's bytes from `start` to its end, at most `maxBytes` of them (the last ones), or undefined
 * when it is missing or not a plain file: a link in a run folder someone else made must not lead a
 * reader to a file outside it.
 */
export function readPlainFileTail(file: string, maxBytes: number): { bytes: Buffer; skipped: number } | undefined {
  let fd: number;
  try {
    if (!fs.lstatSync(file).isFile()) return undefined;
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const skipped = Math.max(0, size - maxBytes);
    const bytes = Buffer.allocUnsafe(size - skipped);
    let got = 0;
    while (got < bytes.length) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, skipped + got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: bytes.subarray(0, got), skipped };
  } finally {
    fs.closeSync(fd);
  }
}
