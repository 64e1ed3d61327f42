import type { ConfigSchema } from './types';

export type JsonSchema = { [key: string]: unknown };

const SHORTHAND_ONLY_KEYS = new Set(['required', 'secret']);

/**
 * True when the object is already a JSON Schema for the whole config rather than
 * the seed's field map. A shorthand field may itself be called "properties", so
 * that key alone decides only when it is not a field spec.
 */
function isFullSchema(schema: ConfigSchema): boolean {
  if (typeof schema.$schema === 'string' || schema.type === 'object') return true;
  const props = schema.properties;
  return typeof props === 'object' && props !== null && typeof (props as JsonSchema).type !== 'string';
}

function markSecret(field: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...field, writeOnly: true };
  if (out.type === 'string' && out.format === undefined) out.format = 'password';
  return out;
}

function normaliseField(field: unknown): JsonSchema {
  if (typeof field !== 'object' || field === null || Array.isArray(field)) {
    throw new Error('each shorthand field must be an object such as {"type": "string"}');
  }
  const spec = field as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!SHORTHAND_ONLY_KEYS.has(key)) out[key] = value;
  }
  if (spec.type === 'object' && typeof spec.properties === 'object' && spec.properties !== null) {
    Object.assign(out, normaliseObject(spec.properties as ConfigSchema));
  }
  return spec.secret === true ? markSecret(out) : out;
}

function normaliseObject(fields: ConfigSchema): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = normaliseField(field);
    if ((field as JsonSchema).required === true) required.push(name);
  }
  const out: JsonSchema = { type: 'object', properties };
  if (required.length > 0) out.required = required;
  return out;
}

/** `secret: true` anywhere in a full schema means the same as in shorthand. */
function normaliseFullSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'secret') continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      const props: JsonSchema = {};
      for (const [name, sub] of Object.entries(value as JsonSchema)) {
        props[name] = typeof sub === 'object' && sub !== null ? normaliseFullSchema(sub as JsonSchema) : sub;
      }
      out.properties = props;
    } else if (key === 'items' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out.items = normaliseFullSchema(value as JsonSchema);
    } else {
      out[key] = value;
    }
  }
  return schema.secret === true ? markSecret(out) : out;
}

/**
 * Turns a plugin's `configSchema` (JSON Schema, or the seed's shorthand
 * `{"api_key": {"type": "string", "required": true}}`) into JSON Schema.
 */
export function normaliseSchema(schema: ConfigSchema | undefined): JsonSchema {
  if (schema === undefined || Object.keys(schema).length === 0) return { type: 'object', properties: {} };
  const out = isFullSchema(schema) ? normaliseFullSchema(schema) : normaliseObject(schema);
  if (out.type === undefined) out.type = 'object';
  return out;
}

/** JSON Pointer paths (`/token`, `/auth/key`) of the fields marked secret in a normalised schema. */
export function secretPaths(schema: JsonSchema, prefix = ''): string[] {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return [];
  const out: string[] = [];
  for (const [name, field] of Object.entries(props)) {
    const path = `${prefix}/${name}`;
    if (field.writeOnly === true || field.format === 'password') out.push(path);
    out.push(...secretPaths(field, path));
  }
  return out;
}

/** A copy of the config with secret values replaced, safe to log or show. */
export function redactSecrets(schema: JsonSchema, config: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(config);
  for (const path of secretPaths(schema)) {
    const parts = path.split('/').slice(1);
    let node: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = node?.[part];
      node = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
    }
    const last = parts[parts.length - 1]!;
    if (node && node[last] !== undefined) node[last] = '********';
  }
  return copy;
}
