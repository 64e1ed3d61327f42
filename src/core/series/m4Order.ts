// What M4Columns (m4.ts) works in and gives: its arrays, reused from query to query, and the points an M4 decimation
// kept, each once, in x order (then logging order).

/** Roles a pixel column keeps (first, last, min, max, gap): entries per column of M4Columns' arrays. */
export const ROLES = 5;

/**
 * Arrays of queries answered, for the next ones (x, y, s, ord, each columns × ROLES long): a compare view answers 500
 * queries at once, and their 160 KB each, left to the garbage collector, grew the resident set by 25 MB.
 */
const spare: Float64Array[][] = [];
const MAX_SPARE = 16;

/** Arrays for an M4Columns of `n` entries: spare ones of that length, else new ones. */
export function takeArrays(n: number): [Float64Array, Float64Array, Float64Array, Float64Array] {
  for (let k = spare.length - 1; k >= 0; k--) {
    if (spare[k]![0]!.length !== n) continue;
    const [x, y, s, ord] = spare.splice(k, 1)[0]!;
    return [x!, y!, s!, ord!];
  }
  return [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
}

export function giveArrays(arrays: Float64Array[]): void {
  if (spare.length < MAX_SPARE) spare.push(arrays);
}

export interface Decimated {
  /** x in the unit of the points merged, ascending. */
  xs: Float64Array;
  /** Non-finite values as NaN (a gap). */
  ys: Float64Array;
  smoothed: Float64Array;
}

/*
 * The loops below are functions of their own that return a number and do nothing after the loop: V8 compiles a
 * hot loop while it first runs, and code after it that had not run yet lacked type feedback, so that the compiled
 * loop was thrown away at every exit (once per query).
 */

/** The places of the points kept, each once, in x then logging order within each column, into `picked`; returns how many. */
export function keptPoints(x: Float64Array, ord: Float64Array, columns: number, picked: Int32Array): number {
  let n = 0;
  for (let c = 0; c < columns; c++) {
    const start = n;
    for (let i = c * ROLES, end = i + ROLES; i < end; i++) {
      const o = ord[i]!;
      if (o < 0) continue;
      let seen = false;
      for (let q = start; q < n; q++) if (ord[picked[q]!] === o) seen = true;
      if (seen) continue;
      // Insertion into the column's few points, in x then logging order.
      let k = n++;
      while (k > start && before(x, ord, i, picked[k - 1]!)) {
        picked[k] = picked[k - 1]!;
        k--;
      }
      picked[k] = i;
    }
  }
  return n;
}

export function inOrder(x: Float64Array, ord: Float64Array, order: Int32Array): boolean {
  for (let k = 1; k < order.length; k++) if (before(x, ord, order[k]!, order[k - 1]!)) return false;
  return true;
}

/** Whether the point at `a` comes before the one at `b`: by x, then logging order. */
function before(x: Float64Array, ord: Float64Array, a: number, b: number): boolean {
  return x[a]! < x[b]! || (x[a]! === x[b]! && ord[a]! < ord[b]!);
}

/** The first `n` points merged as they are (x, y, ord, smoothed each in `raw`), sorted by x then logging order. */
export function rawPoints(raw: Float64Array, n: number, shift: number): Decimated {
  const order = Int32Array.from({ length: n }, (_, i) => 4 * i).sort((a, b) => raw[a]! - raw[b]! || raw[a + 2]! - raw[b + 2]!);
  return gather(order, raw, raw.subarray(1), raw.subarray(3), shift);
}

/** The points at `order`, in that order, x shifted by `-shift`; non-finite values as NaN. */
export function gather(order: Int32Array, x: ArrayLike<number>, y: ArrayLike<number>, s: ArrayLike<number>, shift: number): Decimated {
  const n = order.length;
  const out: Decimated = { xs: new Float64Array(n), ys: new Float64Array(n), smoothed: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const v = y[i]!;
    out.xs[k] = x[i]! - shift;
    out.ys[k] = v - v === 0 ? v : Number.NaN;
    const sv = s[i]!;
    out.smoothed[k] = sv - sv === 0 ? sv : Number.NaN;
  }
  return out;
}
