import type { NameDefinition } from '../store/blockFormat';
import type { PointColumns } from '../store/metricsLog';
import type { MetricPoint } from '../types';
import type { DamagedRange, DamageReport, LogCheckpoint, LogScanner } from '../store/logScanner';
import { DEFAULT_BUCKET_POINTS, MetricBuckets } from './metricBuckets';

/**
 * The index of every metric of one metrics.bin, up to a point of the log (`logBytes`, `nextSeq`):
 * each metric's buckets (metricBuckets.ts), the names the log defines there (so that a read can
 * start at any block without reading what comes before it) and the damage met on the way.
 * It grows by `add`, one block of columns at a time, in log order: from a writer as it stores
 * them (indexWriter.ts) or from a reader catching up with the log (runSeries.ts).
 */
export class SeriesIndex {
  /** In the order each metric first appeared. */
  readonly metrics: MetricBuckets[] = [];
  /** Place in `metrics` of each metric, by name. */
  private readonly slotByName = new Map<string, number>();
  /** Place in `metrics` of each name id's metric; undefined until the id's first point. */
  private slotOf: (number | undefined)[] = [];
  private readonly scratch = new GroupScratch();
  /** Every definition met, with the offset of its block. */
  readonly names: NameDefinition[] = [];
  private readonly known: string[] = [];
  logBytes = 0;
  nextSeq = 0;
  lastBlockAt = -1;
  readonly damage: { ranges: DamagedRange[]; unnamedPoints: number } = { ranges: [], unnamedPoints: 0 };

  constructor(readonly bucketPoints = DEFAULT_BUCKET_POINTS) {}

  metric(name: string): MetricBuckets | undefined {
    const slot = this.slotByName.get(name);
    return slot === undefined ? undefined : this.metrics[slot];
  }

  /** Where the index stands, as a log scanner takes it up (LogScanner.startFrom). */
  checkpoint(): LogCheckpoint {
    let firstFreeId = 0;
    for (const d of this.names) if (d.id >= firstFreeId) firstFreeId = d.id + 1;
    return {
      logBytes: this.logBytes,
      nextSeq: this.nextSeq,
      lastBlockAt: this.lastBlockAt,
      firstFreeId,
      names: this.names,
      damage: { ranges: [...this.damage.ranges], unnamedPoints: this.damage.unnamedPoints },
    };
  }

  /** The definitions made before `offset`: what a read starting at the block there knows. */
  namesBefore(offset: number): NameDefinition[] {
    return this.names.filter((d) => d.definedAt < offset);
  }

  /**
   * Takes in the next block of the log (its columns, in log order, as MetricsLogReader.scan gives
   * them); returns the names that got points. `end` is where the block ends in the file.
   */
  add(block: PointColumns, end: number, changed?: Set<string>): void {
    this.learnNames(block);
    const { ids, values, steps, times, at, firstSeq, offset } = block;
    this.lastBlockAt = offset;
    this.logBytes = end;
    this.nextSeq = firstSeq + block.count;
    const slots = this.scratch.slots(block.length);
    let slot = -1;
    let currentId = -1;
    for (let i = 0; i < block.length; i++) {
      const id = ids[i]!;
      if (id !== currentId) {
        currentId = id;
        slot = this.slotOf[id] ?? this.metricFor(id, block.names[id]!);
        changed?.add(this.metrics[slot]!.name);
      }
      slots[i] = slot;
    }
    this.addBlock(block.length, values, steps, times, firstSeq, at, offset);
  }

  /**
   * Takes in the next block of the log as the points it was made of (a writer's, before encoding them): what `add`
   * does with the block's columns, without decoding them again. `fresh` are the definitions made since the last block
   * (any the index knows are passed over); the block starts at `offset`, ends at `end` and numbers from `firstSeq`.
   */
  addPoints(points: readonly MetricPoint[], offset: number, end: number, firstSeq: number, fresh: readonly NameDefinition[]): void {
    for (const d of fresh) {
      if (this.known[d.id] === d.name) continue;
      this.known[d.id] = d.name;
      this.names.push({ id: d.id, name: d.name, definedAt: d.definedAt });
      // A name defined again (its first definition damaged) takes its points under the new id too.
      if (this.slotByName.has(d.name)) this.metricFor(d.id, d.name);
    }
    this.lastBlockAt = offset;
    this.logBytes = end;
    this.nextSeq = firstSeq + points.length;
    const n = points.length;
    const { slots, values, steps, times } = this.scratch.columns(n);
    let slot = -1;
    let currentName: string | undefined;
    for (let i = 0; i < n; i++) {
      const p = points[i]!;
      if (p.name !== currentName) {
        currentName = p.name;
        slot = this.slotByName.get(p.name) ?? this.firstPointOf(p.name);
      }
      slots[i] = slot;
      values[i] = p.value;
      steps[i] = p.step ?? Number.NaN;
      times[i] = p.time;
    }
    this.addBlock(n, values, steps, times, firstSeq, undefined, offset);
  }

  /** The metric of a name's first point: the id is its latest definition's. */
  private firstPointOf(name: string): number {
    for (let k = this.names.length - 1; k >= 0; k--) if (this.names[k]!.name === name) return this.metricFor(this.names[k]!.id, name);
    throw new Error(`no definition of ${name} before its first point`);
  }

