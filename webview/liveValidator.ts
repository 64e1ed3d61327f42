// Live validation in the webview: runs the validator the extension host compiled from the plugin's schema.
import { toConfigError, type ConfigError } from '../src/core/form/configErrorText';
import { VALIDATOR_FACTORY, type StandaloneValidate } from '../src/webviewProtocol/validatorContract';
import { validatorRequire } from './validatorRuntime';

export type LiveValidator = (data: unknown) => ConfigError[];

/** The validator from the inline script the host put before the bundle, or undefined when there is none. */
export function loadLiveValidator(): LiveValidator | undefined {
  const factory = (window as unknown as Record<string, unknown>)[VALIDATOR_FACTORY];
  if (typeof factory !== 'function') return undefined;
  const exported = (factory as (require: (name: string) => unknown) => { default?: StandaloneValidate } | StandaloneValidate)(validatorRequire);
  const validate = typeof exported === 'function' ? exported : exported.default;
  if (typeof validate !== 'function') return undefined;
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map(toConfigError));
}
