import { BLOCK_HEADER_BYTES, defineNames, unnamedPoints, type BlockLayout, type NameDefinition } from './blockFormat';
import { LogWindow, magicOffsets, readBlockAt, type BlockAt } from './logFile';

/** Bytes between two blocks that read, holding none: readers step over them, nobody removes them. */
export interface DamagedRange {
  offset: number;
  bytes: number;
  /** Points lost with them: the gap in sequence numbers across them. */
  lostPoints: number;
}

/** Damage a reader met for the first time. */
export interface DamageReport {
  ranges: DamagedRange[];
  /** Points of blocks that read, skipped because the block that defined their name is damaged. */
  unnamedPoints: number;
}

/** A block the scanner has just passed, in the buffer that holds it until the next step. */
export interface ScannedBlock extends BlockAt {
  offset: number;
  /** Points skipped for want of a name: when 0, a decoder needs not look names up to skip any. */
  unnamed: number;
}

/** Where a scan of a log stands, as a log index (logIndex.ts) records it. */
export interface LogCheckpoint {
  /** End of the last block that reads: where the next block goes. */
  logBytes: number;
  nextSeq: number;
  /** Start of the last block that reads; -1 in an empty log. */
  lastBlockAt: number;
  /** Above every name id the log defines or uses. */
  firstFreeId: number;
  names: readonly NameDefinition[];
  damage: DamageReport;
}

/**
 * Steps through a log block by block with the rules of docs/run-format.md: names, sequence numbers,
 * damage stepped over and reported once, a torn tail left alone. It decodes no point: readers decode
 * what they need from the block each step returns. Every reading path (readers, a writer opening
 * the log) goes through it, so that they all see the same log.
 */
export class LogScanner {
  readonly names: string[] = [];
  /** The definitions met, first ones first, each with the offset of its block: a writer's name table. */
  readonly definitions: NameDefinition[] = [];
  firstFreeId = 0;
  offset = 0;
  nextSeq = 0;
  lastBlockAt = -1;
  readonly window = new LogWindow();
  /** Damage before this offset was reported already: reading it again after a rewind does not repeat it. */
  private reportedTo = 0;
  private unreported: DamageReport | undefined;

  /** Goes on from what a log index says, with the damage it lists still to report. */
  startFrom(checkpoint: LogCheckpoint): void {
    for (const d of checkpoint.names) {
      this.names[d.id] = d.name;
      this.definitions.push(d);
    }
    Object.assign(this, {
      firstFreeId: checkpoint.firstFreeId,
      offset: checkpoint.logBytes,
      nextSeq: checkpoint.nextSeq,
      lastBlockAt: checkpoint.lastBlockAt,
      reportedTo: checkpoint.logBytes,
    });
    const { ranges, unnamedPoints } = checkpoint.damage;
    if (ranges.length > 0 || unnamedPoints > 0) this.unreported = { ranges: [...ranges], unnamedPoints };
  }

  /** Goes back to a block boundary this scanner passed. */
  rewind(offset: number, seq: number): void {
    this.offset = offset;
    this.nextSeq = seq;
  }

  /** The damage met since the last call, if any. */
  takeDamage(): DamageReport | undefined {
    const damage = this.unreported;
    this.unreported = undefined;
    return damage;
  }

  /**
   * Moves past the next block that reads, and any damage before it; undefined at the end or a
   * torn tail, or when the damage ends at or past `stopAt` (the block there is left unread).
   */
  step(stopAt = Infinity): ScannedBlock | undefined {
    if (this.offset + BLOCK_HEADER_BYTES > this.window.size) return undefined;
    let block = readBlockAt(this.window, this.offset, this.nextSeq);
    if (!block) {
      const next = this.resync();
      if (!next) return undefined;
      if (this.offset >= this.reportedTo) {
        this.report().ranges.push({ offset: this.offset, bytes: next.offset - this.offset, lostPoints: next.block.layout.firstSeq - this.nextSeq });
      }
      this.offset = next.offset;
      this.reportedTo = Math.max(this.reportedTo, this.offset);
      this.nextSeq = next.block.layout.firstSeq;
      if (this.offset >= stopAt) return undefined;
      block = next.block;
    }
    const scanned = { ...block, offset: this.offset, unnamed: this.learn(block) };
    this.lastBlockAt = this.offset;
    this.offset += block.layout.length;
    this.reportedTo = Math.max(this.reportedTo, this.offset);
    this.nextSeq = block.layout.firstSeq + block.layout.count;
    return scanned;
  }

  /** Takes in the block's names; returns how many of its points must be skipped for want of one. */
  private learn({ buf, layout }: { buf: Buffer; layout: BlockLayout }): number {
    const definedMax = defineNames(buf, layout, this.names, (id, name) => this.definitions.push({ id, name, definedAt: this.offset }));
    const unnamed = unnamedPoints(buf, layout, this.names);
    if (unnamed.count > 0 && this.offset >= this.reportedTo) this.report().unnamedPoints += unnamed.count;
    const maxId = Math.max(definedMax, unnamed.maxId);
    if (maxId >= this.firstFreeId) this.firstFreeId = maxId + 1;
    return unnamed.count;
  }

  /** The first block that reads after the current offset: where a reader goes on after damage. */
  private resync(): { offset: number; block: BlockAt } | undefined {
    for (const offset of magicOffsets(this.window.fd, this.offset + 1, this.window.size)) {
      const block = readBlockAt(this.window, offset, this.nextSeq);
      if (block) return { offset, block };
    }
    return undefined;
  }

  private report(): DamageReport {
    return (this.unreported ??= { ranges: [], unnamedPoints: 0 });
  }
}
