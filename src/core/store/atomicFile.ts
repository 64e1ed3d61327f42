import * as fs from 'node:fs';

/** Writes a file so that a reader sees the old or the new content, never a mix. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
