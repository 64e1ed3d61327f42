import { crc32, defineNames } from './blockFormat';
import { readBlockAt, type LogWindow } from './logFile';
import type { LogCheckpoint } from './logScanner';
import { checkpointOf, checkpointSections, readSidecar, sectionsOf } from './sidecarFile';

/*
 * metrics.idx (docs/run-format.md): where a writer's scan of metrics.bin stood, so that opening a long
 * log reads its tail rather than all of it. Little-endian:
 *
 *   index   := magic u32 "TRCI" | CRC-32 of the sections u32 | section*
 *   section := tag u32 | byte length u32 | body     (a tag this code does not know is skipped)
 *   HEAD, NAME, DMGE: the checkpoint (sidecarFile.ts), which series.idx begins with too
 *
 * The log stays the truth: an index is used only when it agrees with the log where that can be
 * checked cheaply (logAgrees), and anything else about it sends the opener back to a full scan.
 */

const INDEX_MAGIC = 0x49435254;
/** Larger than any index a real log needs (names are few); a larger file is not read at all. */
export const MAX_INDEX_BYTES = 16 << 20;

/** The index file beside a log: metrics.bin → metrics.idx. */
export function indexFileFor(logFile: string): string {
  return logFile.endsWith('.bin') ? `${logFile.slice(0, -4)}.idx` : `${logFile}.idx`;
}

export function encodeIndex(cp: LogCheckpoint): Buffer {
  const sections = Buffer.concat(checkpointSections(cp));
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(INDEX_MAGIC, 0);
  head.writeUInt32LE(crc32(sections), 4);
  return Buffer.concat([head, sections]);
}

/** The checkpoint an index holds, or undefined if it is not a whole, well-formed index whose figures hang together. */
export function decodeIndex(buf: Buffer): LogCheckpoint | undefined {
  if (buf.length < 8 || buf.readUInt32LE(0) !== INDEX_MAGIC || crc32(buf.subarray(8)) !== buf.readUInt32LE(4)) return undefined;
  const sections = sectionsOf(buf, 8);
  return sections && checkpointOf(sections);
}

/**
 * Whether the log bears the index out where it can be checked without reading it all: the index's last
 * block is there, reads, ends where the index says and numbers its points up to the index's next
 * sequence number; and each block the index says defines names defines exactly those. A log changed
 * anywhere else before the index's end is not noticed, and needs not be: a writer only goes on from
 * the end and the names (docs/run-format.md, metrics.idx).
 */
export function logAgrees(cp: LogCheckpoint, window: LogWindow): boolean {
  if (cp.logBytes > window.size) return false;
  if (cp.logBytes === 0) return cp.names.length === 0;
  const last = readBlockAt(window, cp.lastBlockAt, 0);
  if (!last || cp.lastBlockAt + last.layout.length !== cp.logBytes || last.layout.firstSeq + last.layout.count !== cp.nextSeq) return false;
  const byBlock = new Map<number, Map<number, string>>();
  for (const d of cp.names) {
    const defs = byBlock.get(d.definedAt) ?? new Map<number, string>();
    if (defs.has(d.id)) return false;
    byBlock.set(d.definedAt, defs.set(d.id, d.name));
  }
  for (const [at, defs] of byBlock) {
    const block = readBlockAt(window, at, 0);
    if (!block) return false;
    const found = new Map<number, string>();
    defineNames(block.buf, block.layout, [], (id, name) => found.set(id, name));
    if (found.size !== defs.size || [...defs].some(([id, name]) => found.get(id) !== name)) return false;
  }
  return true;
}

/** The index file's bytes, or undefined when there is none to trust: missing, not a plain file (a link, a pipe), or too large. */
export function readIndexFile(file: string): Buffer | undefined {
  return readSidecar(file, MAX_INDEX_BYTES);
}
