// Pure and browser-safe: what kind of form control a (normalised) JSON Schema node becomes.
import type { JsonSchema } from '../schema';
import { isPlainObject, parsePointer } from './jsonPointer';

export type ScalarKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum';
export type FieldKind = ScalarKind | 'secret' | 'array' | 'object' | 'json';

/** The single non-null type of a schema node, or undefined when it has none or several. */
export function typeOf(schema: JsonSchema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const real = t.filter((x) => x !== 'null');
    return real.length === 1 && typeof real[0] === 'string' ? real[0] : undefined;
  }
  if (isPlainObject(schema.properties)) return 'object';
  return undefined;
}

export function isSecret(schema: JsonSchema): boolean {
  return schema.writeOnly === true || schema.format === 'password';
}

/** The values an enum (or const) allows, or undefined when the node is not one. */
export function enumValues(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  return undefined;
}

function isScalarKind(kind: FieldKind): kind is ScalarKind {
  return kind === 'string' || kind === 'number' || kind === 'integer' || kind === 'boolean' || kind === 'enum';
}

/**
 * The control for a schema node. Anything the form cannot show as a control
 * (unions, tuples, arrays of objects, free-form objects) is edited as JSON text.
 */
export function kindOf(schema: JsonSchema): FieldKind {
  if (isSecret(schema)) return 'secret';
  if (enumValues(schema)) return 'enum';
  if (schema.oneOf !== undefined || schema.anyOf !== undefined || schema.allOf !== undefined) return 'json';
  switch (typeOf(schema)) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'object':
      return isPlainObject(schema.properties) && Object.keys(schema.properties).length > 0 ? 'object' : 'json';
    case 'array': {
      const items = schema.items;
      return isPlainObject(items) && isScalarKind(kindOf(items)) ? 'array' : 'json';
    }
    default:
      return 'json';
  }
}

/** The schema node that describes the value at a pointer (through `properties` and `items`). */
export function schemaAt(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const part of parsePointer(pointer)) {
    if (!node) return undefined;
    const props: unknown = node.properties;
    if (isPlainObject(props) && isPlainObject(props[part])) node = props[part] as JsonSchema;
    else if (isPlainObject(node.items) && /^\d+$/.test(part)) node = node.items as JsonSchema;
    else return undefined;
  }
  return node;
}

/** Names a schema property requires. */
export function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
}