  /**
   * Hands each metric its points of the block in one call (MetricBuckets.addGroup), in log order: the block's points
   * put in metric order by a counting sort on `scratch.slots` (each point's metric, by its place in `metrics`).
   */
  private addBlock(
    n: number,
    values: Float64Array,
    steps: Float64Array,
    times: Float64Array,
    firstSeq: number,
    places: Uint32Array | undefined,
    offset: number,
  ): void {
    const { touched } = this.scratch;
    const slots = this.scratch.slots(n);
    const counts = this.scratch.counts(this.metrics.length);
    const order = this.scratch.order(n);
    touched.length = 0;
    for (let i = 0; i < n; i++) if (counts[slots[i]!]!++ === 0) touched.push(slots[i]!);
    let start = 0;
    for (const t of touched) {
      const c = counts[t]!;
      counts[t] = start;
      start += c;
    }
    for (let i = 0; i < n; i++) order[counts[slots[i]!]!++] = i;
    let from = 0;
    for (const t of touched) {
      const to = counts[t]!;
      this.metrics[t]!.addGroup(values, steps, times, order, from, to, firstSeq, places, offset);
      counts[t] = 0;
      from = to;
    }
  }

  /** Damage a scan reported while it fed this index. */
  addDamage(damage: DamageReport | undefined): void {
    if (!damage) return;
    this.damage.ranges.push(...damage.ranges);
    this.damage.unnamedPoints += damage.unnamedPoints;
  }

  /** Moves the index to where a scan that fed it stopped: blocks with no point it could take still define names and move the end. */
  moveTo(scanner: LogScanner): void {
    for (const d of scanner.definitions) {
      if (this.known[d.id] === d.name) continue;
      this.known[d.id] = d.name;
      this.names.push(d);
    }
    this.logBytes = scanner.offset;
    this.nextSeq = scanner.nextSeq;
    this.lastBlockAt = scanner.lastBlockAt;
  }

  /** Records the names the block's table has that the index has not seen: they were defined in this block. */
  private learnNames(block: { names: readonly string[]; offset: number }): void {
    const names = block.names;
    if (names.length === this.known.length && names[names.length - 1] === this.known[names.length - 1]) return;
    for (let id = 0; id < names.length; id++) {
      const name = names[id];
      if (name === undefined || this.known[id] === name) continue;
      this.known[id] = name;
      this.names.push({ id, name, definedAt: block.offset });
    }
  }

  /** The place in `metrics` of the metric named `name`, which the log gives id `id`. */
  private metricFor(id: number, name: string): number {
    let slot = this.slotByName.get(name);
    if (slot === undefined) {
      slot = this.metrics.push(new MetricBuckets(name, this.bucketPoints)) - 1;
      this.slotByName.set(name, slot);
    }
    const m = this.metrics[slot]!;
    if (!m.ids.includes(id)) m.ids.push(id);
    this.slotOf[id] = slot;
    return slot;
  }

  /** Rebuilds the look-ups after the metrics and names were read from series.idx. */
  restore(metrics: MetricBuckets[], names: NameDefinition[]): void {
    for (const m of metrics) {
      this.slotByName.set(m.name, this.metrics.push(m) - 1);
      for (const id of m.ids) this.slotOf[id] = this.metrics.length - 1;
    }
    for (const d of names) {
      this.names.push(d);
      this.known[d.id] = d.name;
    }
  }

  /** Bytes the index holds in memory, about. */
  get memoryBytes(): number {
    let bytes = 0;
    for (const m of this.metrics) bytes += m.columns.length * m.columns[0]!.byteLength;
    return bytes;
  }

  /** Drops the id look-up's holes left by a restore into a fresh array (ids are small integers). */
  compactIds(): void {
    this.slotOf = [...this.slotOf];
  }
}

/** Arrays SeriesIndex reuses from block to block to put a block's points in metric order, grown to the largest block. */
class GroupScratch {
  private slotArray = new Int32Array(0);
  private orderArray = new Int32Array(0);
  private countArray = new Int32Array(0);
  private valueArray = new Float64Array(0);
  private stepArray = new Float64Array(0);
  private timeArray = new Float64Array(0);
  /** The metrics a block has points of, in the order they first come. */
  readonly touched: number[] = [];

  slots(n: number): Int32Array {
    if (this.slotArray.length < n) this.slotArray = new Int32Array(n);
    return this.slotArray;
  }

  order(n: number): Int32Array {
    if (this.orderArray.length < n) this.orderArray = new Int32Array(n);
    return this.orderArray;
  }

  /** Zeros between blocks: addBlock sets back what it counted. */
  counts(metrics: number): Int32Array {
    if (this.countArray.length < metrics) this.countArray = new Int32Array(Math.max(metrics, 2 * this.countArray.length));
    return this.countArray;
  }

  /** Columns for a writer's points. */
  columns(n: number): { slots: Int32Array; values: Float64Array; steps: Float64Array; times: Float64Array } {
    if (this.valueArray.length < n) {
      this.valueArray = new Float64Array(n);
      this.stepArray = new Float64Array(n);
      this.timeArray = new Float64Array(n);
    }
    return { slots: this.slots(n), values: this.valueArray, steps: this.stepArray, times: this.timeArray };
  }
}
