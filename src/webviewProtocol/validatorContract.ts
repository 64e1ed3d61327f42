// The contract between the validator script the extension host generates (ajv standalone code) and the webview that runs it.
// The script defines `window[VALIDATOR_FACTORY] = (require) => validate`; the webview calls it with a require
// that serves only these modules, which its bundle carries.

export const VALIDATOR_FACTORY = 'traceletConfigValidatorFactory';

/** Modules ajv's standalone code may `require`; a validator needing any other is not sent to the webview. */
export const VALIDATOR_RUNTIME_MODULES = ['ajv/dist/runtime/equal', 'ajv/dist/runtime/ucs2length', 'ajv/dist/runtime/uri', 'ajv-formats/dist/formats'] as const;

export type ValidatorRuntimeModule = (typeof VALIDATOR_RUNTIME_MODULES)[number];

/** What ajv's standalone validate function looks like from outside. */
export interface StandaloneValidate {
  (data: unknown): boolean;
  errors?: { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }[] | null;
}
