import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { initialDraft, newItemValue, parseItemText, parseText, pruneDraft } from '../../src/core/form/formDraft';
import {
  allFields,
  buildForm,
  type ArrayField,
  type EnumField,
  type FormField,
  type NumberField,
  type ObjectField,
  type SecretField,
  type TextField,
} from '../../src/core/form/formModel';
import { formatPointer, getAt, parsePointer, setAt } from '../../src/core/form/jsonPointer';
import { kindOf, schemaAt } from '../../src/core/form/schemaKinds';
import { errorsByPath, secretValidationInput, withoutStandInErrors } from '../../src/core/form/secretDraft';
import { normaliseSchema } from '../../src/core/schema';
import { validateAgainstSchema } from '../../src/core/validate';

/** The schema of the e2e fixture backend, plus one of each remaining kind. */
const schema = normaliseSchema({
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', format: 'uri', title: 'Server URL', description: 'Where the tracking server listens.' },
    email: { type: 'string', format: 'email' },
    batchSize: { type: 'number', minimum: 1, maximum: 1000, default: 50 },
    retries: { type: 'integer', minimum: 0, default: 3 },
    mode: { type: 'string', enum: ['online', 'offline', 'disabled'], default: 'online' },
    verbose: { type: 'boolean', default: false },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2, default: ['a'] },
    levels: { type: 'array', items: { enum: [1, 2, 3] } },
    token: { type: 'string', secret: true, description: 'API token.' },
    proxy: {
      type: 'object',
      description: 'Optional HTTP proxy.',
      required: ['host'],
      properties: { host: { type: 'string' }, port: { type: 'integer', default: 8080 }, password: { type: 'string', secret: true } },
    },
    extra: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
});

function byKey(fields: FormField[], key: string): FormField {
  const f = fields.find((x) => x.key === key);
  assert.ok(f, `field ${key}`);
  return f;
}

