// Pure (no VS Code): moving secret values between a plugin's config, settings and SecretStorage.
import { getAt, isPlainObject, setAt, type JsonObject } from '../form/jsonPointer';

/** A deep copy made of plain objects (VS Code's configuration values are proxies that structuredClone refuses). */
function plainCopy(config: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(config)) as JsonObject;
}

/** The SecretStorage key of one secret field: `tracelet.plugin.<name>.<json-pointer>`. */
export function secretKey(pluginName: string, pointer: string): string {
  return `tracelet.plugin.${pluginName}.${pointer}`;
}

/** A copy of the config with the secrets set at their pointers (a stored secret wins over a value in settings). */
export function mergeSecrets(config: JsonObject, secrets: Readonly<Record<string, string>>): JsonObject {
  const out = plainCopy(config);
  for (const [pointer, value] of Object.entries(secrets)) setAt(out, pointer, value);
  return out;
}

/** A copy of the config without any value at a secret pointer: what may be written to settings. */
export function stripSecrets(config: JsonObject, pointers: readonly string[]): JsonObject {
  const out = plainCopy(config);
  for (const pointer of pointers) setAt(out, pointer, undefined);
  return out;
}

/** The secret pointers that hold a value in this config (e.g. a token hand-written into settings.json). */
export function secretsPresent(config: unknown, pointers: readonly string[]): string[] {
  return isPlainObject(config) ? pointers.filter((p) => getAt(config, p) !== undefined) : [];
}

/** The secrets as a save leaves them: stored ones, replaced or removed by the form's edits. */
export function applySecretEdits(
  stored: Readonly<Record<string, string>>,
  edits: Readonly<Record<string, { action: 'set'; value: string } | { action: 'clear' }>>,
): Record<string, string> {
  const out = { ...stored };
  for (const [pointer, edit] of Object.entries(edits)) {
    if (edit.action === 'set') out[pointer] = edit.value;
    else delete out[pointer];
  }
  return out;
}

/** The text with every known secret value replaced by asterisks: for plugin messages that might echo one. */
export function redactValues(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) out = out.split(secret).join('********');
  return out;
}
