import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { toConfigError, type ConfigError } from './form/configErrorText';
import type { JsonSchema } from './schema';

// The mapping lives in form/ so that the configuration webview shows the same words without bundling ajv's compiler.
export { toConfigError, type ConfigError };

export interface ValidationResult {
  valid: boolean;
  /** The config with defaults applied (a copy; the input is not changed). */
  config: Record<string, unknown>;
  errors: ConfigError[];
}

let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
    addFormats(ajv);
    ajv.addFormat('password', true);
  }
  return ajv;
}

function compile(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = getAjv().compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Validates a config against a normalised schema, applying its defaults to a copy. */
export function validateAgainstSchema(schema: JsonSchema, config: unknown): ValidationResult {
  const copy = config === undefined || config === null ? {} : structuredClone(config);
  let fn: ValidateFunction;
  try {
    fn = compile(schema);
  } catch (err) {
    return { valid: false, config: {}, errors: [{ path: '', message: `the plugin's configSchema is not valid JSON Schema: ${(err as Error).message}` }] };
  }
  const valid = fn(copy) as boolean;
  const errors = valid ? [] : (fn.errors ?? []).map(toConfigError);
  return { valid, config: (typeof copy === 'object' && copy !== null ? copy : {}) as Record<string, unknown>, errors };
}

/** "/timeout must be at least 1; /url is required" */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ');
}
