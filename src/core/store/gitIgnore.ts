import * as fs from 'node:fs';
import * as path from 'node:path';

const CONTENT = `# Written by Tracelet: run data (metrics, params, command lines) stays out of git.
# Workspace plugins in plugins/ may be committed; delete this file to commit everything.
*
!plugins/
!plugins/**
`;

/**
 * Keeps run data out of git, as other tools do for their run folders: the first run writes a
 * `.gitignore` into the `.tracelet` folder that holds `dir` (or into `dir` itself, for a runs folder
 * elsewhere). An existing file is left as the user made it. Failure to write is not fatal.
 */
export function ensureGitIgnored(dir: string): void {
  const parts = path.resolve(dir).split(path.sep);
  const at = parts.lastIndexOf('.tracelet');
  const folder = at > 0 ? parts.slice(0, at + 1).join(path.sep) : path.resolve(dir);
  const file = path.join(folder, '.gitignore');
  if (fs.existsSync(file)) return;
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, at > 0 ? CONTENT : '# Written by Tracelet: run data stays out of git.\n*\n', { flag: 'wx' });
  } catch {
    // another window wrote it first, or the folder is read-only: nothing to keep out of git then
  }
}
