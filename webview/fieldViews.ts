// One control per field descriptor, built from @vscode-elements/elements; values go out through the handlers already parsed.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { parseItemText, parseText } from '../src/core/form/formDraft';
import type { ArrayField, EnumField, FormField, ItemField, JsonField, NumberField, ObjectField, SecretField, TextField } from '../src/core/form/formModel';
import { el, type Ids } from './dom';

export interface FieldHandlers {
  value(pointer: string, value: unknown): void;
  secret(pointer: string, text: string): void;
  clearSecret(pointer: string, clear: boolean): void;
  addItem(pointer: string): void;
  removeItem(pointer: string, index: number): void;
}

/** Where each field shows its errors; filled while rendering. */
export interface FieldSlot {
  control: HTMLElement | undefined;
  error: HTMLElement;
}

export interface FieldContext {
  ids: Ids;
  handlers: FieldHandlers;
  slots: Map<string, FieldSlot>;
  /** Secrets the form will remove on save. */
  clearing: ReadonlySet<string>;
  /** Secrets with a new value typed (the user's own typing, kept across a rebuild of the page). */
  replacing: ReadonlyMap<string, string>;
}

function errorSlot(ctx: FieldContext, pointer: string, control: HTMLElement | undefined): HTMLElement {
  const error = el('div', { class: 'field-error', 'data-error-for': pointer, 'aria-live': 'polite' });
  ctx.slots.set(pointer, { control, error });
  return error;
}

function help(text: string | undefined): HTMLElement | undefined {
  return text ? el('vscode-form-helper', {}, [el('p', {}, [text])]) : undefined;
}

function label(ctx: FieldContext, field: FormField, forControl: boolean): HTMLElement {
  return el('vscode-label', { for: forControl ? ctx.ids.for(field.pointer) : undefined, required: field.required }, [field.label]);
}

function group(children: (HTMLElement | undefined)[], pointer: string): HTMLElement {
  return el('vscode-form-group', { variant: 'settings-group', 'data-pointer': pointer }, children);
}

function textControl(ctx: FieldContext, field: TextField | NumberField, item: boolean): HTMLElement {
  const isNumber = field.kind !== 'string';
  const input = el('vscode-textfield', {
    id: ctx.ids.for(field.pointer),
    'data-pointer': field.pointer,
    type: isNumber ? 'number' : field.inputType,
    placeholder: isNumber ? field.range : field.placeholder,
    min: isNumber ? field.min : undefined,
    max: isNumber ? field.max : undefined,
    step: isNumber ? field.step : undefined,
  });
  input.value = field.text;
  input.addEventListener('input', () => {
    const value = item ? parseItemText(field.kind, input.value) : parseText(field.kind, input.value);
    ctx.handlers.value(field.pointer, value);
  });
  return input;
}

function enumControl(ctx: FieldContext, field: EnumField): HTMLElement {
  const select = el('vscode-single-select', { id: ctx.ids.for(field.pointer), 'data-pointer': field.pointer });
  if (!field.required) select.append(el('vscode-option', { value: '', selected: field.selected === -1 }, ['(not set)']));
  field.options.forEach((option, i) => select.append(el('vscode-option', { value: String(i), selected: field.selected === i }, [option.label])));
  select.addEventListener('change', () => {
    const index = select.value === '' ? -1 : Number(select.value);
    ctx.handlers.value(field.pointer, index >= 0 ? field.options[index]?.value : undefined);
  });
  return select;
}

function checkbox(ctx: FieldContext, pointer: string, checked: boolean, text: string): HTMLElement {
  const box = el('vscode-checkbox', { id: ctx.ids.for(pointer), 'data-pointer': pointer, label: text, checked });
  box.addEventListener('change', () => ctx.handlers.value(pointer, box.checked));
  return box;
}

function itemControl(ctx: FieldContext, field: ItemField): HTMLElement {
  switch (field.kind) {
    case 'boolean':
      return checkbox(ctx, field.pointer, field.checked, field.label);
    case 'enum':
      return enumControl(ctx, field);
    default:
      return textControl(ctx, field, true);
  }
}

function scalarField(ctx: FieldContext, field: TextField | NumberField | EnumField): HTMLElement {
  const control = field.kind === 'enum' ? enumControl(ctx, field) : textControl(ctx, field, false);
  const range = field.kind === 'number' || field.kind === 'integer' ? field.range : undefined;
  const text = [field.help, range ? `${field.kind === 'integer' ? 'A whole number' : 'A number'}, ${range}.` : undefined].filter(Boolean).join(' ');
  return group([label(ctx, field, true), help(text || undefined), control, errorSlot(ctx, field.pointer, control)], field.pointer);
}

