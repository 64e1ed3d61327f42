// Pure (no VS Code): the new value of `tracelet.plugins` at one scope after changing one plugin's entry.
import { isPlainObject, type JsonObject } from '../../core/form/jsonPointer';

function entryOf(all: unknown, name: string): JsonObject {
  const entry = isPlainObject(all) ? all[name] : undefined;
  return isPlainObject(entry) ? { ...entry } : {};
}

/** `tracelet.plugins` with `<name>.config` replaced; other plugins and `<name>.enabled` are kept. */
export function withPluginConfig(all: unknown, name: string, config: JsonObject): JsonObject {
  const out: JsonObject = isPlainObject(all) ? { ...all } : {};
  out[name] = { ...entryOf(all, name), config };
  return out;
}

/** `tracelet.plugins` with `<name>.enabled` set. */
export function withPluginEnabled(all: unknown, name: string, enabled: boolean): JsonObject {
  const out: JsonObject = isPlainObject(all) ? { ...all } : {};
  out[name] = { ...entryOf(all, name), enabled };
  return out;
}

/** Whether settings at one scope say anything about the plugin's `key` (`config` or `enabled`). */
export function definesEntry(all: unknown, name: string, key: 'config' | 'enabled'): boolean {
  return entryOf(all, name)[key] !== undefined;
}
