/**
 * M4 decimation (Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", VLDB 2014):
 * per pixel column, the points with the least and greatest x (first, last) and the least and greatest
 * value (min, max), so that a line drawn through them covers the same pixels as the line through every
 * point: no spike or dip is lost at any zoom level. A column holding a non-finite value also keeps the
 * first of them, drawn as a gap (so a column has at most 5 points, 4 without a gap).
 *
 * Points are merged one at a time (a zoomed range read at full resolution) or as a bucket's summary
 * (each role of the bucket merged into the same role of its column).
 */

/** Roles, in the order of the arrays below; `ord` < 0 means the column has no such point yet. */
const FIRST = 0;
const LAST = 1;
const MIN = 2;
const MAX = 3;
const GAP = 4;
const ROLES = 5;

export interface Decimated {
  /** x in the unit of the points merged, ascending. */
  xs: Float64Array;
  /** Non-finite values as NaN (a gap). */
  ys: Float64Array;
  smoothed: Float64Array;
  /** Each point's number in its metric. */
  ords: Float64Array;
}

export class M4Columns {
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly s: Float64Array;
  private readonly ord: Float64Array;
  private readonly width: number;

  constructor(
    readonly columns: number,
    private readonly lo: number,
    hi: number,
  ) {
    const n = columns * ROLES;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.s = new Float64Array(n);
    this.ord = new Float64Array(n).fill(-1);
    this.width = hi > lo ? (hi - lo) / columns : 1;
  }

  /** The pixel column of x (clamped into the chart). */
  columnOf(x: number): number {
    const c = Math.floor((x - this.lo) / this.width);
    return c < 0 ? 0 : c >= this.columns ? this.columns - 1 : c;
  }

  /** Merges one point (`s`: its smoothed value, NaN when there is none). The hot path of a zoom: the role checks inlined. */
  point(x: number, y: number, ord: number, s: number): void {
    const base = this.columnOf(x) * ROLES;
    const xs = this.x;
    const ys = this.y;
    const ords = this.ord;
    let i = base + FIRST;
    if (ords[i]! < 0 || x < xs[i]! || (x === xs[i]! && ord < ords[i]!)) this.set(i, x, y, ord, s);
    i = base + LAST;
    if (ords[i]! < 0 || x > xs[i]! || (x === xs[i]! && ord > ords[i]!)) this.set(i, x, y, ord, s);
    if (y - y === 0) {
      i = base + MIN;
      if (ords[i]! < 0 || y < ys[i]! || (y === ys[i]! && ord < ords[i]!)) this.set(i, x, y, ord, s);
      i = base + MAX;
      if (ords[i]! < 0 || y > ys[i]! || (y === ys[i]! && ord < ords[i]!)) this.set(i, x, y, ord, s);
    } else {
      i = base + GAP;
      if (ords[i]! < 0 || x < xs[i]! || (x === xs[i]! && ord < ords[i]!)) this.set(i, x, y, ord, s);
    }
  }

  first(c: number, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + FIRST;
    const o = this.ord[i]!;
    if (o < 0 || x < this.x[i]! || (x === this.x[i]! && ord < o)) this.set(i, x, y, ord, s);
  }

  last(c: number, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + LAST;
    const o = this.ord[i]!;
    if (o < 0 || x > this.x[i]! || (x === this.x[i]! && ord > o)) this.set(i, x, y, ord, s);
  }

  /** A finite least (MIN) or greatest (MAX) value; of equal ones, the earliest stays. */
  extreme(c: number, role: typeof MIN | typeof MAX, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + role;
    const o = this.ord[i]!;
    const better = role === MIN ? y < this.y[i]! : y > this.y[i]!;
    if (o < 0 || better || (y === this.y[i]! && ord < o)) this.set(i, x, y, ord, s);
  }

  min(c: number, x: number, y: number, ord: number, s: number): void {
    this.extreme(c, MIN, x, y, ord, s);
  }

  max(c: number, x: number, y: number, ord: number, s: number): void {
    this.extreme(c, MAX, x, y, ord, s);
  }

  /** The first non-finite value of the column (by x). */
  gap(c: number, x: number, y: number, ord: number, s: number): void {
    const i = c * ROLES + GAP;
    const o = this.ord[i]!;
    if (o < 0 || x < this.x[i]! || (x === this.x[i]! && ord < o)) this.set(i, x, y, ord, s);
  }

  private set(i: number, x: number, y: number, ord: number, s: number): void {
    this.x[i] = x;
    this.y[i] = y;
    this.ord[i] = ord;
    this.s[i] = s;
  }

  /** The points kept, each once, in x order (then logging order); x shifted by `-shift` (relative time). */
  result(shift = 0): Decimated {
    const picked: number[] = [];
    for (let c = 0; c < this.columns; c++) {
      const base = c * ROLES;
      for (let r = 0; r < ROLES; r++) {
        const i = base + r;
        const o = this.ord[i]!;
        if (o < 0) continue;
        let seen = false;
        for (let q = base; q < i; q++) if (this.ord[q] === o) seen = true;
        if (!seen) picked.push(i);
      }
    }
    // Columns follow x, but a bucket merged whole may reach a little into the column before it: one sort settles it.
    picked.sort((a, b) => this.x[a]! - this.x[b]! || this.ord[a]! - this.ord[b]!);
    return gather(
      picked.length,
      (k) => picked[k]!,
      (i) => this.x[i]! - shift,
      this.y,
      this.s,
      this.ord,
    );
  }
}

/** Every point as it is (a range with few points needs no decimation), sorted by x then logging order. */
export function undecimated(xs: number[], ys: number[], ss: number[], ords: number[], shift = 0): Decimated {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]! || ords[a]! - ords[b]!);
  return gather(
    order.length,
    (k) => order[k]!,
    (i) => xs[i]! - shift,
    ys,
    ss,
    ords,
  );
}

function gather(
  n: number,
  index: (k: number) => number,
  xOf: (i: number) => number,
  y: ArrayLike<number>,
  s: ArrayLike<number>,
  ord: ArrayLike<number>,
): Decimated {
  const out: Decimated = { xs: new Float64Array(n), ys: new Float64Array(n), smoothed: new Float64Array(n), ords: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const i = index(k);
    const v = y[i]!;
    out.xs[k] = xOf(i);
    out.ys[k] = Number.isFinite(v) ? v : Number.NaN;
    const sv = s[i]!;
    out.smoothed[k] = Number.isFinite(sv) ? sv : Number.NaN;
    out.ords[k] = ord[i]!;
  }
  return out;
}
