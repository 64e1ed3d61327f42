// The modules ajv's standalone validators `require`, bundled into the webview; see src/webviewProtocol/validatorContract.ts.
import equal from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import uri from 'ajv/dist/runtime/uri';
import { fullFormats } from 'ajv-formats/dist/formats';
import type { ValidatorRuntimeModule } from '../src/webviewProtocol/validatorContract';

const MODULES: Record<ValidatorRuntimeModule, unknown> = {
  'ajv/dist/runtime/equal': { default: equal },
  'ajv/dist/runtime/ucs2length': { default: ucs2length },
  'ajv/dist/runtime/uri': { default: uri },
  'ajv-formats/dist/formats': { fullFormats },
};

/** The `require` a generated validator gets: only the runtime modules above, nothing else. */
export function validatorRequire(name: string): unknown {
  if (!Object.hasOwn(MODULES, name)) throw new Error(`the validator asked for ${name}, which the webview does not carry`);
  return MODULES[name as ValidatorRuntimeModule];
}
