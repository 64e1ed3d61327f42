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

  /*
   * The column points are being merged into, and its roles so far (x, y, ord, smoothed each): a series read in x
   * order puts runs of points into one column, which are merged here in locals and into the arrays once per run
   * (each role is the least under a total order, so merging a run's winner gives what merging each point would).
   */
  private pc = -1;
  private fx = 0;
  private fy = 0;
  private fo = 0;
  private fs = 0;
  private lx = 0;
  private ly = 0;
  private lo2 = 0;
  private ls = 0;
  private nx = 0;
  private ny = 0;
  private no = -1;
  private ns = 0;
  private mx = 0;
  private my = 0;
  private mo = -1;
  private ms = 0;
  private gx = 0;
  private gy = 0;
  private go = -1;
  private gs = 0;

  /** Merges one point (`s`: its smoothed value, NaN when there is none). The hot path of a zoom. */
  point(x: number, y: number, ord: number, s: number): void {
    const c = this.columnOf(x);
    const finite = y - y === 0;
    if (c !== this.pc) {
      this.flush();
      this.pc = c;
      this.fx = this.lx = x;
      this.fy = this.ly = y;
      this.fo = this.lo2 = ord;
      this.fs = this.ls = s;
      if (finite) {
        this.nx = this.mx = x;
        this.ny = this.my = y;
        this.no = this.mo = ord;
        this.ns = this.ms = s;
      } else {
        this.gx = x;
        this.gy = y;
        this.go = ord;
        this.gs = s;
      }
      return;
    }
    if (x < this.fx || (x === this.fx && ord < this.fo)) {
      this.fx = x;
      this.fy = y;
      this.fo = ord;
      this.fs = s;
    }
    if (x > this.lx || (x === this.lx && ord > this.lo2)) {
      this.lx = x;
      this.ly = y;
      this.lo2 = ord;
      this.ls = s;
    }
    if (finite) {
      if (this.no < 0 || y < this.ny || (y === this.ny && ord < this.no)) {
        this.nx = x;
        this.ny = y;
        this.no = ord;
        this.ns = s;
      }
      if (this.mo < 0 || y > this.my || (y === this.my && ord < this.mo)) {
        this.mx = x;
        this.my = y;
        this.mo = ord;
        this.ms = s;
      }
    } else if (this.go < 0 || x < this.gx || (x === this.gx && ord < this.go)) {
      this.gx = x;
      this.gy = y;
      this.go = ord;
      this.gs = s;
    }
  }

  /** Merges the run of points held in locals into its column. */
  private flush(): void {
    const c = this.pc;
    if (c < 0) return;
    this.first(c, this.fx, this.fy, this.fo, this.fs);
    this.last(c, this.lx, this.ly, this.lo2, this.ls);
    if (this.no >= 0) {
      this.min(c, this.nx, this.ny, this.no, this.ns);
      this.max(c, this.mx, this.my, this.mo, this.ms);
    }
    if (this.go >= 0) this.gap(c, this.gx, this.gy, this.go, this.gs);
    this.pc = -1;
    this.no = -1;
    this.mo = -1;
    this.go = -1;
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

  /** The metric numbers of the kept points with no smoothed value yet and a finite value (merged from bucket summaries). */
  unsmoothed(): number[] {
    this.flush();
    const out: number[] = [];
    for (let i = 0; i < this.ord.length; i++) {
      const y = this.y[i]!;
      if (this.ord[i]! >= 0 && Number.isNaN(this.s[i]!) && y - y === 0) out.push(this.ord[i]!);
    }
    return out;
  }

  /** Gives the kept points with no smoothed value the one `smoothed` has for them (by metric number and value). */
  smoothWith(smoothed: (ord: number, y: number) => number | undefined): void {
    this.flush();
    for (let i = 0; i < this.ord.length; i++) {
      if (this.ord[i]! < 0 || !Number.isNaN(this.s[i]!)) continue;
      const s = smoothed(this.ord[i]!, this.y[i]!);
      if (s !== undefined) this.s[i] = s;
    }
  }

  /** The points kept, each once, in x order (then logging order); x shifted by `-shift` (relative time). */
  result(shift = 0): Decimated {
    this.flush();
    const { x, ord } = this;
    const picked = new Int32Array(this.columns * ROLES);
    let n = 0;
    for (let c = 0; c < this.columns; c++) {
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
    // Columns follow x, but a bucket merged whole may reach a little into the column before it: then one sort settles it.
    let sorted = true;
    for (let k = 1; k < n && sorted; k++) if (before(x, ord, picked[k]!, picked[k - 1]!)) sorted = false;
    const order = picked.subarray(0, n);
    if (!sorted) order.set(Array.from(order).sort((a, b) => x[a]! - x[b]! || ord[a]! - ord[b]!));
    return gather(order, x, this.y, this.s, ord, shift);
  }
}

/** Whether the point at `a` comes before the one at `b`: by x, then logging order. */
function before(x: Float64Array, ord: Float64Array, a: number, b: number): boolean {
  return x[a]! < x[b]! || (x[a]! === x[b]! && ord[a]! < ord[b]!);
}

/** Every point as it is (a range with few points needs no decimation), sorted by x then logging order. */
export function undecimated(xs: number[], ys: number[], ss: number[], ords: number[], shift = 0): Decimated {
  const order = Int32Array.from(xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]! || ords[a]! - ords[b]!));
  return gather(order, xs, ys, ss, ords, shift);
}

/** The points at `order`, in that order, x shifted by `-shift`; non-finite values as NaN. */
function gather(order: Int32Array, x: ArrayLike<number>, y: ArrayLike<number>, s: ArrayLike<number>, ord: ArrayLike<number>, shift: number): Decimated {
  const n = order.length;
  const out: Decimated = { xs: new Float64Array(n), ys: new Float64Array(n), smoothed: new Float64Array(n), ords: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const v = y[i]!;
    out.xs[k] = x[i]! - shift;
    out.ys[k] = v - v === 0 ? v : Number.NaN;
    const sv = s[i]!;
    out.smoothed[k] = sv - sv === 0 ? sv : Number.NaN;
    out.ords[k] = ord[i]!;
  }
  return out;
}
