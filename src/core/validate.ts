import type { Ajv, ValidateFunction } from './vendor/ajv';
import { loadAjv } from './vendor/load';
import { toConfigError, type ConfigError } from './form/configErrorText';
import type { JsonSchema } from './schema';
import { errorText } from './errors';

// The mapping lives in form/ so that the configuration webview shows the same words without bundling ajv's compiler.
export { toConfigError, type ConfigError };

export interface ValidationResult {
  valid: boolean;
  /** The config with defaults applied (a copy; the input is not changed). */
  config: Record<string, unknown>;
  errors: ConfigError[];
}

let ajv: Ajv | undefined;
/** Compiled validators by the schema's JSON, most recently used last: a plugin's schema is normalised afresh for each configuration request. */
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 100;

function getAjv(): Ajv {
  if (!ajv) {
    const { Ajv, addFormats } = loadAjv();
    ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
    addFormats(ajv);
    ajv.addFormat('password', true);
  }
  return ajv;
}

function compile(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (fn) compiled.delete(key);
  else {
    const a = getAjv();
    // ajv keeps each schema it compiles, by object and by `$id`: kept, the same schema normalised again would be
    // refused as a second schema with that `$id`, and every request would add one. The compiled function stands alone.
    try {
      fn = a.compile(schema);
    } finally {
      a.removeSchema(schema);
    }
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  }
  compiled.set(key, fn);
  return fn;
}

/** Validates a config against a normalised schema, applying its defaults to a copy. */
export function validateAgainstSchema(schema: JsonSchema, config: unknown): ValidationResult {
  const copy = config === undefined || config === null ? {} : structuredClone(config);
  let fn: ValidateFunction;
  try {
    fn = compile(schema);
  } catch (err) {
    return { valid: false, config: {}, errors: [{ path: '', message: `the plugin's configSchema is not valid JSON Schema: ${errorText(err)}` }] };
  }
  const valid = fn(copy) as boolean;
  const errors = valid ? [] : (fn.errors ?? []).map(toConfigError);
  return { valid, config: (typeof copy === 'object' && copy !== null ? copy : {}) as Record<string, unknown>, errors };
}

/** "/timeout must be at least 1; /url is required" */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ');
}
