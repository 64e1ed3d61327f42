/** One field as it appears on the wire; the reader does not know the schema. */
export type ProtobufField =
  | { field: number; wireType: 0; value: bigint }
  | { field: number; wireType: 1; value: Uint8Array }
  | { field: number; wireType: 2; value: Uint8Array }
  | { field: number; wireType: 5; value: Uint8Array };

export class ProtobufDecodeError extends Error {}

/** The fields of one message, in order; throws a ProtobufDecodeError on malformed input. */
export function readFields(data: Uint8Array): ProtobufField[] {
  const fields: ProtobufField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= data.length) throw new ProtobufDecodeError('truncated varint');
      const byte = data[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || pos + n > data.length) throw new ProtobufDecodeError(`field runs past the end (${n} bytes at ${pos} of ${data.length})`);
    const out = data.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < data.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0) throw new ProtobufDecodeError('field number 0');
    switch (wireType) {
      case 0:
        fields.push({ field, wireType, value: varint() });
        break;
      case 1:
        fields.push({ field, wireType, value: take(8) });
        break;
      case 2:
        fields.push({ field, wireType, value: take(Number(varint())) });
        break;
      case 5:
        fields.push({ field, wireType, value: take(4) });
        break;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType} (field ${field})`);
    }
  }
  return fields;
}

export function fieldDouble(f: ProtobufField): number | undefined {
  return f.wireType === 1 ? new DataView(f.value.buffer, f.value.byteOffset, 8).getFloat64(0, true) : undefined;
}

export function fieldFloat(f: ProtobufField): number | undefined {
  return f.wireType === 5 ? new DataView(f.value.buffer, f.value.byteOffset, 4).getFloat32(0, true) : undefined;
}

/** int64 as a JS number (steps beyond 2^53 lose precision). */
export function fieldInt64(f: ProtobufField): number | undefined {
  return f.wireType === 0 ? Number(BigInt.asIntN(64, f.value)) : undefined;
}

export function fieldString(f: ProtobufField): string | undefined {
  return f.wireType === 2 ? Buffer.from(f.value.buffer, f.value.byteOffset, f.value.length).toString('utf8') : undefined;
}

export function fieldBytes(f: ProtobufField): Uint8Array | undefined {
  return f.wireType === 2 ? f.value : undefined;
}

/** A repeated float or double field, packed (one length-delimited run) or not. */
export function repeatedNumbers(fields: readonly ProtobufField[], field: number, width: 4 | 8): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType === 2) out.push(...littleEndian(f.value, width));
    else if (width === 4 && f.wireType === 5) out.push(fieldFloat(f)!);
    else if (width === 8 && f.wireType === 1) out.push(fieldDouble(f)!);
  }
  return out;
}

/** Packed little-endian floats or doubles (TensorProto.tensor_content has the same layout). */
export function littleEndian(bytes: Uint8Array, width: 4 | 8): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: number[] = [];
  for (let at = 0; at + width <= bytes.length; at += width) out.push(width === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true));
  return out;
}
