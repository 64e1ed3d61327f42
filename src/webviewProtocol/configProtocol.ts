// The plugin configuration webview's messages, both directions, imported by the extension host and the webview bundle.
// Everything from the webview goes through parseWebviewMessage before the host uses it: the webview is not trusted.
import type { ConfigError } from '../core/types';
import type { JsonObject } from '../core/form/jsonPointer';
import type { SecretEdit, SecretEdits } from '../core/form/secretDraft';
import type { JsonSchema } from '../core/schema';
import { fail, forbiddenKey, keys, parsed, plainObject, str, type Parsed } from './messageChecks';
import type { ListOutputRunsMessage, OutputRunsMessage, TryOutputMessage, TryResultMessage } from './configTry';
import type { ConfigPreset } from '../core/form/presets';

export type SettingsScope = 'user' | 'workspace';
export const SETTINGS_SCOPES: readonly SettingsScope[] = ['user', 'workspace'];

/** What the form shows about the plugin: never its config or secrets. */
export interface PluginView {
  name: string;
  version: string | undefined;
  description: string;
  type: string | undefined;
  state: string;
  error: string | undefined;
  errorKind: string | undefined;
  configErrors: ConfigError[];
}

export interface ScopeOption {
  scope: SettingsScope;
  label: string;
  /** True when settings at this scope already configure the plugin. */
  configured: boolean;
}

// ---- extension host → webview ----------------------------------------------------

export interface InitMessage {
  type: 'init';
  plugin: PluginView;
  /** The plugin's normalised configSchema. */
  schema: JsonSchema;
  /** The effective non-secret config from settings. */
  values: JsonObject;
  /** Pointers of the schema's secret fields, and of those with a value in SecretStorage. */
  secretPaths: string[];
  storedSecrets: string[];
  scope: SettingsScope;
  scopes: ScopeOption[];
  canTestConnection: boolean;
  /** The schema's `presets` the plugin's schema accepts, offered in a list that fills the draft. */
  presets: ConfigPreset[];
  /** The plugin reads terminal output (outputParser): the form offers "Try on the last run's output". */
  canTryOutput: boolean;
  /** False when the schema could not be compiled for the webview; the host still validates on save. */
  liveValidation: boolean;
}

export interface PluginMessage {
  type: 'plugin';
  plugin: PluginView;
}

export type SaveResultMessage =
  | { type: 'saveResult'; ok: true; plugin: PluginView; scope: SettingsScope; values: JsonObject; storedSecrets: string[]; message: string }
  | { type: 'saveResult'; ok: false; errors: ConfigError[]; message: string };

export interface TestResultMessage {
  type: 'testResult';
  ok: boolean;
  message: string;
  errors: ConfigError[];
}

export type HostMessage = InitMessage | PluginMessage | SaveResultMessage | TestResultMessage | OutputRunsMessage | TryResultMessage;

// ---- webview → extension host ----------------------------------------------------

export interface ReadyMessage {
  type: 'ready';
}

export interface SaveMessage {
  type: 'save';
  scope: SettingsScope;
  /** Non-secret values; the host drops any secret path found here. */
  values: JsonObject;
  /** Changes to secrets, by pointer; a secret without an entry keeps its stored value. */
  secrets: SecretEdits;
}

export interface TestConnectionMessage {
  type: 'testConnection';
  values: JsonObject;
  secrets: SecretEdits;
}

/** A Content-Security-Policy violation the webview saw; logged so that a broken policy is noticed. */
export interface CspViolationMessage {
  type: 'cspViolation';
  directive: string;
  blocked: string;
}

export type WebviewMessage = ReadyMessage | SaveMessage | TestConnectionMessage | CspViolationMessage | ListOutputRunsMessage | TryOutputMessage;

// ---- validation of what the webview sends -----------------------------------------

export const LIMITS = {
  depth: 16,
  nodes: 10_000,
  string: 100_000,
  secret: 65_536,
  secrets: 100,
  pointer: 1_000,
  text: 2_000,
  runId: 128,
} as const;

