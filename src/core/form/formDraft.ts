// Pure and browser-safe: the values a form edits, from settings to draft and from controls back to values.
import type { JsonSchema } from '../schema';
import { isPlainObject, type JsonObject } from './jsonPointer';
import { enumValues, isSecret, kindOf, requiredOf, type FieldKind } from './schemaKinds';

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function draftObject(schema: JsonSchema, values: unknown): JsonObject {
  const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const source = isPlainObject(values) ? values : {};
  const out: JsonObject = {};
  if (schema.additionalProperties !== false) {
    for (const [key, value] of Object.entries(source)) if (!(key in props)) out[key] = clone(value);
  }
  for (const [key, sub] of Object.entries(props)) {
    if (!isPlainObject(sub) || isSecret(sub)) continue;
    const value = source[key];
    if (kindOf(sub) === 'object' && (value === undefined || isPlainObject(value))) {
      out[key] = draftObject(sub, value ?? clone(sub.default));
    } else if (value !== undefined) {
      out[key] = clone(value);
    } else if (sub.default !== undefined) {
      out[key] = clone(sub.default);
    }
  }
  return out;
}

/**
 * What the form starts from: the config as stored in settings with the schema's
 * defaults filled in, nested objects made so their fields can be edited, and no
 * secret values (those live in SecretStorage). Unknown keys are kept unless the
 * schema forbids them, in which case saving drops them.
 */
export function initialDraft(schema: JsonSchema, values: unknown): JsonObject {
  return draftObject(schema, values);
}

/**
 * Removes nested objects that hold nothing and are not required, so that an
 * untouched optional fieldset does not report its own required fields. In place.
 */
export function pruneDraft(schema: JsonSchema, draft: JsonObject): JsonObject {
  const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const required = requiredOf(schema);
  for (const [key, sub] of Object.entries(props)) {
    const value = draft[key];
    if (!isPlainObject(sub) || !isPlainObject(value) || kindOf(sub) !== 'object') continue;
    pruneDraft(sub, value);
    if (Object.keys(value).length === 0 && !required.has(key)) delete draft[key];
  }
  return draft;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * The value a text control's content stands for. Empty means "not set"
 * (undefined); a number field keeps text that is not a number as it is, so the
 * validator reports it in words instead of the form guessing.
 */
export function parseText(kind: FieldKind, text: string): unknown {
  if (kind === 'number' || kind === 'integer') {
    const t = text.trim();
    if (t === '') return undefined;
    return NUMBER.test(t) ? Number(t) : text;
  }
  if (kind === 'json') {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text === '' ? undefined : text;
}

/** Like parseText for an array item, which stays in place when emptied (as `''`, or `null` for a number). */
export function parseItemText(kind: FieldKind, text: string): unknown {
  const value = parseText(kind, text);
  if (value !== undefined) return value;
  return kind === 'number' || kind === 'integer' ? null : '';
}

/** The value of a new array item: the item schema's default, else its first choice or an empty value. */
export function newItemValue(itemSchema: JsonSchema): unknown {
  if (itemSchema.default !== undefined) return clone(itemSchema.default);
  const choices = enumValues(itemSchema);
  if (choices) return clone(choices[0]);
  switch (kindOf(itemSchema)) {
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return typeof itemSchema.minimum === 'number' ? itemSchema.minimum : 0;
    default:
      return '';
  }
}
