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
  private readonly byName = new Map<string, MetricBuckets>();
  /** Metric of each name id; undefined until the id's first point. */
  private byId: (MetricBuckets | undefined)[] = [];
  /** Every definition met, with the offset of its block. */
  readonly names: NameDefinition[] = [];
  private readonly known: string[] = [];
  logBytes = 0;
  nextSeq = 0;
  lastBlockAt = -1;
  readonly damage: { ranges: DamagedRange[]; unnamedPoints: number } = { ranges: [], unnamedPoints: 0 };

  constructor(readonly bucketPoints = DEFAULT_BUCKET_POINTS) {}

  metric(name: string): MetricBuckets | undefined {
    return this.byName.get(name);
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
    // Set before the loop, which is left with nothing to do after it (see logRange.ts on loops and feedback).
    this.lastBlockAt = offset;
    this.logBytes = end;
    this.nextSeq = firstSeq + block.count;
    let current: MetricBuckets | undefined;
    let currentId = -1;
    for (let i = 0; i < block.length; i++) {
      const id = ids[i]!;
      if (id !== currentId) {
        currentId = id;
        current = this.byId[id] ?? this.metricFor(id, block.names[id]!);
        changed?.add(current.name);
      }
      current!.add(values[i]!, steps[i]!, times[i]!, firstSeq + (at ? at[i]! : i), offset);
    }
  }

  /**
   * Takes in the next block of the log as the points it was made of (a writer's, before encoding them): what `add`
   * does with the block's columns, without decoding them again. `names` are the definitions made since the last block
   * (any the index knows are passed over), `idOf` gives each point's name id; the block starts at `offset`, ends at `end` and numbers from `firstSeq`.
   */
  addPoints(
    points: readonly MetricPoint[],
    offset: number,
    end: number,
    firstSeq: number,
    names: readonly NameDefinition[],
    idOf: (name: string) => number,
  ): void {
    for (const d of names) {
      if (this.known[d.id] === d.name) continue;
      this.known[d.id] = d.name;
      this.names.push({ id: d.id, name: d.name, definedAt: d.definedAt });
    }
    this.lastBlockAt = offset;
    this.logBytes = end;
    this.nextSeq = firstSeq + points.length;
    let current: MetricBuckets | undefined;
    let currentName: string | undefined;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (p.name !== currentName) {
        currentName = p.name;
        const id = idOf(p.name);
        current = this.byId[id] ?? this.metricFor(id, p.name);
      }
      current!.add(p.value, p.step ?? Number.NaN, p.time, firstSeq + i, offset);
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

  private metricFor(id: number, name: string): MetricBuckets {
    let m = this.byName.get(name);
    if (!m) {
      m = new MetricBuckets(name, this.bucketPoints);
      this.byName.set(name, m);
      this.metrics.push(m);
    }
    if (!m.ids.includes(id)) m.ids.push(id);
    this.byId[id] = m;
    return m;
  }

  /** Rebuilds the look-ups after the metrics and names were read from series.idx. */
  restore(metrics: MetricBuckets[], names: NameDefinition[]): void {
    for (const m of metrics) {
      this.metrics.push(m);
      this.byName.set(m.name, m);
      for (const id of m.ids) this.byId[id] = m;
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
    this.byId = [...this.byId];
  }
}
