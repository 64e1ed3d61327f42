// The whole page: the plugin's state, where to save, the fields, the errors and the buttons.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import { allFields } from '../src/core/form/formModel';
import { errorsByPath } from '../src/core/form/secretDraft';
import type { ConfigError } from '../src/core/types';
import { el, Ids } from './dom';
import { renderField, type FieldHandlers, type FieldSlot } from './fieldViews';
import type { FormState } from './formState';
import { presetPicker } from './presetPicker';
import { tryPanel, type TryHandlers } from './tryPanel';

export interface PageHandlers extends FieldHandlers, TryHandlers {
  scope(scope: 'user' | 'workspace'): void;
  save(): void;
  test(): void;
  preset(index: number): void;
}

/**
 * Each error under its field, or under the nearest field that holds it (an item of a list edited as JSON), with the
 * rest of its path in front; errors no field holds are left for the summary.
 */
function placeErrors(errors: ConfigError[], slots: ReadonlyMap<string, FieldSlot>): { byPath: Map<string, string[]>; unplaced: ConfigError[] } {
  const placed: ConfigError[] = [];
  const unplaced: ConfigError[] = [];
  for (const e of errors) {
    let at = e.path;
    while (at !== '' && !slots.has(at)) at = at.slice(0, at.lastIndexOf('/'));
    if (at === '' && !slots.has('')) unplaced.push(e);
    else placed.push(at === e.path ? e : { path: at, message: `${e.path.slice(at.length + 1)}: ${e.message}` });
  }
  return { byPath: errorsByPath(placed), unplaced };
}

function pluginHeader(state: FormState): HTMLElement {
  const p = state.plugin;
  const stateClass = p.state === 'error' ? 'state-error' : p.state === 'active' ? 'state-active' : 'state-other';
  return el('header', {}, [
    el('h1', {}, [`Configure ${p.name}`]),
    el('p', { class: 'plugin-line' }, [
      [p.type, p.version].filter(Boolean).join(' plugin · ') || 'plugin',
      ' · ',
      el('span', { class: `plugin-state ${stateClass}`, 'data-plugin-state': p.state }, [p.state]),
    ]),
    p.description ? el('p', { class: 'help' }, [p.description]) : undefined,
    p.error
      ? el('div', { class: 'callout error', role: 'status', 'data-plugin-error': '' }, [
          p.errorKind === 'config' ? 'The saved configuration is not valid: ' : 'The plugin failed: ',
          p.error,
        ])
      : undefined,
  ]);
}

function scopePicker(state: FormState, handlers: PageHandlers): HTMLElement {
  const group = el('vscode-radio-group', { id: 'scope', 'aria-label': 'Save to' }, []);
  for (const option of state.scopes) {
    const text = `${option.label} settings${option.configured ? ' (configured there)' : ''}`;
    group.append(
      el('vscode-radio', { name: 'scope', value: option.scope, label: text, checked: option.scope === state.scope, 'data-scope': option.scope }, [text]),
    );
  }
  group.addEventListener('change', (e) => {
    const value = (e.target as HTMLElement & { value?: string }).value;
    if (value === 'user' || value === 'workspace') handlers.scope(value);
  });
  const shadowed = state.scope === 'user' && state.scopes.some((s) => s.scope === 'workspace' && s.configured);
  return el('section', { class: 'scope' }, [
    el('vscode-label', { for: 'scope' }, ['Save to']),
    group,
    shadowed ? el('p', { class: 'help warning' }, ['Workspace settings also configure this plugin and take precedence over User settings.']) : undefined,
  ]);
}

