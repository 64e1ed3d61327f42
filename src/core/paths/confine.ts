import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A path built from data found in the workspace or sent by a plugin (a run id, a plugin name, an artifact
 * path, a params file named by a workspace setting) that would leave the folder it belongs in. The
 * message names what the value is, the value and the folder; nothing outside has been touched.
 */
export class PathEscapeError extends Error {
  constructor(
    readonly what: string,
    readonly value: string,
    readonly root: string,
    reason: string,
  ) {
    super(`${what} ${JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)} ${reason} (it must stay inside ${root})`);
    this.name = 'PathEscapeError';
  }
}

/** One byte short of what most file systems allow in a name. */
const MAX_SEGMENT_BYTES = 255;

/** True when `target` is `root` itself or below it, comparing resolved paths (no file system access). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function reject(what: string, value: string, root: string, reason: string): never {
  throw new PathEscapeError(what, value, root, reason);
}

/**
 * Checks a value used as one file name (a run id, a plugin name): not empty, not `.` or `..`, no separator
 * of any platform, no NUL or control character, no drive letter, not longer than a file name may be; the
 * same after Unicode compatibility folding, so that look-alikes (`．．`, `／`) never turn into a path.
 */
export function checkSegment(what: string, value: string, root: string): string {
  if (typeof value !== 'string' || value === '') reject(what, String(value), root, 'is empty');
  for (const form of new Set([value, value.normalize('NFKC')])) {
    if (form === '.' || form === '..') reject(what, value, root, 'is a relative folder name');
    if (/[\\/]/.test(form)) reject(what, value, root, 'holds a path separator');
    if (/[\u0000-\u001f\u007f]/.test(form)) reject(what, value, root, 'holds a control character');
    if (/^[A-Za-z]:/.test(form)) reject(what, value, root, 'starts with a drive letter');
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_SEGMENT_BYTES) reject(what, value, root, `is longer than ${MAX_SEGMENT_BYTES} bytes`);
  return value;
}

/**
 * `root` joined with a relative path from untrusted data, resolved, and checked to stay inside `root`
 * (`path.relative` neither climbs out with `..` nor is absolute). Refuses absolute paths, drive letters
 * and NUL outright, whatever they would resolve to.
 */
export function confinedJoin(what: string, root: string, relative: string): string {
  if (typeof relative !== 'string' || relative === '') reject(what, String(relative), root, 'is empty');
  if (relative.includes('\u0000')) reject(what, relative, root, 'holds a NUL character');
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) reject(what, relative, root, 'is an absolute path');
  const folded = relative.normalize('NFKC');
  if (folded !== relative && folded.split(/[\\/]/).includes('..')) reject(what, relative, root, 'climbs out of its folder once Unicode look-alikes are folded');
  const base = path.resolve(root);
  // Backslashes separate folders on Windows only; elsewhere they are ordinary characters, but a value
  // meant for one platform must not climb out on the other, so both are read as separators here.
  const target = path.resolve(base, ...relative.split(/[\\/]+/));
  if (target === base || !isInside(base, target)) reject(what, relative, root, 'leaves its folder');
  return target;
}

/** A run's, plugin's or package's own folder: `root/<segment>`, the segment checked by checkSegment. */
export function childFolder(what: string, root: string, segment: string): string {
  return path.join(path.resolve(root), checkSegment(what, segment, root));
}

/**
 * The real path of `target` (following symlinks), checked to stay inside the real path of `root`: for
 * a folder about to be deleted or written into, which a symlink in the workspace could point elsewhere.
 * A target that does not exist yet is checked through its nearest existing parent.
 */
export function realInside(what: string, root: string, target: string): string {
  const realRoot = fs.realpathSync(root);
  let existing = path.resolve(target);
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  const real = path.join(fs.realpathSync(existing), ...rest);
  if (!isInside(realRoot, real)) reject(what, target, root, `is a link to ${real}, outside its folder`);
  return real;
}

/**
 * `value` resolved against `base` (a relative path from a setting, taken from the command's folder),
 * checked to stay inside `within` when that is given (a workspace's setting may name only its own files).
 */
export function resolveWithin(what: string, base: string, value: string, within: string | undefined): string {
  if (value.includes('\u0000')) reject(what, value, within ?? base, 'holds a NUL character');
  const target = path.resolve(base, value);
  if (within !== undefined && !isInside(within, target)) reject(what, value, within, 'leaves the workspace folder, which a workspace setting may not do');
  return target;
}