describe('buildForm', () => {
  const draft = initialDraft(schema, { url: 'http://localhost:5000', unknown: 1 });
  const fields = buildForm(schema, draft, ['/token']);

  it('makes one field per property, in schema order, with pointers', () => {
    assert.deepEqual(
      fields.map((f) => f.key),
      ['url', 'email', 'batchSize', 'retries', 'mode', 'verbose', 'tags', 'levels', 'token', 'proxy', 'extra'],
    );
    assert.deepEqual(
      allFields(fields)
        .map((f) => f.pointer)
        .filter((p) => p.startsWith('/proxy')),
      ['/proxy', '/proxy/host', '/proxy/port', '/proxy/password'],
    );
  });

  it('strings: title as label, description as help, required marked, format as input type', () => {
    const url = byKey(fields, 'url') as TextField;
    assert.deepEqual(
      { kind: url.kind, label: url.label, help: url.help, required: url.required, inputType: url.inputType, text: url.text },
      { kind: 'string', label: 'Server URL', help: 'Where the tracking server listens.', required: true, inputType: 'url', text: 'http://localhost:5000' },
    );
    const email = byKey(fields, 'email') as TextField;
    assert.equal(email.inputType, 'email');
    assert.equal(email.required, false);
    assert.equal(email.label, 'email');
    assert.equal(email.text, '');
  });

  it('numbers and integers: bounds, step and defaults pre-filled', () => {
    const n = byKey(fields, 'batchSize') as NumberField;
    assert.deepEqual(
      { kind: n.kind, text: n.text, min: n.min, max: n.max, step: n.step, range: n.range },
      { kind: 'number', text: '50', min: 1, max: 1000, step: undefined, range: 'at least 1, at most 1000' },
    );
    const i = byKey(fields, 'retries') as NumberField;
    assert.deepEqual({ kind: i.kind, text: i.text, step: i.step }, { kind: 'integer', text: '3', step: 1 });
  });

  it('enums become a dropdown with the default selected; booleans a checkbox', () => {
    const mode = byKey(fields, 'mode') as EnumField;
    assert.equal(mode.kind, 'enum');
    assert.deepEqual(
      mode.options.map((o) => o.label),
      ['online', 'offline', 'disabled'],
    );
    assert.equal(mode.selected, 0);
    assert.deepEqual(byKey(fields, 'verbose'), {
      pointer: '/verbose',
      key: 'verbose',
      label: 'verbose',
      help: undefined,
      required: false,
      kind: 'boolean',
      checked: false,
    });
  });

  it('arrays of scalars list their items with add and remove limits', () => {
    const tags = byKey(fields, 'tags') as ArrayField;
    assert.equal(tags.itemKind, 'string');
    assert.deepEqual(
      tags.items.map((i) => [i.pointer, (i as TextField).text]),
      [['/tags/0', 'a']],
    );
    assert.equal(tags.canAdd, true);
    assert.equal(tags.canRemove, true);
    const full = buildForm(schema, { ...draft, tags: ['a', 'b'] }).find((f) => f.key === 'tags') as ArrayField;
    assert.equal(full.canAdd, false, 'maxItems 2');
    const levels = byKey(fields, 'levels') as ArrayField;
    assert.equal(levels.itemKind, 'enum');
    assert.deepEqual(levels.items, []);
  });

  it('secrets are password fields that know only whether a value is stored', () => {
    const token = byKey(fields, 'token') as SecretField;
    assert.deepEqual(token, { pointer: '/token', key: 'token', label: 'token', help: 'API token.', required: false, kind: 'secret', stored: true });
    assert.equal(((byKey(fields, 'proxy') as ObjectField).fields[2] as SecretField).stored, false);
  });

  it('nested objects are fieldsets with their own required fields and defaults', () => {
    const proxy = byKey(fields, 'proxy') as ObjectField;
    assert.equal(proxy.kind, 'object');
    assert.equal(proxy.help, 'Optional HTTP proxy.');
    assert.deepEqual(
      proxy.fields.map((f) => [f.key, f.kind, f.required]),
      [
        ['host', 'string', true],
        ['port', 'integer', false],
        ['password', 'secret', false],
      ],
    );
    assert.equal((proxy.fields[1] as NumberField).text, '8080');
  });

  it('falls back to JSON text for what it cannot show as a control', () => {
    assert.equal(byKey(fields, 'extra').kind, 'json');
    assert.equal(kindOf({ type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } }), 'json');
    assert.equal(kindOf({ type: 'object' }), 'json');
    assert.equal(kindOf({ type: ['string', 'null'] }), 'string');
    assert.equal(kindOf({ const: 'x' }), 'enum');
  });

  it('reads the shorthand schema of the seed plugins', () => {
    const short = normaliseSchema({
      endpoint: { type: 'string', required: true },
      api_key: { type: 'string', secret: true },
      timeout: { type: 'number', default: 30, minimum: 1 },
    });
    const f = buildForm(short, initialDraft(short, {}));
    assert.deepEqual(
      f.map((x) => [x.key, x.kind, x.required]),
      [
        ['endpoint', 'string', true],
        ['api_key', 'secret', false],
        ['timeout', 'number', false],
      ],
    );
    assert.equal((f[2] as NumberField).text, '30');
  });

  it('shows a value of the wrong type as text so that the validator can name the problem', () => {
    const f = buildForm(schema, { url: 42, batchSize: 'many', mode: 'nope' });
    assert.equal((byKey(f, 'url') as TextField).text, '42');
    assert.equal((byKey(f, 'batchSize') as NumberField).text, 'many');
    assert.equal((byKey(f, 'mode') as EnumField).selected, -1);
  });
});

