import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './schema';

export interface ConfigError {
  /** JSON Pointer to the field (`/timeout`, `/auth/token`); `''` for the config as a whole. */
  path: string;
  message: string;
}

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

function describe(value: unknown): string {
  return JSON.stringify(value);
}

/** One ajv error in words a user can act on, with the path of the field it is about. */
export function toConfigError(error: ErrorObject): ConfigError {
  const p = error.params as Record<string, unknown>;
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${String(p.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${at}/${String(p.additionalProperty)}`, message: 'is not a known setting of this plugin' };
    case 'type':
      return { path: at, message: `must be ${String(p.type).replace(/,/g, ' or ')}` };
    case 'minimum':
      return { path: at, message: `must be at least ${String(p.limit)}` };
    case 'maximum':
      return { path: at, message: `must be at most ${String(p.limit)}` };
    case 'exclusiveMinimum':
      return { path: at, message: `must be greater than ${String(p.limit)}` };
    case 'exclusiveMaximum':
      return { path: at, message: `must be less than ${String(p.limit)}` };
    case 'enum':
      return { path: at, message: `must be one of ${(p.allowedValues as unknown[]).map(describe).join(', ')}` };
    case 'format':
      return { path: at, message: `must be a valid ${String(p.format)}` };
    case 'minLength':
      return { path: at, message: Number(p.limit) === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { path: at, message: `must have at most ${String(p.limit)} characters` };
    case 'pattern':
      return { path: at, message: `must match the pattern ${String(p.pattern)}` };
    case 'minItems':
      return { path: at, message: `must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { path: at, message: `must have at most ${String(p.limit)} items` };
    default:
      return { path: at, message: error.message ?? `fails the "${error.keyword}" rule` };
  }
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
