import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Flushes the file and its folder to the disk before returning, so that the new content survives a power loss. */
  durable?: boolean;
}

/**
 * Writes a file so that a reader sees the old or the new content, never a mix. The temporary file is
 * created exclusively under an unguessable name and renamed over the target, so a symbolic link planted
 * at either name (a run folder from a cloned repository) is replaced, never written through.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  writeFileAtomicStream(file, (write) => write(content), options);
}

/** writeFileAtomic with the content handed to `write` a piece at a time, so that it is never in memory whole. */
export function writeFileAtomicStream(file: string, fill: (write: (chunk: string | Uint8Array) => void) => void, options: AtomicWriteOptions = {}): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx');
  try {
    try {
      fill((chunk) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      });
      if (options.durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  if (options.durable) syncFolder(path.dirname(file));
}

/** Makes the folder's entries (a rename, a new file) durable. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a folder; there the rename is as durable as the file system makes it.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
