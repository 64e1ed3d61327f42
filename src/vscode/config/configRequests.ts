import type * as vscode from 'vscode';
import type { JsonObject } from '../../core/form/jsonPointer';
import type { SecretEdits } from '../../core/form/secretDraft';
import { normaliseSchema, secretPaths, type JsonSchema } from '../../core/schema';
import type { ValidationResult } from '../../core/validate';
import type { SaveMessage, SaveResultMessage, TestConnectionMessage, TestResultMessage } from '../../webviewProtocol/configProtocol';
import type { TryOutputMessage, TryResultMessage } from '../../webviewProtocol/configTry';
import type { RunSummaries } from '../../core/series/runSummaries';
import { isPlainObject } from '../../core/form/jsonPointer';
import { formatConfigErrors } from '../../core/validate';
import { tryOnOutput } from './outputTry';
import type { PluginHost } from '../pluginHost';
import type { Settings } from '../settings';
import type { ConfigError } from '../../core/types';
import { getAt } from '../../core/form/jsonPointer';
import { destinationOf, secretDestinations, secretUse } from '../../core/secrets/secretBinding';
import { validateAgainstSchema } from '../../core/validate';
import { applySecretEdits, mergeSecrets, redactValues, stripSecrets } from '../../core/secrets/configSecrets';
import type { PluginSecrets } from './pluginSecrets';
import type { PluginSettingsWriter } from './pluginSettingsWriter';
import { pluginView } from './pluginView';
import { errorText } from '../../core/errors';

export interface ConfigServices {
  host: PluginHost;
  settings: Settings;
  secrets: PluginSecrets;
  writer: PluginSettingsWriter;
  log: vscode.LogOutputChannel;
  /** Where runs are stored (the runStore plugin's folder): Try reads their output. */
  runsRoot: () => string;
}

