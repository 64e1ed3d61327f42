// Pure and browser-safe: the configuration webview shows the same words as the extension host.
import type { ConfigError } from '../types';
import { childPointer } from './jsonPointer';

export type { ConfigError };

/** The parts of an ajv `ErrorObject` the mapping reads; ajv's own type satisfies it. */
export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown> | object;
  message?: string;
}

function describe(value: unknown): string {
  return JSON.stringify(value);
}

/** One ajv error in words a user can act on, with the path of the field it is about. */
export function toConfigError(error: AjvErrorLike): ConfigError {
  const p = error.params as Record<string, unknown>;
  const at = error.instancePath;
  switch (error.keyword) {
    // ajv's instancePath is a JSON Pointer already; the property it names is a plain name, to be escaped (`a/b` → `a~1b`).
    case 'required':
      return { path: childPointer(at, String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: childPointer(at, String(p.additionalProperty)), message: 'is not a known setting of this plugin' };
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
