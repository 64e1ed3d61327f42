// Pure and browser-safe: a plugin's normalised configSchema and the form's draft values in, field descriptors out.
// The webview renders exactly these; tests call buildForm without a browser.
import type { JsonSchema } from '../schema';
import { childPointer, getAt, isPlainObject } from './jsonPointer';
import { enumValues, kindOf, requiredOf, type ScalarKind } from './schemaKinds';

interface FieldBase {
  /** JSON Pointer of the value (`/auth/token`); errors are matched to fields by it. */
  pointer: string;
  key: string;
  label: string;
  /** The schema's description, shown under the control. */
  help: string | undefined;
  required: boolean;
}

export type TextInputType = 'text' | 'url' | 'email';

export interface TextField extends FieldBase {
  kind: 'string';
  inputType: TextInputType;
  format: string | undefined;
  text: string;
  placeholder: string | undefined;
}

export interface NumberField extends FieldBase {
  kind: 'number' | 'integer';
  text: string;
  min: number | undefined;
  max: number | undefined;
  step: number | undefined;
  /** "at least 1, at most 10", or undefined without bounds. */
  range: string | undefined;
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
  checked: boolean;
}

export interface EnumOption {
  label: string;
  value: unknown;
}

export interface EnumField extends FieldBase {
  kind: 'enum';
  options: EnumOption[];
  /** Index into options; -1 when the value is unset or not one of them. */
  selected: number;
}

export type ItemField = TextField | NumberField | BooleanField | EnumField;

export interface ArrayField extends FieldBase {
  kind: 'array';
  itemKind: ScalarKind;
  items: ItemField[];
  canAdd: boolean;
  canRemove: boolean;
}

export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: FormField[];
}

/** A value kept in SecretStorage: the form shows only whether one is stored, never the value. */
export interface SecretField extends FieldBase {
  kind: 'secret';
  stored: boolean;
}

/** Anything else (unions, arrays of objects, free-form objects), edited as JSON text. */
export interface JsonField extends FieldBase {
  kind: 'json';
  text: string;
}

export type FormField = TextField | NumberField | BooleanField | EnumField | ArrayField | ObjectField | SecretField | JsonField;

const INPUT_TYPES: Record<string, TextInputType> = { uri: 'url', url: 'url', iri: 'url', email: 'email', 'idn-email': 'email' };

const FORMAT_PLACEHOLDERS: Record<string, string> = {
  uri: 'https://…',
  url: 'https://…',
  email: 'name@example.com',
  date: 'YYYY-MM-DD',
  time: 'HH:MM:SS',
  'date-time': 'YYYY-MM-DDTHH:MM:SSZ',
  hostname: 'host.example.com',
  ipv4: '127.0.0.1',
  uuid: '00000000-0000-0000-0000-000000000000',
};

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

export function optionLabel(value: unknown): string {
  if (value === '\t') return 'Tab (\\t)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function rangeText(schema: JsonSchema): string | undefined {
  const parts: string[] = [];
  if (num(schema.minimum) !== undefined) parts.push(`at least ${String(schema.minimum)}`);
  if (num(schema.exclusiveMinimum) !== undefined) parts.push(`greater than ${String(schema.exclusiveMinimum)}`);
  if (num(schema.maximum) !== undefined) parts.push(`at most ${String(schema.maximum)}`);
  if (num(schema.exclusiveMaximum) !== undefined) parts.push(`less than ${String(schema.exclusiveMaximum)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function scalarField(base: FieldBase, kind: ScalarKind, schema: JsonSchema, value: unknown): ItemField {
  switch (kind) {
    case 'boolean':
      return { ...base, kind, checked: value === true };
    case 'enum': {
      const options = (enumValues(schema) ?? []).map((v) => ({ label: optionLabel(v), value: v }));
      return { ...base, kind, options, selected: value === undefined ? -1 : options.findIndex((o) => sameValue(o.value, value)) };
    }
    case 'number':
    case 'integer': {
      const step = num(schema.multipleOf) ?? (kind === 'integer' ? 1 : undefined);
      return { ...base, kind, text: textOf(value), min: num(schema.minimum), max: num(schema.maximum), step, range: rangeText(schema) };
    }
    case 'string': {
      const format = typeof schema.format === 'string' ? schema.format : undefined;
      return {
        ...base,
        kind,
        inputType: (format && INPUT_TYPES[format]) || 'text',
        format,
        text: textOf(value),
        placeholder: format ? FORMAT_PLACEHOLDERS[format] : undefined,
      };
    }
  }
}

function field(schema: JsonSchema, key: string, pointer: string, required: boolean, draft: unknown, stored: ReadonlySet<string>): FormField {
  const base: FieldBase = {
    pointer,
    key,
    label: typeof schema.title === 'string' && schema.title !== '' ? schema.title : key,
    help: typeof schema.description === 'string' && schema.description !== '' ? schema.description : undefined,
    required,
  };
  const value = getAt(draft, pointer);
  const kind = kindOf(schema);
  switch (kind) {
    case 'secret':
      return { ...base, kind, stored: stored.has(pointer) };
    case 'object':
      return { ...base, kind, fields: objectFields(schema, pointer, draft, stored) };
    case 'array': {
      const itemSchema = schema.items as JsonSchema;
      const itemKind = kindOf(itemSchema) as ScalarKind;
      const values = Array.isArray(value) ? value : [];
      const items = values.map((v, i) =>
        scalarField(
          { pointer: childPointer(pointer, i), key: String(i), label: `${base.label} ${i + 1}`, help: undefined, required: true },
          itemKind,
          itemSchema,
          v,
        ),
      );
      const max = num(schema.maxItems);
      const min = num(schema.minItems) ?? 0;
      return { ...base, kind, itemKind, items, canAdd: max === undefined || items.length < max, canRemove: items.length > min };
    }
    case 'json':
      return { ...base, kind, text: value === undefined ? '' : JSON.stringify(value, null, 2) };
    default:
      return scalarField(base, kind, schema, value);
  }
}

function objectFields(schema: JsonSchema, pointer: string, draft: unknown, stored: ReadonlySet<string>): FormField[] {
  const props = isPlainObject(schema.properties) ? schema.properties : {};
  const required = requiredOf(schema);
  return Object.entries(props)
    .filter(([, sub]) => isPlainObject(sub))
    .map(([key, sub]) => field(sub as JsonSchema, key, childPointer(pointer, key), required.has(key), draft, stored));
}

/**
 * The form for a normalised config schema. `draft` holds the non-secret values being
 * edited (defaults already applied, see `initialDraft`); `storedSecrets` the pointers of
 * secrets kept in SecretStorage.
 */
export function buildForm(schema: JsonSchema, draft: unknown, storedSecrets: readonly string[] = []): FormField[] {
  return objectFields(schema, '', draft, new Set(storedSecrets));
}

/** Every field in the form, nested ones and array items included, depth first. */
export function allFields(fields: readonly FormField[]): FormField[] {
  return fields.flatMap((f) => [f, ...(f.kind === 'object' ? allFields(f.fields) : f.kind === 'array' ? f.items : [])]);
}
