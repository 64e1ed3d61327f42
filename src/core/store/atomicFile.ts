import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

/**
 * Writes a file so that a reader sees the old or the new content, never a mix. The temporary file is
 * created exclusively under an unguessable name and renamed over the target, so a symbolic link planted
 * at either name (a run folder from a cloned repository) is replaced, never written through.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { flag: 'wx' });
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
