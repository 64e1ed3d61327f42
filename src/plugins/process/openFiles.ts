import { ProcFile, readProcText } from '../system/procFiles';

/**
 * The files of a tree (each process's `stat`, each thread's `children`), kept
 * open from one walk to the next: a pread instead of open + read + close, about
 * 1.5 µs instead of 7 µs for a `children` file, and a busy process has dozens of
 * threads. Files not used in a walk are closed after it, which also drops the
 * processes and threads that exited.
 *
 * Once its process has exited, a kept `stat` fails to read (ESRCH) and ProcFile
 * opens the path again, so a reused pid is read afresh. A kept `children` file
 * of an exited thread reads as empty instead, so those are keyed by the start
 * time of their process as well: a pid reused by a new process gets a new file.
 * (A thread id reused inside the same process within one sample interval would
 * need the kernel's pids to wrap around in that time.)
 */
export class OpenFiles {
  private readonly files = new Map<string, { file: ProcFile; walk: number }>();
  private walk = 0;

  constructor(private readonly max = 1024) {}

  beginWalk(): void {
    this.walk += 1;
  }

  read(path: string, identity: string): string | undefined {
    const key = `${identity}:${path}`;
    let entry = this.files.get(key);
    if (!entry) {
      if (this.files.size >= this.max) return readProcText(path);
      entry = { file: new ProcFile(path), walk: this.walk };
      this.files.set(key, entry);
    }
    entry.walk = this.walk;
    return entry.file.read();
  }

  /** Closes what the last walk did not use. */
  endWalk(): void {
    for (const [key, entry] of this.files) {
      if (entry.walk === this.walk) continue;
      entry.file.close();
      this.files.delete(key);
    }
  }

  get size(): number {
    return this.files.size;
  }

  dispose(): void {
    for (const entry of this.files.values()) entry.file.close();
    this.files.clear();
  }
}
