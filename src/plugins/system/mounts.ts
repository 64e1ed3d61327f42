import * as path from 'node:path';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
}

/** Filesystems that hold no user data: their usage means nothing on a status bar. */
export const PSEUDO_FILESYSTEMS: ReadonlySet<string> = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fusectl',
  'hugetlbfs',
  'mqueue',
  'nsfs',
  'proc',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tracefs',
]);

/** `\040` and friends: the kernel escapes spaces, tabs, newlines and backslashes in mount points. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses /proc/self/mounts (or /proc/mounts). */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 3) continue;
    out.push({ device: unescapeOctal(f[0]!), mountPoint: unescapeOctal(f[1]!), fsType: f[2]! });
  }
  return out;
}

/** The mount a path lives on: the longest mount point that contains it; the later of two mounts on one point wins. */
export function mountOf(target: string, mounts: readonly MountEntry[]): MountEntry | undefined {
  const p = path.posix.resolve(target);
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const inside = m.mountPoint === '/' || p === m.mountPoint || p.startsWith(`${m.mountPoint}/`);
    if (inside && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

/** The distinct real filesystems holding the given paths, in the order the paths came. */
export function mountsFor(paths: readonly string[], mounts: readonly MountEntry[]): MountEntry[] {
  const out: MountEntry[] = [];
  for (const p of paths) {
    const m = mountOf(p, mounts);
    if (m && !PSEUDO_FILESYSTEMS.has(m.fsType) && !out.some((o) => o.mountPoint === m.mountPoint)) out.push(m);
  }
  return out;
}