describe('initialDraft and pruneDraft', () => {
  it('fills defaults, builds nested objects, drops secrets and keys the schema forbids', () => {
    const d = initialDraft(schema, { url: 'http://x', token: 'from-settings', unknown: 1, proxy: { password: 'p' } });
    assert.deepEqual(d, { url: 'http://x', batchSize: 50, retries: 3, mode: 'online', verbose: false, tags: ['a'], proxy: { port: 8080 } });
  });

  it('keeps unknown keys when the schema allows them', () => {
    const open = normaliseSchema({ type: 'object', properties: { a: { type: 'string' } } });
    assert.deepEqual(initialDraft(open, { a: 'x', b: 2 }), { b: 2, a: 'x' });
  });

  it('does not share objects with the values it started from', () => {
    const values = { url: 'u', tags: ['x'] };
    const d = initialDraft(schema, values);
    (d.tags as string[]).push('y');
    assert.deepEqual(values.tags, ['x']);
  });

  it('prunes optional nested objects left empty, so their required fields are not reported', () => {
    const d = initialDraft(
      normaliseSchema({ type: 'object', properties: { proxy: { type: 'object', required: ['host'], properties: { host: { type: 'string' } } } } }),
      {},
    );
    assert.deepEqual(d, { proxy: {} });
    const s = normaliseSchema({ type: 'object', properties: { proxy: { type: 'object', required: ['host'], properties: { host: { type: 'string' } } } } });
    assert.deepEqual(pruneDraft(s, d), {});
    assert.equal(validateAgainstSchema(s, {}).valid, true);
    const required = normaliseSchema({
      type: 'object',
      required: ['proxy'],
      properties: { proxy: { type: 'object', properties: { host: { type: 'string' } } } },
    });
    assert.deepEqual(pruneDraft(required, { proxy: {} }), { proxy: {} });
  });
});

describe('reading controls back', () => {
  it('parses text by kind; empty is unset, and text that is not a number stays text', () => {
    assert.equal(parseText('string', ''), undefined);
    assert.equal(parseText('string', ' a '), ' a ');
    assert.equal(parseText('number', ' 2.5 '), 2.5);
    assert.equal(parseText('integer', '1e3'), 1000);
    assert.equal(parseText('number', ''), undefined);
    assert.equal(parseText('number', '12abc'), '12abc');
    assert.deepEqual(parseText('json', '{"a": 1}'), { a: 1 });
    assert.equal(parseText('json', '{oops'), '{oops');
  });

  it('keeps an emptied array item in place', () => {
    assert.equal(parseItemText('string', ''), '');
    assert.equal(parseItemText('number', ''), null);
    assert.equal(parseItemText('number', '4'), 4);
  });

  it('makes new array items from the item schema', () => {
    assert.equal(newItemValue({ type: 'string' }), '');
    assert.equal(newItemValue({ type: 'integer', minimum: 2 }), 2);
    assert.equal(newItemValue({ type: 'boolean' }), false);
    assert.equal(newItemValue({ enum: ['x', 'y'] }), 'x');
    assert.equal(newItemValue({ type: 'string', default: 'd' }), 'd');
  });
});

