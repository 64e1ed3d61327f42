// What a validation result, and a redacted copy, must satisfy for a schema model: the properties the config fuzzer checks.
import { isDeepStrictEqual } from 'node:util';
import { formatPointer, getAt, isPlainObject, parsePointer } from '../../src/core/form/jsonPointer';
import type { ConfigError } from '../../src/core/form/configErrorText';
import type { ValidationResult } from '../../src/core/validate';
import type { Node } from './configModel';
import { pointerToken, type Break, type Json } from './configValues';

const REQUIRED = 'is required';
const UNKNOWN = 'is not a known setting of this plugin';
export const BAD_SCHEMA = "the plugin's configSchema is not valid JSON Schema";

function fail(what: string, detail: unknown): never {
  throw new Error(`${what}: ${JSON.stringify(detail, null, 1)}`);
}

/** A sentence a user can read: words, no stray placeholders, nothing printed from a missing value. */
function isSentence(message: unknown): boolean {
  return typeof message === 'string' && message.trim() === message && /[a-z]{2}/i.test(message) && !/undefined|\[object |NaN|\$\{/.test(message);
}

/**
 * An error names a field: its path is `''` (the config as a whole) or a
 * JSON Pointer written canonically (`~0`, `~1`) that leads to the offending
 * value in the validated config; for a missing required field, to where it
 * would be (its parent is an object without it); for a field the schema
 * forbids, to that field.
 */
export function checkError(e: ConfigError, validated: unknown): void {
  if (!isSentence(e.message)) fail('an error message that is not a sentence', e);
  if (typeof e.path !== 'string') fail('an error path that is not a string', e);
  if (e.path === '') return;
  let parts: string[];
  try {
    parts = parsePointer(e.path);
  } catch {
    fail('an error path that is not a JSON Pointer', e);
  }
  if (formatPointer(parts) !== e.path) fail('an error path that is not escaped as a JSON Pointer', e);
  const parent = getAt(validated, formatPointer(parts.slice(0, -1)));
  const key = parts[parts.length - 1]!;
  const here = Array.isArray(parent) ? key in parent : isPlainObject(parent) && Object.hasOwn(parent, key);
  if (e.message === REQUIRED ? !isPlainObject(parent) || here : !here) fail('an error path that does not lead to its field', { error: e, validated });
}

/** The break made to a valid value shows as an error at its place. */
export function checkBreakReported(result: ValidationResult, broken: Break): void {
  const found = result.errors.some(
    (e) => e.path === broken.at && (broken.how === 'missing' ? e.message === REQUIRED : broken.how === 'extra' ? e.message === UNKNOWN : true),
  );
  if (result.valid || !found) fail(`a ${broken.how} at ${JSON.stringify(broken.at)} not reported there`, result.errors);
}

/** `want`'s content is all in `got` (objects may have more keys). */
function contains(want: unknown, got: unknown): boolean {
  if (isPlainObject(want)) return isPlainObject(got) && Object.keys(want).every((k) => Object.hasOwn(got, k) && contains(want[k], got[k]));
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => contains(w, got[i]));
  return Object.is(want, got);
}

/** Every field the input leaves out and whose schema gives a default has it in the result; nothing of the input is lost. */
export function checkDefaults(node: Node, input: Json | undefined, output: unknown, at = ''): void {
  if (at === '' && !contains(input ?? {}, output)) fail('a valid config that lost part of its input', { input, output });
  if (node.kind === 'object' && isPlainObject(output)) {
    for (const p of node.props) {
      const given = isPlainObject(input) && Object.hasOwn(input, p.name);
      if (!given && p.default !== undefined && !contains(p.default, output[p.name]))
        fail(`the default of ${at + pointerToken(p.name)} not applied`, { default: p.default, output });
      const inner = given ? (input as Record<string, Json>)[p.name] : (p.default as Json | undefined);
      if (Object.hasOwn(output, p.name)) checkDefaults(p.field, inner, output[p.name], at + pointerToken(p.name));
    }
  } else if (node.kind === 'array' && Array.isArray(output) && Array.isArray(input)) {
    output.forEach((o, i) => checkDefaults(node.items, input[i], o, `${at}/${i}`));
  }
}

/** Where the model puts a secret in the value, and the values there (null is no secret). */
function secretsIn(node: Node, value: unknown, at: string, out: { at: string; value: unknown }[]): void {
  if (value === undefined || value === null) return;
  if (node.secret || (node.kind === 'union' && typeof value === 'string' && node.branches.some((b) => b.kind === 'string' && b.secret))) {
    out.push({ at, value });
    return;
  }
  if (node.kind === 'object' && isPlainObject(value)) for (const p of node.props) secretsIn(p.field, value[p.name], at + pointerToken(p.name), out);
  else if (node.kind === 'array' && Array.isArray(value)) value.forEach((v, i) => secretsIn(node.items, v, `${at}/${i}`, out));
  else if (node.kind === 'map' && isPlainObject(value)) for (const k of Object.keys(value)) secretsIn(node.values, value[k], at + pointerToken(k), out);
}

/** No secret value is left in the redacted copy: each is replaced where it stood, and none shows anywhere. */
export function checkRedacted(node: Node, config: unknown, redacted: unknown): void {
  const secrets: { at: string; value: unknown }[] = [];
  secretsIn(node, config, '', secrets);
  const text = JSON.stringify(redacted);
  for (const s of secrets) {
    const leaked = getAt(redacted, s.at) !== '********' || (typeof s.value === 'string' && s.value.startsWith('S3CR3T') && text.includes(s.value));
    if (leaked) fail(`the secret at ${JSON.stringify(s.at)} left in the redacted copy`, { config, redacted });
  }
}

export function checkUnchanged(before: unknown, after: unknown, what: string): void {
  if (!isDeepStrictEqual(before, after)) fail(`${what} changed`, { before, after });
}
