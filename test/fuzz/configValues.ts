// Config values for a schema model: valid by construction, or broken at one known place.
import type { Node } from './configModel';
import type { Rng } from './harness';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const TEXT = ['a', 'b', 'é', '/', '~', ' ', '0', 'ü', 'Z'];

/** A string value; a secret's is unique (`S3CR3T…`) so that a leak can be looked for anywhere in a redacted copy. */
function text(rng: Rng, node: Node & { kind: 'string' }): string {
  if (node.secret) return `S3CR3T-${rng.int(1e9)}`;
  const { pattern, format, minLength = 0, maxLength } = node.rule;
  if (pattern) return pattern.sample(rng);
  if (format) return format.sample(rng);
  let s = '';
  for (let n = rng.between(minLength, maxLength ?? minLength + 8); n > 0; n--) s += rng.pick(TEXT);
  return s;
}

function number(rng: Rng, node: Node & { kind: 'number' | 'integer' }): number {
  const lo = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : -1000);
  const hi = node.maximum ?? lo + 1000;
  const n = rng.between(lo, hi);
  return node.kind === 'integer' || n === hi ? n : n + rng.float() * 0.5;
}

/** Odd keys for maps and extra fields: a JSON Pointer must escape `/` and `~`. */
const KEYS = ['k1', 'a/b', 'x~y', '~0', 'with space', 'ü', '0', ''];

/** A value the node accepts: optional fields now and then left out (their defaults then apply). */
export function validValue(rng: Rng, node: Node): Json {
  if (node.nullable && rng.bool(0.1)) return null;
  switch (node.kind) {
    case 'string':
      return text(rng, node);
    case 'number':
    case 'integer':
      return number(rng, node);
    case 'boolean':
      return rng.bool();
    case 'enum':
      return rng.pick(node.values) as Json;
    case 'object': {
      const out: JsonObject = {};
      for (const p of node.props) if ((p.required && p.default === undefined) || rng.bool(0.6)) out[p.name] = validValue(rng, p.field);
      if (!node.closed && rng.bool(0.2)) out[`extra_${rng.int(9)}`] = rng.int(9);
      return out;
    }
    case 'array':
      return Array.from({ length: rng.between(node.minItems ?? 0, 3) }, () => validValue(rng, node.items));
    case 'map': {
      const out: JsonObject = {};
      for (let n = rng.int(4); n > 0; n--) out[rng.pick(KEYS)] = validValue(rng, node.values);
      return out;
    }
    case 'union':
      return validValue(rng, rng.pick(node.branches));
  }
}

/** Where the break is: a JSON Pointer, and whether it is a wrong value, a missing required field or a field the schema forbids. */
export interface Break {
  at: string;
  how: 'value' | 'missing' | 'extra';
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pointerToken(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** A value of a type the node does not take (never null, which a node may allow). */
function wrongType(rng: Rng, node: Node): Json {
  switch (node.kind) {
    case 'string':
      return rng.pick([42, true, [], {}]);
    case 'number':
      return rng.pick(['12', false, [1]]);
    case 'integer':
      return rng.pick([1.5, '3', {}]);
    case 'boolean':
      return rng.pick(['yes', 0]);
    case 'enum':
      return 'zzz-not-one-of-them';
    case 'object':
    case 'map':
      return rng.pick([[1], 'text', 5]);
    case 'array':
      return rng.pick([{}, 'a,b', 7]);
    case 'union':
      return true;
  }
}

/** A value the node surely rejects: a wrong type, or outside its range, length, pattern or format. */
function wrongValue(rng: Rng, node: Node): Json {
  if (rng.bool()) {
    if ((node.kind === 'number' || node.kind === 'integer') && node.minimum !== undefined) return node.minimum - 1;
    if ((node.kind === 'number' || node.kind === 'integer') && node.exclusiveMinimum !== undefined) return node.exclusiveMinimum;
    if (node.kind === 'string' && node.rule.pattern) return node.rule.pattern.miss;
    if (node.kind === 'string' && node.rule.format) return node.rule.format.miss;
    if (node.kind === 'string' && node.rule.minLength) return '';
    if (node.kind === 'string' && node.rule.maxLength !== undefined) return 'x'.repeat(node.rule.maxLength + 1);
  }
  return wrongType(rng, node);
}

interface Place {
  at: string;
  node: Node;
  value: Json;
  /** The object or array holding the value, and its key there (none for the root). */
  holder?: JsonObject | Json[];
  key?: string | number;
}

/** Every place in the value that the model describes (not inside unions, whose branches a value may match differently). */
function places(node: Node, value: Json, at: string, out: Place[], holder?: JsonObject | Json[], key?: string | number): void {
  out.push({ at, node, value, holder, key });
  if (node.kind === 'object' && isObject(value)) {
    for (const p of node.props) if (Object.hasOwn(value, p.name)) places(p.field, value[p.name]!, at + pointerToken(p.name), out, value, p.name);
  } else if (node.kind === 'array' && Array.isArray(value)) value.forEach((v, i) => places(node.items, v, `${at}/${i}`, out, value, i));
  else if (node.kind === 'map' && isObject(value)) for (const k of Object.keys(value)) places(node.values, value[k]!, at + pointerToken(k), out, value, k);
}

/** The valid value broken at one place chosen at random, in place; the break made. */
export function breakValue(rng: Rng, root: Node, value: Json): { value: Json; broken: Break } {
  const all: Place[] = [];
  places(root, value, '', all);
  const place = rng.pick(all);
  const { node } = place;
  if (node.kind === 'object' && isObject(place.value)) {
    const obj = place.value;
    const missable = node.props.filter((p) => p.required && p.default === undefined && Object.hasOwn(obj, p.name));
    if (missable.length > 0 && rng.bool()) {
      const p = rng.pick(missable);
      delete obj[p.name];
      return { value, broken: { at: place.at + pointerToken(p.name), how: 'missing' } };
    }
    if (node.closed && rng.bool()) {
      const key = rng.pick(KEYS.filter((k) => !node.props.some((p) => p.name === k)));
      obj[key] = 1;
      return { value, broken: { at: place.at + pointerToken(key), how: 'extra' } };
    }
  }
  const wrong = wrongValue(rng, node);
  if (place.holder === undefined) return { value: wrong, broken: { at: '', how: 'value' } };
  (place.holder as Record<string | number, Json>)[place.key!] = wrong;
  return { value, broken: { at: place.at, how: 'value' } };
}