/** The rendered page, with the slots that live validation updates without rebuilding anything. */
export class FormView {
  private slots = new Map<string, FieldSlot>();
  private summary: HTMLElement | undefined;
  private saveButton: HTMLElement | undefined;
  private status: HTMLElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly handlers: PageHandlers,
  ) {}

  /** Rebuilds the page (after init, a structural change or a save) and puts the focus back where it was. */
  render(state: FormState): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest('[data-pointer]')?.getAttribute('data-pointer') ?? undefined;
    const ids = new Ids('field-');
    this.slots = new Map();
    const clearing = new Set(
      Object.entries(state.secretEdits)
        .filter(([, e]) => e.action === 'clear')
        .map(([p]) => p),
    );
    const replacing = new Map(Object.entries(state.secretEdits).flatMap(([p, e]) => (e.action === 'set' ? [[p, e.value] as const] : [])));
    const ctx = { ids, handlers: this.handlers, slots: this.slots, clearing, replacing };
    const fields = state.fields();
    this.summary = el('div', { class: 'summary', role: 'alert' });
    this.status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.saveButton = el('vscode-button', { id: 'save' }, ['Save and restart']);
    this.saveButton.addEventListener('click', () => this.handlers.save());
    const test = state.canTestConnection
      ? el('vscode-button', { id: 'test', secondary: true, disabled: state.busy !== undefined }, ['Test connection'])
      : undefined;
    test?.addEventListener('click', () => this.handlers.test());
    this.root.replaceChildren(
      pluginHeader(state),
      state.liveValidation ? '' : el('p', { class: 'callout' }, ['Fields are checked when you save.']),
      presetPicker(state.presets, state.presetApplied, (index) => this.handlers.preset(index)) ?? '',
      el(
        'form',
        { class: 'fields', novalidate: true },
        fields.length > 0 ? fields.map((f) => renderField(ctx, f)) : [el('p', {}, ['This plugin has no settings.'])],
      ),
      state.canTryOutput ? tryPanel(state, this.handlers) : '',
      scopePicker(state, this.handlers),
      // Kept in view at the bottom of the panel, so that the errors count, Save and the outcome are always visible.
      el('footer', {}, [
        this.summary,
        el('div', { class: 'actions' }, [this.saveButton, test]),
        this.status,
        el('p', { class: 'test-result', role: 'status', 'aria-live': 'polite', 'data-test-result': '' }, [state.testNotice ? state.testNotice.text : '']),
      ]),
    );
    this.root.querySelector('form')?.addEventListener('submit', (e) => e.preventDefault());
    this.root.setAttribute('aria-busy', 'false');
    this.update(state);
    if (focused) (this.root.querySelector(`[data-pointer="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
  }

  /** The Try section alone: its runs, its result or its button changed; the fields keep their place. */
  renderTry(state: FormState): void {
    this.root.querySelector('#try-section')?.replaceWith(tryPanel(state, this.handlers));
  }

  /** Only the plugin's name, state and error: a state change must not disturb what is being typed. */
  renderHeader(state: FormState): void {
    this.root.querySelector('header')?.replaceWith(pluginHeader(state));
  }

  /** Errors under their fields, the summary, the buttons and the notices; no rebuild, so typing keeps its place. */
  update(state: FormState): void {
    const errors = state.errors();
    const { byPath, unplaced } = placeErrors(errors, this.slots);
    for (const [pointer, slot] of this.slots) {
      const messages = byPath.get(pointer) ?? [];
      slot.error.replaceChildren(...messages.map((m) => el('div', {}, [m])));
      if (slot.control && 'invalid' in slot.control) (slot.control as HTMLElement & { invalid: boolean }).invalid = messages.length > 0;
    }
    const labels = new Map(allFields(state.fields()).map((f) => [f.pointer, f.label]));
    this.summary?.replaceChildren(
      ...(errors.length === 0
        ? []
        : [
            el('p', {}, [`${errors.length === 1 ? 'One problem' : `${errors.length} problems`} to fix before saving.`]),
            ...unplaced.map((e) => el('div', { class: 'field-error' }, [e.path ? `${labels.get(e.path) ?? e.path} ${e.message}` : e.message])),
          ]),
    );
    if (this.saveButton) (this.saveButton as HTMLElement & { disabled: boolean }).disabled = errors.length > 0 || state.busy !== undefined;
    const notice =
      state.busy === 'save'
        ? { kind: 'info', text: 'Saving and restarting…' }
        : state.busy === 'test'
          ? { kind: 'info', text: 'Testing the connection…' }
          : state.notice;
    const tryButton = this.root.querySelector<HTMLElement & { disabled: boolean }>('#try');
    if (tryButton) tryButton.disabled = state.busy !== undefined;
    if (this.status) {
      this.status.className = `status ${notice?.kind ?? ''}`;
      this.status.textContent = notice?.text ?? '';
    }
    const test = this.root.querySelector<HTMLElement & { disabled: boolean }>('#test');
    if (test) test.disabled = state.busy !== undefined;
    const result = this.root.querySelector<HTMLElement>('[data-test-result]');
    if (result) {
      result.className = `test-result ${state.testNotice?.kind ?? ''}`;
      result.textContent = state.busy === 'test' ? '' : (state.testNotice?.text ?? '');
    }
  }
}
