import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Disposable, Logger } from '../types';
import { errorText } from '../errors';

/** Files whose change can change what a package loads: its code and its package.json. */
const CODE_FILE = /\.(c|m)?js$|\.json$/;

/**
 * The package folder a changed path belongs to, as discovery lays packages out under a search folder
 * (the folder itself, a child folder, `node_modules/<name>` or `node_modules/@scope/<name>`); undefined
 * for a path under no search folder, inside a package's own `node_modules`, or with a dot-name on the way.
 */
export function packageDirOf(changed: string, searchPaths: readonly string[]): string | undefined {
  const file = path.resolve(changed);
  const owners = searchPaths.map((s) => path.resolve(s)).filter((s) => file.startsWith(s + path.sep));
  // The innermost search folder, when one holds another.
  const root = owners.sort((a, b) => b.length - a.length)[0];
  if (root === undefined) return undefined;
  const parts = path.relative(root, file).split(path.sep);
  let depth = 1;
  if (parts[0] === 'node_modules') depth = parts[1]?.startsWith('@') ? 3 : 2;
  // A code file right in the search folder is the search folder's own package; another name there is a package folder.
  else if (parts.length === 1 && CODE_FILE.test(parts[0]!)) depth = 0;
  if (parts.length < depth || parts.some((p) => p.startsWith('.')) || parts.slice(depth).includes('node_modules')) return undefined;
  return path.join(root, ...parts.slice(0, depth));
}

/**
 * What a package's code files are now (path, size, modification time and a hash of the content), to tell an
 * edit from an event that changed nothing the package loads (a swap file, a README, the write Create Plugin
 * already loaded). Size and time alone can be equal for other code: a filesystem that keeps whole seconds
 * (ext3, HFS+, FAT, many network mounts) gives two saves of a same-length edit in one second the same.
 */
export async function packageFingerprint(dir: string): Promise<string> {
  const rows: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(folder, e.name);
      if (e.isDirectory()) await walk(full);
      else if (CODE_FILE.test(e.name)) {
        const stat = await fs.promises.stat(full).catch(() => undefined);
        const content = await fs.promises.readFile(full).catch(() => undefined);
        if (stat && content) rows.push(`${path.relative(dir, full)} ${stat.size} ${stat.mtimeMs} ${createHash('sha1').update(content).digest('hex')}`);
      }
    }
  };
  await walk(dir);
  return rows.sort().join('\n');
}

export interface PackageChangesOptions {
  /** The search folders now (they change with settings and trust). */
  searchPaths: () => readonly string[];
  /** Loads one package again; the plugin runtime's reloadPackage. */
  reload: (packageDir: string) => Promise<unknown>;
  log: Logger;
  /** Quiet time after a package's last change before it reloads; an editor's save is several events. */
  debounceMs?: number;
}

/**
 * Turns file events under the search folders into one reload per edited package: events are grouped by
 * package, a package reloads once its files have been quiet for `debounceMs`, and only if its code
 * files differ from what was last loaded.
 */
export class PackageChanges implements Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly loaded = new Map<string, string>();
  private readonly debounceMs: number;

  constructor(private readonly options: PackageChangesOptions) {
    this.debounceMs = options.debounceMs ?? 300;
  }

  /** A file or folder under a search folder was created, changed or deleted. */
  fileChanged(file: string): void {
    const dir = packageDirOf(file, this.options.searchPaths());
    if (dir === undefined) return;
    clearTimeout(this.timers.get(dir));
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        void this.reloadIfChanged(dir);
      }, this.debounceMs),
    );
  }

  /** Reloads the package now, whatever changed, and remembers its files so that the events of the same write reload nothing. */
  async reloadNow(dir: string): Promise<void> {
    const resolved = path.resolve(dir);
    this.loaded.set(resolved, await packageFingerprint(resolved));
    await this.options.reload(resolved);
  }

  private async reloadIfChanged(dir: string): Promise<void> {
    const now = await packageFingerprint(dir);
    if (this.loaded.get(dir) === now) return;
    this.loaded.set(dir, now);
    try {
      await this.options.reload(dir);
    } catch (err) {
      this.options.log.error(`reloading the plugin package ${dir} after it changed failed: ${errorText(err)}`);
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