/** A JSON value of bounded size: plain objects, arrays, strings, finite numbers, booleans, null. */
function checkJson(value: unknown, what: string, depth: number, count: { nodes: number }): void {
  if (++count.nodes > LIMITS.nodes) fail(`${what} has more than ${LIMITS.nodes} values`);
  if (depth > LIMITS.depth) fail(`${what} is nested deeper than ${LIMITS.depth}`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`${what} holds a number that is not finite`);
    return;
  }
  if (typeof value === 'string') {
    str(value, LIMITS.string, what);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) checkJson(item, what, depth + 1, count);
    return;
  }
  const obj = plainObject(value, what);
  for (const [key, item] of Object.entries(obj)) {
    if (forbiddenKey(key)) fail(`${what} has the forbidden key ${key}`);
    str(key, LIMITS.pointer, `${what} key`);
    checkJson(item, what, depth + 1, count);
  }
}

function values(value: unknown): JsonObject {
  const obj = plainObject(value, 'values');
  checkJson(obj, 'values', 0, { nodes: 0 });
  return obj;
}

function scope(value: unknown): SettingsScope {
  if (!SETTINGS_SCOPES.includes(value as SettingsScope)) fail(`scope must be one of ${SETTINGS_SCOPES.join(', ')}`);
  return value as SettingsScope;
}

function secretEdit(value: unknown, pointer: string): SecretEdit {
  const edit = plainObject(value, `secret ${pointer}`);
  if (edit.action === 'clear') {
    keys(edit, ['action'], [], `secret ${pointer}`);
    return { action: 'clear' };
  }
  if (edit.action === 'set') {
    keys(edit, ['action', 'value'], [], `secret ${pointer}`);
    const text = str(edit.value, LIMITS.secret, `secret ${pointer}`);
    if (text === '') fail(`secret ${pointer} is empty: clear it instead`);
    return { action: 'set', value: text };
  }
  return fail(`secret ${pointer} has an unknown action`);
}

function secrets(value: unknown): SecretEdits {
  const obj = plainObject(value, 'secrets');
  const entries = Object.entries(obj);
  if (entries.length > LIMITS.secrets) fail(`more than ${LIMITS.secrets} secrets`);
  const out: SecretEdits = {};
  for (const [pointer, edit] of entries) {
    if (!pointer.startsWith('/') || pointer.length > LIMITS.pointer) fail(`secret key "${pointer.slice(0, 40)}" is not a JSON Pointer`);
    out[pointer] = secretEdit(edit, pointer);
  }
  return out;
}

/** A run folder's name as run ids are made (docs/run-format.md); the host still takes only ids of runs it listed. */
function runId(value: unknown): string | null {
  if (value === null) return null;
  const id = str(value, LIMITS.runId, 'runId');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) fail('runId is not a run id');
  return id;
}

function parse(raw: unknown): WebviewMessage {
  const m = plainObject(raw, 'the message');
  switch (m.type) {
    case 'ready':
      keys(m, ['type'], [], 'ready');
      return { type: 'ready' };
    case 'save':
      keys(m, ['type', 'scope', 'values', 'secrets'], [], 'save');
      return { type: 'save', scope: scope(m.scope), values: values(m.values), secrets: secrets(m.secrets) };
    case 'testConnection':
      keys(m, ['type', 'values', 'secrets'], [], 'testConnection');
      return { type: 'testConnection', values: values(m.values), secrets: secrets(m.secrets) };
    case 'listOutputRuns':
      keys(m, ['type'], [], 'listOutputRuns');
      return { type: 'listOutputRuns' };
    case 'tryOutput':
      keys(m, ['type', 'values', 'secrets', 'runId'], [], 'tryOutput');
      return { type: 'tryOutput', values: values(m.values), secrets: secrets(m.secrets), runId: runId(m.runId) };
    case 'cspViolation':
      keys(m, ['type', 'directive', 'blocked'], [], 'cspViolation');
      return {
        type: 'cspViolation',
        directive: str(m.directive, LIMITS.text, 'directive'),
        blocked: str(m.blocked, LIMITS.text, 'blocked'),
      };
    default:
      return fail(typeof m.type === 'string' ? `unknown message type "${m.type.slice(0, 40)}"` : 'the message has no type');
  }
}

/** Checks a message from the webview against the protocol; anything unknown or malformed is refused with a reason. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  return parsed(parse, raw);
}

const HOST_TYPES: readonly string[] = ['init', 'plugin', 'saveResult', 'testResult', 'outputRuns', 'tryResult'];

/** The webview's check of what arrives: only the host's message types are handled. */
export function isHostMessage(raw: unknown): raw is HostMessage {
  return typeof raw === 'object' && raw !== null && HOST_TYPES.includes((raw as { type?: unknown }).type as string);
}