describe('JSON Pointers', () => {
  it('escapes ~ and / both ways', () => {
    assert.deepEqual(parsePointer('/a~1b/c~0d'), ['a/b', 'c~d']);
    assert.equal(formatPointer(['a/b', 'c~d']), '/a~1b/c~0d');
    assert.deepEqual(parsePointer(''), []);
    assert.throws(() => parsePointer('a'), /must start with/);
  });

  it('gets and sets through objects and arrays, creating objects on the way, removing with undefined', () => {
    const o: Record<string, unknown> = { list: [1, 2, 3] };
    setAt(o, '/a/b', 1);
    assert.deepEqual(o.a, { b: 1 });
    assert.equal(getAt(o, '/list/1'), 2);
    setAt(o, '/list/1', undefined);
    assert.deepEqual(o.list, [1, 3]);
    setAt(o, '/a/b', undefined);
    assert.deepEqual(o.a, {});
    setAt(o, '/missing/x', undefined);
    assert.equal('missing' in o, false);
    assert.equal(getAt(o, '/nope/deeper'), undefined);
  });

  it('refuses to write through the prototype', () => {
    assert.throws(() => setAt({}, '/__proto__/polluted', 1), /refusing/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('finds the schema node of a pointer, array items included', () => {
    assert.equal(schemaAt(schema, '/proxy/port')?.type, 'integer');
    assert.equal(schemaAt(schema, '/tags/3')?.type, 'string');
    assert.equal(schemaAt(schema, '/nope'), undefined);
  });
});

describe('validating with stored secrets the webview never sees', () => {
  const secrets = ['/token', '/proxy/password'];
  const required = normaliseSchema({
    type: 'object',
    required: ['token'],
    properties: { token: { type: 'string', secret: true, minLength: 20 }, url: { type: 'string' } },
  });

  it('a stored, unchanged secret counts as present and its stand-in raises no error', () => {
    const { input, standIns } = secretValidationInput(required, { url: 'x' }, ['/token'], ['/token'], {});
    assert.deepEqual(standIns, ['/token']);
    const errors = validateAgainstSchema(required, input).errors;
    assert.deepEqual(withoutStandInErrors(errors, standIns), []);
  });

  it('a secret neither stored nor typed is reported as required', () => {
    const { input, standIns } = secretValidationInput(required, {}, ['/token'], [], {});
    assert.deepEqual(withoutStandInErrors(validateAgainstSchema(required, input).errors, standIns), [{ path: '/token', message: 'is required' }]);
  });

  it('a typed secret is validated for real, a cleared one is absent', () => {
    const typed = secretValidationInput(required, {}, ['/token'], ['/token'], { '/token': { action: 'set', value: 'short' } });
    assert.deepEqual(validateAgainstSchema(required, typed.input).errors, [{ path: '/token', message: 'must have at least 20 characters' }]);
    const cleared = secretValidationInput(required, {}, ['/token'], ['/token'], { '/token': { action: 'clear' } });
    assert.deepEqual(validateAgainstSchema(required, cleared.input).errors, [{ path: '/token', message: 'is required' }]);
  });

  it('ignores a secret value that slipped into the draft', () => {
    const { input } = secretValidationInput(schema, { token: 'leak', proxy: { password: 'p' } }, secrets, [], {});
    assert.equal(getAt(input, '/token'), undefined);
    assert.equal(getAt(input, '/proxy/password'), undefined);
  });

  it('groups errors by field, without repeating a message', () => {
    const grouped = errorsByPath([
      { path: '/a', message: 'x' },
      { path: '/a', message: 'x' },
      { path: '/a', message: 'y' },
      { path: '', message: 'z' },
    ]);
    assert.deepEqual(
      [...grouped],
      [
        ['/a', ['x', 'y']],
        ['', ['z']],
      ],
    );
  });
});

describe('layering of the form and its protocol', () => {
  const root = path.join(__dirname, '..', '..');
  const files = (dir: string): string[] =>
    fs
      .readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f));

  it('src/core/form and src/webviewProtocol import neither vscode nor node modules: the webview bundles them', () => {
    for (const file of [...files('src/core/form'), ...files('src/webviewProtocol')]) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      assert.doesNotMatch(text, /from ['"](vscode|node:[a-z_]+|fs|path|os|crypto|child_process)['"]/, file);
      for (const m of text.matchAll(/^import (?!type ).*from ['"]([^'"]+)['"]/gm)) assert.ok(m[1]!.startsWith('.'), `${file} imports ${m[1]} at run time`);
    }
  });

  // configSecrets.ts moved to src/core/secrets, where the core's own layering test covers it.
  it('the pure helpers of the configuration UI do not import vscode', () => {
    for (const name of ['configPanelHtml.ts', 'pluginSettingsEdit.ts', 'pluginLogLines.ts', 'pluginView.ts', 'validatorScript.ts']) {
      assert.doesNotMatch(fs.readFileSync(path.join(root, 'src', 'vscode', 'config', name), 'utf8'), /from ['"]vscode['"]/, name);
    }
  });
});
