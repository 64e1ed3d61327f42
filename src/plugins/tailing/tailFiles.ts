import * as fs from 'node:fs';

/** Reads what a file appended since the last read. */
export interface FileTail<T> {
  read(): Promise<T[]>;
}

/**
 * A check for pollingWatch: lists the files, opens a tail on each new one and hands
 * over what each appended. Files last changed before `ignoreOlderThan` (earlier runs'
 * files in the same folder) are left alone for good.
 */
export function tailFiles<T>(
  list: () => Promise<string[]>,
  open: (file: string) => FileTail<T>,
  onItems: (file: string, items: T[]) => void,
  onError: (err: unknown, file: string) => void,
  ignoreOlderThan: number | undefined,
): () => Promise<void> {
  const tails = new Map<string, FileTail<T>>();
  const ignored = new Set<string>();
  return async () => {
    for (const file of await list()) {
      if (ignored.has(file)) continue;
      let tail = tails.get(file);
      if (!tail) {
        const stat = await fs.promises.stat(file).catch(() => undefined);
        if (!stat) continue;
        if (ignoreOlderThan !== undefined && stat.mtimeMs < ignoreOlderThan) {
          ignored.add(file);
          continue;
        }
        tail = open(file);
        tails.set(file, tail);
      }
      try {
        const items = await tail.read();
        if (items.length > 0) onItems(file, items);
      } catch (err) {
        onError(err, file);
      }
    }
  };
}
