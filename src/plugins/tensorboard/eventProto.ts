import { fieldBytes, fieldDouble, fieldFloat, fieldInt64, fieldString, littleEndian, readFields, repeatedNumbers, type ProtobufField } from './protobufReader';
import { ProtobufWriter } from './protobufWriter';

// Field numbers from tensorflow/core/util/event.proto and framework/summary.proto, tensor.proto.
const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
const SUMMARY = { value: 1 } as const;
const VALUE = { tag: 1, simpleValue: 2, tensor: 8, metadata: 9 } as const;
const METADATA = { pluginData: 1 } as const;
const PLUGIN_DATA = { pluginName: 1 } as const;
const TENSOR = { dtype: 1, shape: 2, content: 4, floatVal: 5, doubleVal: 6, stringVal: 8 } as const;
const DTYPE = { float: 1, double: 2, string: 7 } as const;

export const FILE_VERSION = 'brain.Event:2';

/** The first record of every event file. */
export function fileVersionEvent(wallTimeSeconds: number): Uint8Array {
  return new ProtobufWriter().double(EVENT.wallTime, wallTimeSeconds).string(EVENT.fileVersion, FILE_VERSION).finish();
}

/** One Event whose Summary holds scalars as `simple_value` (what TensorBoard's Scalars tab and PyTorch use). */
export function scalarEvent(wallTimeSeconds: number, step: number, values: readonly { tag: string; value: number }[]): Uint8Array {
  return new ProtobufWriter()
    .double(EVENT.wallTime, wallTimeSeconds)
    .varint(EVENT.step, step)
    .message(EVENT.summary, (summary) => {
      for (const v of values) summary.message(SUMMARY.value, (value) => value.string(VALUE.tag, v.tag).float(VALUE.simpleValue, v.value));
    })
    .finish();
}

/** A text summary (TensorBoard's Text tab): a scalar string tensor tagged for the "text" plugin. */
export function textEvent(wallTimeSeconds: number, step: number, tag: string, text: string): Uint8Array {
  return new ProtobufWriter()
    .double(EVENT.wallTime, wallTimeSeconds)
    .varint(EVENT.step, step)
    .message(EVENT.summary, (summary) =>
      summary.message(SUMMARY.value, (value) =>
        value
          .string(VALUE.tag, tag)
          .message(VALUE.metadata, (m) => m.message(METADATA.pluginData, (p) => p.string(PLUGIN_DATA.pluginName, 'text')))
          .message(VALUE.tensor, (t) =>
            t
              .varint(TENSOR.dtype, DTYPE.string)
              .message(TENSOR.shape, () => undefined)
              .string(TENSOR.stringVal, text),
          ),
      ),
    )
    .finish();
}

export interface DecodedValue {
  tag: string;
  /** `simple_value`: a scalar in the old form (PyTorch's and tensorboardX's add_scalar). */
  simpleValue?: number;
  /** The value of a one-element float or double `tensor` (a scalar in the new form when the plugin is "scalars"). */
  tensorValue?: number;
  /** `metadata.plugin_data.plugin_name`, when the value carries it (writers may send it with a tag's first value only). */
  pluginName?: string;
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: DecodedValue[];
}

/** An Event with the parts a metrics reader needs; other kinds of events come back with no values. */
export function decodeEvent(data: Uint8Array): DecodedEvent {
  const event: DecodedEvent = { wallTime: 0, step: 0, values: [] };
  for (const f of readFields(data)) {
    if (f.field === EVENT.wallTime) event.wallTime = fieldDouble(f) ?? 0;
    else if (f.field === EVENT.step) event.step = fieldInt64(f) ?? 0;
    else if (f.field === EVENT.fileVersion) event.fileVersion = fieldString(f);
    else if (f.field === EVENT.summary && f.wireType === 2) {
      for (const v of readFields(f.value)) if (v.field === SUMMARY.value && v.wireType === 2) event.values.push(decodeValue(v.value));
    }
  }
  return event;
}

function decodeValue(data: Uint8Array): DecodedValue {
  const out: DecodedValue = { tag: '' };
  let tensor: ProtobufField | undefined;
  for (const f of readFields(data)) {
    if (f.field === VALUE.tag) out.tag = fieldString(f) ?? '';
    else if (f.field === VALUE.simpleValue) out.simpleValue = fieldFloat(f);
    else if (f.field === VALUE.metadata && f.wireType === 2) out.pluginName = pluginNameOf(f.value);
    else if (f.field === VALUE.tensor) tensor = f;
  }
  const tensorValue = tensor && tensorScalar(fieldBytes(tensor));
  if (tensorValue !== undefined) out.tensorValue = tensorValue;
  return out;
}

function pluginNameOf(metadata: Uint8Array): string | undefined {
  for (const f of readFields(metadata)) {
    if (f.field !== METADATA.pluginData || f.wireType !== 2) continue;
    for (const p of readFields(f.value)) if (p.field === PLUGIN_DATA.pluginName) return fieldString(p);
  }
  return undefined;
}

/** The value of a float or double tensor with exactly one element; undefined otherwise. */
function tensorScalar(data: Uint8Array | undefined): number | undefined {
  if (!data) return undefined;
  const fields = readFields(data);
  const dtype = fields.find((f) => f.field === TENSOR.dtype);
  const type = dtype ? fieldInt64(dtype) : undefined;
  if (type !== DTYPE.float && type !== DTYPE.double) return undefined;
  const width = type === DTYPE.float ? 4 : 8;
  const content = fields.find((f) => f.field === TENSOR.content);
  const values = content
    ? littleEndian(fieldBytes(content) ?? new Uint8Array(), width)
    : repeatedNumbers(fields, width === 4 ? TENSOR.floatVal : TENSOR.doubleVal, width);
  return values.length === 1 ? values[0] : undefined;
}
