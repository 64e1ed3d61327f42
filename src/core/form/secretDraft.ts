// Pure and browser-safe: validating a form whose stored secrets the webview never sees.
import type { JsonSchema } from '../schema';
import type { ConfigError } from '../types';
import { getAt, setAt, type JsonObject } from './jsonPointer';
import { schemaAt, typeOf } from './schemaKinds';

/** What the form does to one secret on save: keep what is stored (no entry), replace it, or remove it. */
export type SecretEdit = { action: 'set'; value: string } | { action: 'clear' };
export type SecretEdits = Record<string, SecretEdit>;

function placeholderFor(schema: JsonSchema | undefined): unknown {
  const type = schema ? typeOf(schema) : undefined;
  if (type === 'number' || type === 'integer') return typeof schema?.minimum === 'number' ? schema.minimum : 1;
  if (type === 'boolean') return true;
  return 'stored-secret';
}

export interface SecretValidationInput {
  /** The draft with each secret's value, or a stand-in for one that is stored and unchanged. */
  input: JsonObject;
  /** Pointers that hold a stand-in: errors about them are not the user's to fix here. */
  standIns: string[];
}

/**
 * What the webview validates: the draft, plus each secret as the save would leave it.
 * A stored, unchanged secret was valid when stored and counts as present.
 */
export function secretValidationInput(
  schema: JsonSchema,
  draft: JsonObject,
  secretPaths: readonly string[],
  stored: readonly string[],
  edits: SecretEdits,
): SecretValidationInput {
  const input = JSON.parse(JSON.stringify(draft)) as JsonObject;
  const standIns: string[] = [];
  for (const pointer of secretPaths) {
    const edit = edits[pointer];
    if (edit?.action === 'set') setAt(input, pointer, edit.value);
    else if (edit?.action === 'clear') setAt(input, pointer, undefined);
    else if (stored.includes(pointer)) {
      setAt(input, pointer, placeholderFor(schemaAt(schema, pointer)));
      standIns.push(pointer);
    } else if (getAt(input, pointer) !== undefined) setAt(input, pointer, undefined);
  }
  return { input, standIns };
}

/** Drops errors about stand-in values (a stored secret's format or length is not known here). */
export function withoutStandInErrors(errors: readonly ConfigError[], standIns: readonly string[]): ConfigError[] {
  return errors.filter((e) => !standIns.includes(e.path));
}

/** The errors grouped by the pointer of the field they belong to. */
export function errorsByPath(errors: readonly ConfigError[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of errors) {
    const list = out.get(e.path) ?? [];
    if (!list.includes(e.message)) list.push(e.message);
    out.set(e.path, list);
  }
  return out;
}
