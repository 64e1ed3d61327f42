// Pure and browser-safe: the named configurations a plugin offers in its config schema's `presets` keyword.
import type { JsonSchema } from '../schema';
import { isPlainObject, type JsonObject } from './jsonPointer';

/** One entry of a schema's `presets`: what the form's preset list shows, and the config it puts in the draft. */
export interface ConfigPreset {
  name: string;
  description: string;
  config: JsonObject;
}

export const PRESET_LIMITS = { presets: 50, name: 120, description: 2_000 } as const;

/**
 * The schema's usable presets, and a reason for each entry left out. A preset needs a non-empty `name` (unique),
 * a `config` object and at most a string `description`; `isValid` (the plugin's schema check) says whether its
 * config is one the plugin accepts, so the form never offers a preset that cannot be saved.
 */
export function presetsOf(schema: JsonSchema, isValid: (config: JsonObject) => string | undefined): { presets: ConfigPreset[]; problems: string[] } {
  const raw = schema.presets;
  if (raw === undefined) return { presets: [], problems: [] };
  if (!Array.isArray(raw)) return { presets: [], problems: ['"presets" must be a list'] };
  const presets: ConfigPreset[] = [];
  const problems: string[] = [];
  for (const [i, entry] of raw.entries()) {
    const where = `presets[${i}]`;
    if (presets.length >= PRESET_LIMITS.presets) {
      problems.push(`${where} and after: more than ${PRESET_LIMITS.presets} presets`);
      break;
    }
    if (!isPlainObject(entry)) {
      problems.push(`${where} must be an object with "name" and "config"`);
      continue;
    }
    const { name, description, config } = entry;
    if (typeof name !== 'string' || name.trim() === '' || name.length > PRESET_LIMITS.name) {
      problems.push(`${where} needs a "name" of 1 to ${PRESET_LIMITS.name} characters`);
      continue;
    }
    if (presets.some((p) => p.name === name)) {
      problems.push(`${where} "${name}": the name is already used by another preset`);
      continue;
    }
    if (description !== undefined && (typeof description !== 'string' || description.length > PRESET_LIMITS.description)) {
      problems.push(`${where} "${name}": "description" must be a string of at most ${PRESET_LIMITS.description} characters`);
      continue;
    }
    if (!isPlainObject(config)) {
      problems.push(`${where} "${name}": "config" must be an object`);
      continue;
    }
    const invalid = isValid(config);
    if (invalid !== undefined) {
      problems.push(`${where} "${name}": its config is not valid: ${invalid}`);
      continue;
    }
    presets.push({ name, description: description ?? '', config: JSON.parse(JSON.stringify(config)) as JsonObject });
  }
  return { presets, problems };
}