/** The plugin's normalised schema and secret pointers, or undefined when it has no metadata (it failed to load). */
export function schemaOf(host: PluginHost, name: string): { schema: JsonSchema; secretPaths: string[] } | undefined {
  const metadata = host.manager.getPluginInfo(name)?.metadata;
  if (!metadata) return undefined;
  const schema = normaliseSchema(metadata.configSchema);
  return { schema, secretPaths: secretPaths(schema) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface Prepared {
  /** What may go to settings. */
  values: JsonObject;
  /** Every secret as the request would leave it. */
  secrets: Record<string, string>;
  validation: ValidationResult;
  /** Where each secret field with a `sentTo` is saved for, by what the form's values say (for a save). */
  boundTo: (pointer: string) => string | undefined;
  /** The secrets a call with these values may use: typed now, or stored for where the values point; and why others are held back. */
  usable: Record<string, string>;
  heldBack: ConfigError[];
}

/** The host's own, authoritative check of what the form sent: secrets only where the schema has them, then the schema. */
async function prepare(s: ConfigServices, name: string, values: JsonObject, edits: SecretEdits): Promise<Prepared | string> {
  const described = schemaOf(s.host, name);
  if (!described) return `plugin "${name}" is not loaded; reload the plugins and try again`;
  const foreign = Object.keys(edits).filter((p) => !described.secretPaths.includes(p));
  if (foreign.length > 0) {
    s.log.warn(`[${name}] the configuration form sent secrets the plugin does not declare (${foreign.join(', ')}); refused`);
    return 'the form sent secrets this plugin does not declare';
  }
  const plain = stripSecrets(values, described.secretPaths);
  const stored = await s.secrets.readStored(name, described.secretPaths);
  const secrets = applySecretEdits(Object.fromEntries(Object.entries(stored).map(([p, v]) => [p, v.value])), edits);
  s.host.rememberSecrets(Object.values(secrets));
  const destinations = secretDestinations(described.schema);
  const effective = validateAgainstSchema(described.schema, plain).config;
  const usable: Record<string, string> = {};
  const heldBack: ConfigError[] = [];
  for (const [pointer, value] of Object.entries(secrets)) {
    const verdict = edits[pointer]?.action === 'set' ? { use: true as const } : secretUse(pointer, stored[pointer]!, destinations[pointer], effective);
    if (verdict.use) usable[pointer] = value;
    else if (verdict.problem) heldBack.push(verdict.problem);
  }
  const boundTo = (pointer: string): string | undefined => {
    const destination = destinations[pointer];
    return destination === undefined ? undefined : (destinationOf(getAt(effective, destination)) ?? '');
  };
  return { values: plain, secrets, validation: s.host.manager.validateConfig(name, mergeSecrets(plain, secrets)), boundTo, usable, heldBack };
}

/** Validates, writes settings and secrets, restarts the plugin and reports its new state. */
export async function saveConfig(s: ConfigServices, name: string, request: SaveMessage): Promise<SaveResultMessage> {
  const ticket = s.host.ticket();
  const prepared = await prepare(s, name, request.values, request.secrets);
  if (typeof prepared === 'string') return { type: 'saveResult', ok: false, errors: [], message: `Not saved: ${prepared}.` };
  if (!prepared.validation.valid) {
    const n = prepared.validation.errors.length;
    return {
      type: 'saveResult',
      ok: false,
      errors: prepared.validation.errors,
      message: `Not saved: ${plural(n, 'field')} ${n === 1 ? 'needs' : 'need'} fixing.`,
    };
  }
  try {
    await s.secrets.apply(name, request.secrets, prepared.boundTo);
    await s.writer.writeConfig(name, prepared.values, request.scope);
    // Saving a configuration is asking for the plugin: one that is off until enabled is enabled now.
    if (!s.host.isEnabled(name) && !s.writer.decidesEnabled(name)) await s.writer.writeEnabled(name, true);
  } catch (err) {
    s.log.error(`[${name}] saving the configuration failed: ${redactValues(errorText(err), Object.values(prepared.secrets))}`);
    return { type: 'saveResult', ok: false, errors: [], message: `Not saved: ${redactValues(errorText(err), Object.values(prepared.secrets))}` };
  }
  const changedSecrets = Object.keys(request.secrets);
  s.log.info(`[${name}] configuration saved to ${request.scope} settings${changedSecrets.length ? `; secrets changed: ${changedSecrets.join(', ')}` : ''}`);
  const state = await s.host.restart(name, ticket);
  const info = s.host.manager.getPluginInfo(name);
  const where = request.scope === 'user' ? 'User' : 'Workspace';
  const outcome = state === 'active' ? `${name} restarted and is active.` : `${name} is ${state}${info?.error ? `: ${s.host.mask(info.error)}` : '.'}`;
  return {
    type: 'saveResult',
    ok: true,
    plugin: info
      ? pluginView(info, (t) => s.host.mask(t))
      : { name, version: undefined, description: '', type: undefined, state, error: undefined, errorKind: undefined, configErrors: [] },
    scope: request.scope,
    values: prepared.values,
    storedSecrets: Object.keys(prepared.secrets),
    message: `Saved to ${where} settings. ${outcome}`,
  };
}

/** True when the plugin declares the connectionTest capability. */
export function canTestConnection(host: PluginHost, name: string): boolean {
  return host.manager.getPluginInfo(name)?.metadata?.capabilities.includes('connectionTest') === true;
}

/** Runs the plugin's testConnection with the form's values and the secrets (stored, or typed but not saved). */
export async function testConnection(s: ConfigServices, name: string, request: TestConnectionMessage): Promise<TestResultMessage> {
  const prepared = await prepare(s, name, request.values, request.secrets);
  if (typeof prepared === 'string') return { type: 'testResult', ok: false, message: prepared, errors: [] };
  if (!prepared.validation.valid)
    return { type: 'testResult', ok: false, message: 'Fix the marked fields before testing the connection.', errors: prepared.validation.errors };
  if (prepared.heldBack.length > 0)
    return { type: 'testResult', ok: false, message: `Not tested: ${prepared.heldBack.map((e) => e.message).join('; ')}.`, errors: prepared.heldBack };
  const mask = (text: string): string => redactValues(text, Object.values(prepared.secrets));
  try {
    const tester = s.host.manager.instanceOf(name, 'connectionTest');
    if (!tester) return { type: 'testResult', ok: false, message: `${name} cannot test its connection.`, errors: [] };
    const result = await s.host.manager.call(name, 'testConnection', () =>
      tester.testConnection(s.host.manager.validateConfig(name, mergeSecrets(prepared.values, prepared.usable)).config),
    );
    const ok = result?.ok === true;
    const message = mask(typeof result?.message === 'string' && result.message !== '' ? result.message : ok ? 'Connection works.' : 'The connection failed.');
    s.log.info(`[${name}] test connection: ${ok ? 'ok' : 'failed'}: ${message}`);
    return { type: 'testResult', ok, message, errors: [] };
  } catch (err) {
    const message = mask(errorText(err));
    s.log.warn(`[${name}] test connection failed: ${message}`);
    return { type: 'testResult', ok: false, message, errors: [] };
  }
}

/** True when the plugin declares the outputParser capability: the form offers "Try on the last run's output". */
export function canTryOutput(host: PluginHost, name: string): boolean {
  return host.manager.getPluginInfo(name)?.metadata?.capabilities.includes('outputParser') === true;
}

/**
 * Reads a recent run's stored output with the form's draft and with the saved settings. The draft is checked first:
 * an invalid one is not tried, and its errors go to their fields as on save.
 */
export async function tryOutput(s: ConfigServices, name: string, request: TryOutputMessage, summaries: RunSummaries): Promise<TryResultMessage> {
  const prepared = await prepare(s, name, request.values, request.secrets);
  if (typeof prepared === 'string') return { type: 'tryResult', ok: false, runs: [], message: `Not tried: ${prepared}.`, errors: [] };
  if (!prepared.validation.valid)
    return { type: 'tryResult', ok: false, runs: [], message: 'Fix the marked fields before trying.', errors: prepared.validation.errors };
  const stored = s.settings.plugin(name).config;
  const saved = await prepare(s, name, isPlainObject(stored) ? stored : {}, {});
  const savedConfig =
    typeof saved === 'string'
      ? saved
      : saved.validation.valid
        ? s.host.manager.validateConfig(name, mergeSecrets(saved.values, saved.usable)).config
        : `the saved settings are not valid (${formatConfigErrors(saved.validation.errors)})`;
  const mask = (text: string): string => redactValues(s.host.mask(text), Object.values(prepared.secrets));
  const result = await tryOnOutput({
    manager: s.host.manager,
    name,
    runsRoot: s.runsRoot(),
    summaries,
    draft: s.host.manager.validateConfig(name, mergeSecrets(prepared.values, prepared.usable)).config,
    saved: savedConfig,
    runId: request.runId,
  });
  if (result.ok) {
    s.log.info(`[${name}] tried on the output of run ${result.preview.run.id}: ${result.preview.draft.recordCount} records`);
    return result.preview.note === undefined ? result : { ...result, preview: { ...result.preview, note: mask(result.preview.note) } };
  }
  s.log.info(`[${name}] try on a run's output: ${mask(result.message)}`);
  return { ...result, message: mask(result.message) };
}
