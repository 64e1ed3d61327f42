/** A figure over several processes: the median is the headline, min and max show the spread (never a best). */
export interface Stat {
  median: number;
  min: number;
  max: number;
  /** One value per process, in the order they ran. */
  values: number[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function stat(values: readonly number[]): Stat {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values: [...values] };
}

/** Whole numbers (counts) as they are; others to three significant digits, never rounding away the integer part. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtStat(s: Stat, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  return `${fmt(s.median)}${u} (${fmt(s.min)}–${fmt(s.max)})`;
}