function secretStatus(ctx: FieldContext, field: SecretField): string {
  if (ctx.clearing.has(field.pointer)) return 'Stored value will be removed on save';
  if (ctx.replacing.has(field.pointer)) return field.stored ? 'New value will replace the stored one on save' : 'New value will be stored on save';
  return field.stored ? 'Stored' : 'Not set';
}

function secretField(ctx: FieldContext, field: SecretField): HTMLElement {
  const clearing = ctx.clearing.has(field.pointer);
  const input = el('vscode-textfield', {
    id: ctx.ids.for(field.pointer),
    'data-pointer': field.pointer,
    type: 'password',
    autocomplete: 'off',
    disabled: clearing,
    placeholder: field.stored ? 'Type a new value to replace the stored one' : 'Type a value',
  });
  input.value = ctx.replacing.get(field.pointer) ?? '';
  const status = el('span', { class: `secret-status ${field.stored && !clearing ? 'stored' : 'unset'}`, 'data-secret-status': field.pointer }, [
    secretStatus(ctx, field),
  ]);
  input.addEventListener('input', () => {
    ctx.handlers.secret(field.pointer, input.value);
    status.textContent =
      input.value === ''
        ? field.stored
          ? 'Stored'
          : 'Not set'
        : field.stored
          ? 'New value will replace the stored one on save'
          : 'New value will be stored on save';
  });
  const toggle =
    field.stored &&
    el('vscode-button', { secondary: true, 'data-action': clearing ? 'keep-secret' : 'clear-secret' }, [
      clearing ? 'Keep stored value' : 'Remove stored value',
    ]);
  if (toggle) toggle.addEventListener('click', () => ctx.handlers.clearSecret(field.pointer, !clearing));
  const note = 'Kept in VS Code’s secret storage, never in settings.json.';
  return group(
    [
      label(ctx, field, true),
      help([field.help, note].filter(Boolean).join(' ')),
      el('div', { class: 'secret-row' }, [input, status, toggle]),
      errorSlot(ctx, field.pointer, input),
    ],
    field.pointer,
  );
}

function arrayField(ctx: FieldContext, field: ArrayField): HTMLElement {
  const rows = field.items.map((item, index) => {
    const control = itemControl(ctx, item);
    const remove = el('vscode-button', { secondary: true, disabled: !field.canRemove, 'aria-label': `Remove ${field.label} item ${index + 1}` }, ['Remove']);
    remove.addEventListener('click', () => ctx.handlers.removeItem(field.pointer, index));
    return el('li', { class: 'array-item' }, [el('div', { class: 'array-row' }, [control, remove]), errorSlot(ctx, item.pointer, control)]);
  });
  const add = el('vscode-button', { secondary: true, disabled: !field.canAdd, 'aria-label': `Add an item to ${field.label}` }, ['Add item']);
  add.addEventListener('click', () => ctx.handlers.addItem(field.pointer));
  const list = el('ul', { class: 'array-items', 'aria-label': field.label }, rows);
  return group(
    [
      label(ctx, field, false),
      help(field.help),
      rows.length > 0 ? list : el('p', { class: 'empty' }, ['No items.']),
      add,
      errorSlot(ctx, field.pointer, undefined),
    ],
    field.pointer,
  );
}

function jsonField(ctx: FieldContext, field: JsonField): HTMLElement {
  const area = el('vscode-textarea', { id: ctx.ids.for(field.pointer), 'data-pointer': field.pointer, rows: 4, class: 'json', monospace: true });
  area.value = field.text;
  area.addEventListener('input', () => ctx.handlers.value(field.pointer, parseText('json', area.value)));
  return group(
    [label(ctx, field, true), help([field.help, 'Edited as JSON.'].filter(Boolean).join(' ')), area, errorSlot(ctx, field.pointer, area)],
    field.pointer,
  );
}

function objectField(ctx: FieldContext, field: ObjectField): HTMLElement {
  return el('fieldset', { class: 'object', 'data-pointer': field.pointer }, [
    el('legend', {}, [field.label, field.required ? el('span', { class: 'required-mark', 'aria-hidden': 'true' }, [' *']) : undefined]),
    field.help ? el('p', { class: 'help' }, [field.help]) : undefined,
    ...field.fields.map((f) => renderField(ctx, f)),
    errorSlot(ctx, field.pointer, undefined),
  ]);
}

export function renderField(ctx: FieldContext, field: FormField): HTMLElement {
  switch (field.kind) {
    case 'boolean': {
      const box = checkbox(ctx, field.pointer, field.checked, field.label);
      return group([box, help(field.help), errorSlot(ctx, field.pointer, box)], field.pointer);
    }
    case 'secret':
      return secretField(ctx, field);
    case 'array':
      return arrayField(ctx, field);
    case 'object':
      return objectField(ctx, field);
    case 'json':
      return jsonField(ctx, field);
    default:
      return scalarField(ctx, field);
  }
}
