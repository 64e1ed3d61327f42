import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32c, maskCrc } from '../../src/plugins/tensorboard/crc32c';
import { decodeEvent, fileVersionEvent, scalarEvent, textEvent } from '../../src/plugins/tensorboard/eventProto';
import {
  fieldDouble,
  fieldFloat,
  fieldInt64,
  fieldString,
  readFields,
  repeatedNumbers,
  ProtobufDecodeError,
} from '../../src/plugins/tensorboard/protobufReader';
import { ProtobufWriter } from '../../src/plugins/tensorboard/protobufWriter';
import { decodeRecords, encodeRecord, TfRecordCorruptError } from '../../src/plugins/tensorboard/tfRecord';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('CRC-32C', () => {
  it('matches the RFC 3720 (iSCSI) test vectors and the check value', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
    assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
    const readPdu = Buffer.from('01c000000000000000000000000000001400000000000400000000140000001828000000000000000200000000000000', 'hex');
    assert.equal(crc32c(readPdu), 0xd9963a56);
    assert.equal(crc32c(new Uint8Array()), 0);
  });

  it('continues over pieces and ranges', () => {
    const data = Buffer.from('123456789');
    assert.equal(crc32c(data, 4, 9, crc32c(data, 0, 4)), 0xe3069283);
  });

  it("masks like TensorFlow (values from Python tensorboard's masked_crc32c)", () => {
    assert.equal(maskCrc(crc32c(new Uint8Array())), 0xa282ead8);
    assert.equal(maskCrc(crc32c(Buffer.from('123456789'))), 0xc78ab0e5);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(13n);
    assert.equal(maskCrc(crc32c(len)), 0x34b8373c);
  });
});

describe('protobuf encoding', () => {
  it('writes the wire format protobuf specifies (varints, fixed64, fixed32, length-delimited)', () => {
    assert.deepEqual(new ProtobufWriter().varint(1, 150).finish(), bytes(0x08, 0x96, 0x01));
    assert.deepEqual(new ProtobufWriter().string(2, 'testing').finish(), bytes(0x12, 0x07, ...Buffer.from('testing')));
    assert.deepEqual(new ProtobufWriter().varint(2, -1).finish(), bytes(0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    assert.deepEqual(new ProtobufWriter().double(1, 1).finish(), bytes(0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f));
    assert.deepEqual(new ProtobufWriter().float(2, 1).finish(), bytes(0x15, 0, 0, 0x80, 0x3f));
  });

  it('reads back what it writes, nested messages and packed floats included', () => {
    const packed = Buffer.alloc(8);
    packed.writeFloatLE(1.5, 0);
    packed.writeFloatLE(-2, 4);
    const data = new ProtobufWriter()
      .double(1, 1700000000.25)
      .varint(2, 2 ** 40)
      .varint(3, -5)
      .message(4, (m) => m.string(1, 'héllo').float(2, 0.1))
      .bytes(5, packed)
      .float(5, 7)
      .finish();
    const f = readFields(data);
    assert.equal(fieldDouble(f[0]!), 1700000000.25);
    assert.equal(fieldInt64(f[1]!), 2 ** 40);
    assert.equal(fieldInt64(f[2]!), -5);
    const inner = readFields(f[3]!.value as Uint8Array);
    assert.equal(fieldString(inner[0]!), 'héllo');
    assert.equal(fieldFloat(inner[1]!), Math.fround(0.1));
    assert.deepEqual(repeatedNumbers(f, 5, 4), [1.5, -2, 7]);
  });

  it('refuses malformed input', () => {
    assert.throws(() => readFields(bytes(0x08, 0x96)), ProtobufDecodeError);
    assert.throws(() => readFields(bytes(0x12, 0x05, 0x61)), ProtobufDecodeError);
    assert.throws(() => readFields(bytes(0x0b)), /wire type 3/);
  });

  it('round-trips events: file version, scalars, text', () => {
    assert.deepEqual(decodeEvent(fileVersionEvent(1.5)), { wallTime: 1.5, step: 0, fileVersion: 'brain.Event:2', values: [] });
    const e = decodeEvent(
      scalarEvent(1700000000.123, 42, [
        { tag: 'loss', value: 0.1 },
        { tag: 'acc', value: 0.9 },
      ]),
    );
    assert.equal(e.wallTime, 1700000000.123);
    assert.equal(e.step, 42);
    assert.deepEqual(e.values, [
      { tag: 'loss', simpleValue: Math.fround(0.1) },
      { tag: 'acc', simpleValue: Math.fround(0.9) },
    ]);
    const t = decodeEvent(textEvent(2, 0, 'params', '| a | b |'));
    assert.deepEqual(t.values, [{ tag: 'params', pluginName: 'text' }]);
  });
});

describe('TFRecord framing', () => {
  const records = [Buffer.from('first'), new Uint8Array(0), Buffer.alloc(300, 7)];
  const file = Buffer.concat(records.map((r) => encodeRecord(r)));

  it('frames records so they read back whole', () => {
    assert.equal(encodeRecord(Buffer.from('first')).length, 12 + 5 + 4);
    const { records: got, consumed } = decodeRecords(file);
    assert.deepEqual(
      got.map((r) => Buffer.from(r)),
      records.map((r) => Buffer.from(r)),
    );
    assert.equal(consumed, file.length);
  });

  it('leaves a torn last record for later, at any cut', () => {
    const whole = encodeRecord(Buffer.from('first')).length + encodeRecord(new Uint8Array(0)).length;
    for (let cut = whole; cut < file.length; cut++) {
      const { records: got, consumed } = decodeRecords(file.subarray(0, cut));
      assert.equal(got.length, 2, `cut at ${cut}`);
      assert.equal(consumed, whole);
    }
  });

  it('detects a flipped bit in the length or the data', () => {
    const badLength = Buffer.from(file);
    badLength[2]! ^= 0x01;
    assert.throws(
      () => decodeRecords(badLength),
      (err: unknown) => err instanceof TfRecordCorruptError && /length checksum at byte 0/.test(err.message),
    );
    const badData = Buffer.from(file);
    badData[file.length - 10]! ^= 0x80;
    assert.throws(() => decodeRecords(badData), /bad data checksum/);
  });
});
