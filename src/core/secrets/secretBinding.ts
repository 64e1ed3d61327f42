// Pure: a secret is bound to the destination it was saved for (the origin and path prefix of a URL
// field such as mlflow's trackingUri) and is handed to its plugin only while the config still points there.
import type { ConfigError } from '../types';
import { formatPointer, getAt, isPlainObject, parsePointer } from '../form/jsonPointer';
import type { JsonSchema } from '../schema';

/** What SecretStorage holds for one secret field. */
export interface StoredSecret {
  value: string;
  /**
   * The destination (see destinationOf) the secret was saved for, when its field names one with
   * `sentTo`; '' when it was saved while that field was empty. Absent for a secret stored before
   * secrets were bound (a bare string in SecretStorage).
   */
  boundTo?: string;
}

const FORMAT_MARK = 'traceletSecret';
const FORMAT_VERSION = 2;

export function encodeStoredSecret(secret: StoredSecret): string {
  return JSON.stringify({ [FORMAT_MARK]: FORMAT_VERSION, value: secret.value, ...(secret.boundTo !== undefined ? { boundTo: secret.boundTo } : {}) });
}

/** Reads what encodeStoredSecret wrote; anything else is a secret stored by an earlier version, as a bare value. */
export function decodeStoredSecret(raw: string): StoredSecret {
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (isPlainObject(parsed) && parsed[FORMAT_MARK] === FORMAT_VERSION && typeof parsed.value === 'string') {
        return typeof parsed.boundTo === 'string' ? { value: parsed.value, boundTo: parsed.boundTo } : { value: parsed.value };
      }
    } catch {
      // a bare secret that happens to start with "{"
    }
  }
  return { value: raw };
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/**
 * `https://Host.example/mlflow/` → `https://host.example:443/mlflow`: scheme, host, explicit port and
 * path prefix, without credentials, query or fragment. Undefined when the value is not such a URL.
 */
export function destinationOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (!parsed.hostname) return undefined;
  const port = parsed.port || DEFAULT_PORTS[parsed.protocol] || '';
  const prefix = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.hostname}${port ? `:${port}` : ''}${prefix}`;
}

/** True when `effective` is the bound destination or a path below it, on the same scheme, host and port. */
export function withinDestination(bound: string, effective: string): boolean {
  return effective === bound || effective.startsWith(`${bound}/`);
}

/** `/trackingUri` from `trackingUri` or `/trackingUri`: where a secret field's `sentTo` points. */
export function sentToPointer(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.startsWith('/') ? value : formatPointer([value]);
}

/** For each secret field of a normalised schema that declares `sentTo`, the pointer of the field naming its destination. */
export function secretDestinations(schema: JsonSchema, prefix = ''): Record<string, string> {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const out: Record<string, string> = {};
  if (!isPlainObject(props)) return out;
  for (const [name, field] of Object.entries(props)) {
    if (!isPlainObject(field)) continue;
    const pointer = `${prefix}${formatPointer([name])}`;
    const sentTo = sentToPointer(field.sentTo);
    if (sentTo !== undefined && (field.writeOnly === true || field.format === 'password')) out[pointer] = sentTo;
    Object.assign(out, secretDestinations(field, pointer));
  }
  return out;
}

function fieldName(pointer: string): string {
  return parsePointer(pointer).at(-1) ?? pointer;
}

/** How a secret may be used with a config: handed over, held back for a reason that names the field, or not needed. */
export type SecretUse = { use: true } | { use: false; problem?: ConfigError };

/**
 * Whether the secret at `pointer` may go with `config`, whose field at `destinationPointer` says where
 * the plugin sends it. A config without a destination sends nothing, so the secret is simply not needed.
 */
export function secretUse(pointer: string, secret: StoredSecret, destinationPointer: string | undefined, config: unknown): SecretUse {
  if (destinationPointer === undefined) return { use: true };
  const field = fieldName(pointer);
  const destField = fieldName(destinationPointer);
  const effective = destinationOf(getAt(config, destinationPointer));
  if (effective === undefined) return { use: false };
  if (secret.boundTo === undefined) {
    return {
      use: false,
      problem: {
        path: pointer,
        message: `the stored ${field} was saved before secrets were bound to a server, and your user settings have no ${destField} to bind it to; re-enter it to use it with ${effective}`,
      },
    };
  }
  if (secret.boundTo === '') {
    return {
      use: false,
      problem: { path: pointer, message: `the stored ${field} was saved while ${destField} was empty; re-enter it to use it with ${effective}` },
    };
  }
  if (!withinDestination(secret.boundTo, effective)) {
    return { use: false, problem: { path: pointer, message: `the ${field} was saved for ${secret.boundTo}, not ${effective}; re-enter it to use it there` } };
  }
  return { use: true };
}
