import { childPointer, isPlainObject } from './form/jsonPointer';
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

// Draft-07 keywords whose value is a schema, a list of schemas, or a map of names to schemas.
const SCHEMA_KEYWORDS = new Set(['items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else']);
const SCHEMA_LIST_KEYWORDS = new Set(['items', 'allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);

/** A keyword's value with the schemas in it normalised (array items, map values and union branches may be secrets too). */
function normaliseKeyword(key: string, value: unknown): unknown {
  const sub = (v: unknown) => (isPlainObject(v) ? normaliseFullSchema(v) : v);
  if (SCHEMA_KEYWORDS.has(key) && isPlainObject(value)) return normaliseFullSchema(value);
  if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) return value.map(sub);
  if (SCHEMA_MAP_KEYWORDS.has(key) && isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, sub(v)]));
  return value;
}

function normaliseField(field: unknown): JsonSchema {
  if (typeof field !== 'object' || field === null || Array.isArray(field)) {
    throw new Error('each shorthand field must be an object such as {"type": "string"}');
  }
  const spec = field as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!SHORTHAND_ONLY_KEYS.has(key)) out[key] = normaliseKeyword(key, value);
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

/** `secret: true` anywhere in a full schema (and below a shorthand field) means the same as in shorthand. */
function normaliseFullSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key !== 'secret') out[key] = normaliseKeyword(key, value);
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

function isSecret(schema: JsonSchema): boolean {
  return schema.writeOnly === true || schema.format === 'password';
}

/** JSON Pointer paths (`/token`, `/auth/key`) of the fields marked secret in a normalised schema. */
export function secretPaths(schema: JsonSchema, prefix = ''): string[] {
  const props = schema.properties;
  if (!isPlainObject(props)) return [];
  const out: string[] = [];
  for (const [name, field] of Object.entries(props)) {
    if (!isPlainObject(field)) continue;
    const path = childPointer(prefix, name);
    if (isSecret(field)) out.push(path);
    out.push(...secretPaths(field, path));
  }
  return out;
}

/** Whether the value may be what the schema describes, judged by its `type` alone (a schema without one may be anything). */
function mayBe(schema: JsonSchema, value: unknown): boolean {
  if (schema.type === undefined) return true;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const types: unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.some((t) => t === kind || (t === 'integer' && Number.isInteger(value)));
}

/** The schema that applies to an object's key, as ajv picks it: `properties`, else a matching `patternProperties`, else `additionalProperties`. */
function schemaOfKey(schema: JsonSchema, key: string): unknown {
  if (isPlainObject(schema.properties) && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  if (isPlainObject(schema.patternProperties)) {
    for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
      try {
        if (new RegExp(pattern, 'u').test(key)) return sub;
      } catch {
        // A pattern that is not a regular expression matches nothing (ajv refuses such a schema anyway).
      }
    }
  }
  return schema.additionalProperties;
}

const REDACTED = '********';

/** The value, or REDACTED when the schema marks it secret. */
function redact(schema: unknown, value: unknown): unknown {
  if (!isPlainObject(schema) || value === undefined) return value;
  return isSecret(schema) ? REDACTED : redactBelow(schema, value);
}

/**
 * The value with the secrets below it replaced (in place in objects and
 * arrays); REDACTED when a union branch it may be is a secret: better one
 * value too many hidden than a token shown.
 */
function redactBelow(schema: JsonSchema, value: unknown): unknown {
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[key];
    if (Array.isArray(branches)) for (const b of branches) if (isPlainObject(b) && mayBe(b, value)) value = redact(b, value);
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) value[i] = redact(Array.isArray(items) ? (i < items.length ? items[i] : schema.additionalItems) : items, value[i]);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) value[key] = redact(schemaOfKey(schema, key), value[key]);
  }
  return value;
}

/**
 * A copy of the config with secret values replaced, safe to log or show:
 * fields, array items, map values and union branches marked secret in the
 * normalised schema.
 */
export function redactSecrets(schema: JsonSchema, config: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(config);
  redactBelow(schema, copy);
  return copy;
}
