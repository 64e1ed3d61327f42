import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Disposable } from '../../core/types';

export interface PollingWatch extends Disposable {
  /** Runs one check now (after any running one) and resolves when it is done. */
  poll(): Promise<void>;
}

/**
 * Calls `check` when `target` changes (fs.watch) and every `intervalMs` in any case:
 * fs.watch misses events on some file systems (network drives, some containers) and
 * cannot watch a folder that does not exist yet. Checks never overlap; changes that
 * arrive during one are folded into one more check. `recursive` also watches
 * sub-folders where fs.watch can (Node 20 on Linux, macOS, Windows).
 */
export function pollingWatch(target: string, check: () => Promise<void>, intervalMs: number, onError: (err: unknown) => void, recursive = false): PollingWatch {
  let watcher: fs.FSWatcher | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let disposed = false;

  const run = (): Promise<void> => {
    if (disposed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await check();
        } catch (err) {
          onError(err);
        }
      } while (again && !disposed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const startWatcher = (): void => {
    if (watcher || disposed) return;
    try {
      watcher = fs.watch(target, { persistent: false, recursive }, () => void run());
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // not there yet: the interval keeps looking
    }
  };

  const timer = setInterval(() => {
    startWatcher();
    void run();
  }, intervalMs);
  timer.unref();
  startWatcher();
  void run();

  return {
    poll: run,
    dispose: () => {
      disposed = true;
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}

/** Files under `dir` (itself included when it is a file) whose base name passes `accept`, sorted, at most `depth` folders down. */
export async function findFiles(dir: string, accept: (name: string) => boolean, depth: number): Promise<string[]> {
  const stat = await fs.promises.stat(dir).catch(() => undefined);
  if (!stat) return [];
  if (stat.isFile()) return [dir];
  const out: string[] = [];
  const walk = async (folder: string, level: number): Promise<void> => {
    const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isFile() && accept(entry.name)) out.push(full);
      else if (entry.isDirectory() && level < depth) await walk(full, level + 1);
    }
  };
  await walk(dir, 0);
  return out.sort();
}

/** The bytes of `file` from `offset` to its current end. */
export async function readFrom(file: string, offset: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const out = Buffer.alloc(size - offset);
    let got = 0;
    while (got < out.length) {
      const { bytesRead } = await handle.read(out, got, out.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return out.subarray(0, got);
  } finally {
    await handle.close();
  }
}
