// Fuzz targets for plugin config schemas: src/core/schema.ts (normaliseSchema, secretPaths, redactSecrets),
// src/core/validate.ts (validateAgainstSchema) and src/core/form/configErrorText.ts (ajv errors in words).
import { normaliseSchema, redactSecrets, secretPaths, type JsonSchema } from '../../src/core/schema';
import { validateAgainstSchema, type ValidationResult } from '../../src/core/validate';
import { BAD_SCHEMA, checkBreakReported, checkDefaults, checkError, checkRedacted, checkUnchanged } from './configChecks';
import { object } from './configModel';
import { breakKeyword, breakShorthand, render } from './configRender';
import { breakValue, validValue, type Json } from './configValues';
import type { FuzzTarget, Rng } from './harness';

/** Validates without throwing and without touching the input; every error names a field. */
function validate(schema: JsonSchema, input: unknown): ValidationResult {
  const before = structuredClone(input);
  const result = validateAgainstSchema(schema, input);
  checkUnchanged(before, input, 'the validated config');
  const validated = input === null || input === undefined || typeof input === 'object' ? result.config : input;
  for (const e of result.errors) checkError(e, validated);
  return result;
}

/** normaliseSchema as the extension calls it: once when the plugin registers, again for each configuration request. */
function normaliseTwice(raw: Record<string, unknown>): [JsonSchema, JsonSchema] {
  const before = structuredClone(raw);
  const pair: [JsonSchema, JsonSchema] = [normaliseSchema(raw), normaliseSchema(raw)];
  checkUnchanged(before, raw, 'the configSchema');
  return pair;
}

const JUNK: unknown[] = ['nope', 42, null, undefined, [1, 2], true, {}];

export const targets: FuzzTarget[] = [
  {
    name: 'config-validate',
    checks:
      'random schemas (shorthand and full) and configs: valid ones pass with defaults, broken ones name the field, errors are sentences at JSON Pointers, secrets redacted',
    run(rng: Rng) {
      const model = object(rng, 0);
      const shorthand = rng.bool(0.4);
      // A shorthand field map cannot forbid other fields at its top.
      if (shorthand) model.closed = false;
      const raw = render(rng, model, shorthand);
      const schemas = normaliseTwice(raw);
      const good = validValue(rng, model);
      const r = rng.float();
      const { value, broken } =
        r < 0.4
          ? { value: good, broken: undefined }
          : r < 0.9
            ? breakValue(rng, model, structuredClone(good))
            : { value: rng.pick(JUNK) as Json, broken: undefined };
      const results = schemas.map((schema) => validate(schema, value));
      checkUnchanged(results[0], results[1], 'the result for the same schema normalised again');
      const result = results[0]!;
      if (result.errors.some((e) => e.message.startsWith(BAD_SCHEMA)))
        throw new Error(`a well-formed schema refused: ${JSON.stringify({ raw, errors: result.errors })}`);
      if (value === good && !result.valid) throw new Error(`a valid config refused: ${JSON.stringify({ raw, value, errors: result.errors })}`);
      if (broken !== undefined) checkBreakReported(result, broken);
      if (result.valid) checkDefaults(model, value, result.config);
      for (const config of [value, result.config]) {
        if (typeof config !== 'object' || config === null || Array.isArray(config)) continue;
        const before = structuredClone(config);
        checkRedacted(model, config, redactSecrets(schemas[0], config));
        checkUnchanged(before, config, 'the config given to redactSecrets');
      }
    },
  },
  {
    name: 'config-malformed',
    checks:
      'malformed schemas: normaliseSchema throws only its documented Error for a broken shorthand; validateAgainstSchema, secretPaths and redactSecrets never throw; the schema is blamed, not a field',
    run(rng: Rng) {
      const model = object(rng, 0);
      const shorthand = rng.bool();
      const raw = render(rng, model, shorthand);
      if (shorthand) breakShorthand(rng, raw);
      else breakKeyword(rng, raw);
      let schema: JsonSchema;
      try {
        schema = normaliseSchema(raw);
      } catch (err) {
        if (shorthand && err instanceof Error && /^each shorthand field must be an object/.test(err.message)) return;
        throw new Error(`normaliseSchema threw ${String(err)} for ${JSON.stringify(raw)}`);
      }
      if (shorthand) throw new Error(`normaliseSchema took a shorthand field that is not an object: ${JSON.stringify(raw)}`);
      const value = rng.bool() ? validValue(rng, model) : rng.pick(JUNK);
      const result = validate(schema, value);
      if (result.errors.some((e) => e.message.startsWith(BAD_SCHEMA) && e.path !== ''))
        throw new Error(`a schema error at a field: ${JSON.stringify(result.errors)}`);
      // The extension asks for a plugin's secrets whatever its schema is like; neither may throw.
      secretPaths(schema);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) redactSecrets(schema, value as Record<string, unknown>);
    },
  },
];
