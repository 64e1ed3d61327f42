import { crc32c, maskCrc } from './crc32c';

/**
 * TFRecord framing, little-endian: uint64 length, uint32 masked CRC-32C of those 8
 * bytes, the data, uint32 masked CRC-32C of the data.
 */
export function encodeRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskCrc(crc32c(out, 0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskCrc(crc32c(data)), 12 + data.length);
  return out;
}

export class TfRecordCorruptError extends Error {
  constructor(
    message: string,
    /** Offset of the bad record in the buffer given to decodeRecords. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Records larger than this are taken for corruption rather than allocated. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface DecodedRecords {
  records: Uint8Array[];
  /** Bytes taken by whole records; the rest is an incomplete record still being written. */
  consumed: number;
}

/**
 * Whole records from the start of `data`. A record cut short at the end (a writer in
 * the middle of an append) is left for later; a CRC mismatch throws.
 */
export function decodeRecords(data: Uint8Array): DecodedRecords {
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const records: Uint8Array[] = [];
  let pos = 0;
  while (data.length - pos >= 12) {
    const length = view.getBigUint64(pos, true);
    if (view.getUint32(pos + 8, true) !== maskCrc(crc32c(data, pos, pos + 8))) throw new TfRecordCorruptError(`bad length checksum at byte ${pos}`, pos);
    if (length > BigInt(MAX_RECORD_BYTES)) throw new TfRecordCorruptError(`record of ${length} bytes at byte ${pos}`, pos);
    const n = Number(length);
    if (data.length - pos < 12 + n + 4) break;
    const start = pos + 12;
    if (view.getUint32(start + n, true) !== maskCrc(crc32c(data, start, start + n))) throw new TfRecordCorruptError(`bad data checksum at byte ${pos}`, pos);
    records.push(data.subarray(start, start + n));
    pos = start + n + 4;
  }
  return { records, consumed: pos };
}
