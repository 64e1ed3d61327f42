// Pure: number formatting for the status bar, its tooltip and the details list.

const GIB = 1024 ** 3;
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `23%`; `—` when unknown. */
export function percent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${Math.round(value)}%`;
}

/** `11.2/24G`: used with one decimal, the total without when it is 10 GiB or more. */
export function gibPair(used: number, total: number): string {
  const t = total / GIB;
  return `${(used / GIB).toFixed(1)}/${t >= 10 ? Math.round(t) : t.toFixed(1)}G`;
}

/** `1.5 GB`, `300 KB` (binary multiples, short names as file managers show them). */
export function bytes(value: number): string {
  let v = value;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit += 1;
  }
  return `${v >= 100 || unit === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[unit]}`;
}

/** `1.2 MB/s` */
export function rate(bytesPerSec: number): string {
  return `${bytes(bytesPerSec)}/s`;
}

/** `1.2M`, `30K`, `512B` for the status bar text, where space is short (rates there are per second). */
export function compactBytes(value: number): string {
  let v = value;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit += 1;
  }
  return `${v < 10 && unit > 0 ? v.toFixed(1) : Math.round(v)}${UNITS[unit]!.replace(/B$/, '') || 'B'}`;
}

/** `3 d 4 h`, `5 h 12 min`, `42 min` */
export function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min`;
}

/** `0.42 ms`, `12 ms` */
export function millis(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

/** A Markdown table cell: pipes escaped, no line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
