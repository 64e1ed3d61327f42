// Pure and browser-safe: JSON Pointers (RFC 6901) over plain config objects, as the form and the secret store use them.

export type JsonObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `/auth/api~1key` → `['auth', 'api/key']`; `''` → `[]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON Pointer: it must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(parts: readonly string[]): string {
  return parts.map((part) => `/${part.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function childPointer(parent: string, key: string | number): string {
  return parent + formatPointer([String(key)]);
}

/** The value at the pointer, or undefined when any step is missing. */
export function getAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const part of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isPlainObject(node)) node = Object.hasOwn(node, part) ? node[part] : undefined;
    else return undefined;
  }
  return node;
}

/**
 * Sets the value at the pointer in place, creating objects on the way; `undefined`
 * removes the key (or array element). Refuses keys that would touch a prototype.
 */
export function setAt(root: JsonObject, pointer: string, value: unknown): void {
  const parts = parsePointer(pointer);
  if (parts.length === 0) throw new Error('cannot replace the whole config through a pointer');
  if (parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) throw new Error(`refusing the pointer ${pointer}`);
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) {
    const container = node as JsonObject | unknown[];
    let next = Array.isArray(container) ? container[Number(part)] : (container as JsonObject)[part];
    if (typeof next !== 'object' || next === null) {
      if (value === undefined) return;
      next = {};
      if (Array.isArray(container)) container[Number(part)] = next;
      else (container as JsonObject)[part] = next;
    }
    node = next;
  }
  const last = parts[parts.length - 1]!;
  if (Array.isArray(node)) {
    const index = Number(last);
    if (value === undefined) node.splice(index, 1);
    else node[index] = value;
  } else if (value === undefined) {
    delete (node as JsonObject)[last];
  } else {
    (node as JsonObject)[last] = value;
  }
}
