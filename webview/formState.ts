// What the form holds between messages: the draft, secret edits, errors and the plugin's state. No DOM here.
import type { ConfigError } from '../src/core/types';
import { initialDraft, newItemValue, pruneDraft } from '../src/core/form/formDraft';
import { buildForm, type FormField } from '../src/core/form/formModel';
import { getAt, isPlainObject, setAt, type JsonObject } from '../src/core/form/jsonPointer';
import { schemaAt } from '../src/core/form/schemaKinds';
import { secretValidationInput, withoutStandInErrors, type SecretEdits } from '../src/core/form/secretDraft';
import type { JsonSchema } from '../src/core/schema';
import type { ConfigPreset } from '../src/core/form/presets';
import type { InitMessage, PluginView, SaveMessage, ScopeOption, SettingsScope, TestConnectionMessage } from '../src/webviewProtocol/configProtocol';
import type { OutputRunOption, TryOutputMessage, TryResultMessage } from '../src/webviewProtocol/configTry';
import type { LiveValidator } from './liveValidator';

/** What survives the panel being hidden: no secret values, only which stored secrets are to be removed. */
export interface PersistedForm {
  plugin: string;
  draft: JsonObject;
  scope: SettingsScope;
  clears: string[];
}

export function isPersistedForm(value: unknown, plugin: string): value is PersistedForm {
  if (!isPlainObject(value) || value.plugin !== plugin || !isPlainObject(value.draft)) return false;
  return (value.scope === 'user' || value.scope === 'workspace') && Array.isArray(value.clears) && value.clears.every((c) => typeof c === 'string');
}

export type Notice = { kind: 'info' | 'success' | 'error'; text: string };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class FormState {
  plugin: PluginView;
  readonly schema: JsonSchema;
  readonly secretPaths: string[];
  storedSecrets: string[];
  draft: JsonObject;
  secretEdits: SecretEdits = {};
  scope: SettingsScope;
  readonly scopes: ScopeOption[];
  readonly canTestConnection: boolean;
  readonly presets: ConfigPreset[];
  /** The preset last filled in, for the preset list to show. */
  presetApplied: number | undefined;
  readonly canTryOutput: boolean;
  /** Recent runs with stored output, newest first; undefined until the host has listed them. */
  outputRuns: OutputRunOption[] | undefined;
  /** The run Try reads; null: the newest in `outputRuns`. */
  tryRunId: string | null = null;
  tryResult: TryResultMessage | undefined;
  /** The draft changed after the shown result was made. */
  tryStale = false;
  /** Errors the host reported on the last save or test; they stand until the next edit when there is no live validation. */
  hostErrors: ConfigError[] = [];
  busy: 'save' | 'test' | 'try' | undefined;
  notice: Notice | undefined;
  testNotice: Notice | undefined;

  constructor(
    init: InitMessage,
    private readonly validator: LiveValidator | undefined,
    persisted: PersistedForm | undefined,
  ) {
    this.plugin = init.plugin;
    this.schema = init.schema;
    this.secretPaths = init.secretPaths;
    this.storedSecrets = init.storedSecrets;
    this.scopes = init.scopes;
    this.canTestConnection = init.canTestConnection;
    this.presets = init.presets;
    this.canTryOutput = init.canTryOutput;
    this.draft = persisted ? clone(persisted.draft) : initialDraft(init.schema, init.values);
    this.scope = persisted && init.scopes.some((s) => s.scope === persisted.scope) ? persisted.scope : init.scope;
    for (const pointer of persisted?.clears ?? []) if (this.storedSecrets.includes(pointer)) this.secretEdits[pointer] = { action: 'clear' };
  }

  get liveValidation(): boolean {
    return this.validator !== undefined;
  }

  persisted(): PersistedForm {
    const clears = Object.entries(this.secretEdits)
      .filter(([, e]) => e.action === 'clear')
      .map(([p]) => p);
    return { plugin: this.plugin.name, draft: this.draft, scope: this.scope, clears };
  }

  fields(): FormField[] {
    return buildForm(this.schema, this.draft, this.storedSecrets);
  }

  /** The values a save sends: the draft without empty optional fieldsets. */
  values(): JsonObject {
    return pruneDraft(this.schema, clone(this.draft));
  }

  /** What is wrong now: live validation, and what the host said on the last save or test (until the next edit). */
  errors(): ConfigError[] {
    if (!this.validator) return this.hostErrors;
    const { input, standIns } = secretValidationInput(this.schema, this.values(), this.secretPaths, this.storedSecrets, this.secretEdits);
    return [...withoutStandInErrors(this.validator(input), standIns), ...this.hostErrors];
  }

  setValue(pointer: string, value: unknown): void {
    setAt(this.draft, pointer, value);
    this.edited();
  }

  /** A typed secret; empty means "keep what is stored". */
  setSecret(pointer: string, text: string): void {
    if (text === '') delete this.secretEdits[pointer];
    else this.secretEdits[pointer] = { action: 'set', value: text };
    this.edited();
  }

  clearSecret(pointer: string, clear: boolean): void {
    if (clear) this.secretEdits[pointer] = { action: 'clear' };
    else delete this.secretEdits[pointer];
    this.edited();
  }

  addItem(pointer: string): void {
    const list = getAt(this.draft, pointer);
    const items = Array.isArray(list) ? [...list] : [];
    const itemSchema = schemaAt(this.schema, pointer)?.items;
    items.push(newItemValue(isPlainObject(itemSchema) ? itemSchema : {}));
    setAt(this.draft, pointer, items);
    this.edited();
  }

  removeItem(pointer: string, index: number): void {
    const list = getAt(this.draft, pointer);
    if (!Array.isArray(list)) return;
    setAt(
      this.draft,
      pointer,
      list.filter((_, i) => i !== index),
    );
    this.edited();
  }

  /** The preset's config becomes the draft (fields it leaves out take their defaults); nothing is saved until Save. */
  applyPreset(index: number): void {
    const preset = this.presets[index];
    if (!preset) return;
    this.draft = initialDraft(this.schema, preset.config);
    this.presetApplied = index;
    this.edited();
    this.notice = { kind: 'info', text: `Filled in from the preset "${preset.name}". Nothing is applied until you save.` };
  }

  /** The host's list of runs with output; a picked run that is no longer listed falls back to the newest. */
  setOutputRuns(runs: OutputRunOption[]): void {
    this.outputRuns = runs;
    if (this.tryRunId !== null && !runs.some((r) => r.id === this.tryRunId)) this.tryRunId = null;
  }

  tryRequest(): TryOutputMessage {
    return { type: 'tryOutput', values: this.values(), secrets: { ...this.secretEdits }, runId: this.tryRunId };
  }

  saveRequest(): SaveMessage {
    return { type: 'save', scope: this.scope, values: this.values(), secrets: { ...this.secretEdits } };
  }

  testRequest(): TestConnectionMessage {
    return { type: 'testConnection', values: this.values(), secrets: { ...this.secretEdits } };
  }

  /** After a save the host accepted: the saved values are the new starting point and typed secrets are gone. */
  saved(values: JsonObject, storedSecrets: string[], plugin: PluginView): void {
    this.draft = initialDraft(this.schema, values);
    this.storedSecrets = storedSecrets;
    this.secretEdits = {};
    this.hostErrors = [];
    this.plugin = plugin;
  }

  private edited(): void {
    if (this.tryResult) this.tryStale = true;
    if (this.validator) this.hostErrors = [];
    this.notice = undefined;
    this.testNotice = undefined;
  }
}
