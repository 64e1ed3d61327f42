import { randomBytes } from 'node:crypto';

/** `20261125-134512-a3f9`: sorts by start time, unique enough for folders made by hand-started runs. */
export function newRunId(startTime: number): string {
  const d = new Date(startTime);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
