// The checks both webview protocols (the configuration form's and the run views') build their parsers from:
// each throws a reason a person can read, and `parsed` turns it into a refused message.

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

class Invalid extends Error {}

export function fail(reason: string): never {
  throw new Invalid(reason);
}

/** Runs a parser built from these checks: its result, or the reason it refused the input. */
export function parsed<T>(parse: (raw: unknown) => T, raw: unknown): Parsed<T> {
  try {
    return { ok: true, message: parse(raw) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}

export function plainObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) fail(`${what} must be a plain object`);
  return value as Record<string, unknown>;
}

/** The object has every `required` field, and no field outside `required` and `optional`. */
export function keys(value: Record<string, unknown>, required: readonly string[], optional: readonly string[], what: string): void {
  const extra = Object.keys(value).filter((k) => !required.includes(k) && !optional.includes(k));
  if (extra.length > 0) fail(`${what} has unknown field${extra.length > 1 ? 's' : ''} ${extra.slice(0, 5).join(', ')}`);
  const missing = required.filter((k) => !(k in value));
  if (missing.length > 0) fail(`${what} lacks ${missing.join(', ')}`);
}

export function str(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  if (value.length > max) fail(`${what} is longer than ${max} characters`);
  return value;
}

export function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${what} must be a finite number`);
  return value;
}

export function int(value: unknown, min: number, max: number, what: string): number {
  const n = num(value, what);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${what} must be an integer from ${min} to ${max}`);
  return n;
}

export function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be true or false`);
  return value;
}

export function list(value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value)) fail(`${what} must be a list`);
  if (value.length > max) fail(`${what} has more than ${max} items`);
  return value;
}

/** Keys that must never become properties of an object built from a message. */
export function forbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}
