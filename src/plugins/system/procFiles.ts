import * as fs from 'node:fs';

/**
 * Reads a /proc file synchronously; undefined when it does not exist (a process
 * that exited, a kernel without the file) or cannot be read.
 *
 * Why synchronous: procfs files are generated in memory by the kernel, a read
 * never waits for a disk, and these are small (well under a page for most).
 * Measured on a 2-core VM, a sync read takes 20–150 µs while fs.promises costs
 * 2–4× more CPU for the same file (threadpool hop, promise, buffer copies). A
 * sample reads about five such files, well under a millisecond of event-loop
 * time. Anything that can wait on a device or the network (statfs) stays async.
 */
export function readProcText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}
