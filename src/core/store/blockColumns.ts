import { POINT_BYTES, viewOf, type BlockLayout } from './blockFormat';

/** A local copy: through tsx (tests, benchmarks) an imported constant is a getter call on every use in the loop below. */
const STRIDE = POINT_BYTES;

/**
 * One block's points as columns, for reading a log without an object per point. The arrays are
 * views of buffers the reader reuses: they hold this block only until the visit returns.
 */
export interface PointColumns {
  /** Byte offset of the block in the log: a cursor may stop at it (before the block) or after it (offset of the next). */
  offset: number;
  /** Sequence number of the block's first point; the block covers firstSeq to firstSeq + count - 1. */
  firstSeq: number;
  /** Points the block holds, skipped ones included. */
  count: number;
  /** Points in the columns: `count` less those skipped because their name is unknown. */
  length: number;
  /** Name of each id the log defined up to and with this block; holes are ids whose definition was lost. */
  names: readonly string[];
  ids: Uint32Array;
  values: Float64Array;
  /** NaN where a point has no step. */
  steps: Float64Array;
  /** Milliseconds since the epoch. */
  times: Float64Array;
  /** Only when points were skipped: the position in the block of each point, so point i has sequence number firstSeq + at[i]. */
  at?: Uint32Array;
}

/** Column buffers a reader keeps between blocks, grown to the largest block it has met. */
export class ColumnBuffers {
  private ids = new Uint32Array(0);
  private values = new Float64Array(0);
  private steps = new Float64Array(0);
  private times = new Float64Array(0);
  private at = new Uint32Array(0);

  /** Fills the columns from a block that reads, skipping the `unnamed` points whose name is unknown. */
  fill(buf: Buffer, layout: BlockLayout, names: readonly string[], offset: number, unnamed: number): PointColumns {
    if (this.ids.length < layout.count) this.grow(layout.count);
    const { ids, values, steps, times, at } = this;
    const view = viewOf(buf);
    let n = 0;
    // Two loops: the usual block, every name known, needs no look-up per point.
    if (unnamed === 0) {
      for (let o = layout.pointsAt; n < layout.count; n++, o += STRIDE) {
        ids[n] = view.getUint32(o, true);
        values[n] = view.getFloat64(o + 4, true);
        steps[n] = view.getFloat64(o + 12, true);
        times[n] = view.getFloat64(o + 20, true);
      }
    } else {
      for (let i = 0, o = layout.pointsAt; i < layout.count; i++, o += STRIDE) {
        const id = view.getUint32(o, true);
        if (names[id] === undefined) continue;
        ids[n] = id;
        values[n] = view.getFloat64(o + 4, true);
        steps[n] = view.getFloat64(o + 12, true);
        times[n] = view.getFloat64(o + 20, true);
        at[n++] = i;
      }
    }
    const block: PointColumns = {
      offset,
      firstSeq: layout.firstSeq,
      count: layout.count,
      length: n,
      names,
      ids: ids.subarray(0, n),
      values: values.subarray(0, n),
      steps: steps.subarray(0, n),
      times: times.subarray(0, n),
    };
    if (n < layout.count) block.at = at.subarray(0, n);
    return block;
  }

  private grow(count: number): void {
    this.ids = new Uint32Array(count);
    this.values = new Float64Array(count);
    this.steps = new Float64Array(count);
    this.times = new Float64Array(count);
    this.at = new Uint32Array(count);
  }
}
