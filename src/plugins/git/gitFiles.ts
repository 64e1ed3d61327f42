import * as fs from 'node:fs';
import * as path from 'node:path';
import { confinedJoin } from '../../core/paths/confine';

/** What the `.git` folder's own files say, read without running git (which a repository's config can make run programs). */
export interface GitFiles {
  branch: string;
  commit: string;
  remote?: string;
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** git's rules for a branch ref, in short: no `..`, no component starting with `.`, no control or special characters. */
const BRANCH_REF = /^refs\/heads\/(?!.*\.\.)(?!.*\/\.)(?!.*\.lock(?:\/|$))[^\0-\x20\x7f~^:?*[\\]+$/;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function readSmall(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The git folder of the repository holding `cwd` (a `.git` folder, or the one a `.git` file points to), and its common folder. */
function findGitDir(cwd: string): { gitDir: string; commonDir: string } | undefined {
  let dir = path.resolve(cwd);
  for (let depth = 0; depth < 128; depth++) {
    const dotGit = path.join(dir, '.git');
    let gitDir: string | undefined;
    try {
      const stat = fs.statSync(dotGit);
      if (stat.isDirectory()) gitDir = dotGit;
      else if (stat.isFile()) {
        const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readSmall(dotGit) ?? '');
        if (pointer) gitDir = path.resolve(dir, pointer[1]!);
      }
    } catch {
      // no .git here
    }
    if (gitDir) {
      const common = readSmall(path.join(gitDir, 'commondir'))?.trim();
      return { gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function resolveRef(ref: string, gitDir: string, commonDir: string): string {
  for (const root of new Set([gitDir, commonDir])) {
    const id = readSmall(confinedJoin('git ref', root, ref))?.trim();
    if (id !== undefined && OBJECT_ID.test(id)) return id;
  }
  for (const line of (readSmall(path.join(commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [id, name] = line.trim().split(' ');
    if (name === ref && id !== undefined && OBJECT_ID.test(id)) return id;
  }
  return '';
}

function originUrl(config: string): string | undefined {
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    else if (inOrigin) {
      const m = /^url\s*=\s*(.+)$/.exec(line);
      if (m) return m[1]!.replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}

/**
 * Branch, commit and origin of the repository holding `cwd`, from HEAD, refs, packed-refs and config
 * alone; undefined outside a repository. Values that are not what git would write there (a HEAD naming
 * `refs/heads/../../x`, a commit that is not an object id) are left empty rather than followed.
 */
export function readGitFiles(cwd: string): GitFiles | undefined {
  const found = findGitDir(cwd);
  if (!found) return undefined;
  const head = readSmall(path.join(found.gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  const remote = originUrl(readSmall(path.join(found.commonDir, 'config')) ?? '');
  const symbolic = /^ref:\s*(\S+)$/.exec(head);
  if (!symbolic) return { branch: 'HEAD', commit: OBJECT_ID.test(head) ? head : '', ...(remote ? { remote } : {}) };
  const ref = symbolic[1]!;
  if (!BRANCH_REF.test(ref)) return { branch: '', commit: '', ...(remote ? { remote } : {}) };
  return { branch: ref.slice('refs/heads/'.length), commit: resolveRef(ref, found.gitDir, found.commonDir), ...(remote ? { remote } : {}) };
}
