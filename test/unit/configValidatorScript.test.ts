import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toConfigError } from '../../src/core/form/configErrorText';
import { normaliseSchema, type JsonSchema } from '../../src/core/schema';
import { validateAgainstSchema } from '../../src/core/validate';
import { configPanelHtml, contentSecurityPolicy, makeNonce } from '../../src/vscode/config/configPanelHtml';
import { escapeForInlineScript, requiredModules, validatorScript } from '../../src/vscode/config/validatorScript';
import { VALIDATOR_FACTORY, VALIDATOR_RUNTIME_MODULES, type StandaloneValidate } from '../../src/webviewProtocol/validatorContract';
import { validatorRequire } from '../../webview/validatorRuntime';

/** Runs the script as the webview does: a window object, then the factory with the webview's own require. */
function load(schema: JsonSchema): StandaloneValidate {
  const made = validatorScript(schema);
  assert.ok(made.ok, made.ok ? '' : made.reason);
  const win: Record<string, unknown> = {};
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test stands in for the browser's <script>
  new Function('window', made.source)(win);
  const factory = win[VALIDATOR_FACTORY] as (require: (name: string) => unknown) => StandaloneValidate;
  return factory(validatorRequire);
}

function webviewErrors(validate: StandaloneValidate, data: unknown): { path: string; message: string }[] {
  const copy = structuredClone(data);
  return validate(copy) ? [] : (validate.errors ?? []).map(toConfigError);
}

const schema = normaliseSchema({
  type: 'object',
  required: ['url', 'mode'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', format: 'uri' },
    email: { type: 'string', format: 'email' },
    when: { type: 'string', format: 'date-time' },
    batchSize: { type: 'number', minimum: 1 },
    name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
    mode: { enum: ['online', 'offline'] },
    verbose: { type: 'boolean', default: false },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 3 },
    token: { type: 'string', secret: true },
    nested: { type: 'object', properties: { port: { type: 'integer', exclusiveMinimum: 0 } } },
  },
});

describe('validatorScript (ajv standalone code for the webview)', () => {
  const validate = load(schema);

  it('reports exactly what the extension host reports, in the same words', () => {
    const inputs: unknown[] = [
      {},
      { url: 'http://localhost:5000', mode: 'online' },
      { url: 'not a url', mode: 'sometimes', batchSize: 0, email: 'nope', when: 'yesterday' },
      { url: 'http://x', mode: 'offline', name: 'A1', tags: ['a', 'a', 'b', 'c'], nested: { port: 0 }, extra: true },
      { url: 'http://x', mode: 'offline', name: 'toolongname', batchSize: 'ten', token: 'anything' },
    ];
    for (const input of inputs) assert.deepEqual(webviewErrors(validate, input), validateAgainstSchema(schema, input).errors, JSON.stringify(input));
    assert.deepEqual(
      webviewErrors(validate, inputs[2]).map((e) => `${e.path} ${e.message}`),
      [
        '/url must be a valid uri',
        '/email must be a valid email',
        '/when must be a valid date-time',
        '/batchSize must be at least 1',
        '/mode must be one of "online", "offline"',
      ],
    );
  });

  it('requires only the runtime modules the webview bundle carries', () => {
    const made = validatorScript(schema);
    assert.ok(made.ok);
    if (made.ok) assert.deepEqual(requiredModules(made.source).sort(), ['ajv-formats/dist/formats', 'ajv/dist/runtime/ucs2length']);
    const deep = validatorScript(normaliseSchema({ type: 'object', properties: { c: { const: { a: 1 } }, l: { type: 'array', uniqueItems: true } } }));
    assert.ok(deep.ok);
    if (deep.ok) assert.deepEqual(requiredModules(deep.source), ['ajv/dist/runtime/equal']);
    const v = load(normaliseSchema({ type: 'object', properties: { c: { const: { a: 1 } } } }));
    assert.deepEqual(webviewErrors(v, { c: { a: 2 } }), [{ path: '/c', message: 'must be equal to constant' }]);
    for (const name of VALIDATOR_RUNTIME_MODULES) assert.ok(validatorRequire(name), name);
    assert.throws(() => validatorRequire('fs'), /does not carry/);
  });

  it('reports a schema that does not compile instead of throwing', () => {
    const made = validatorScript({ type: 'object', properties: { a: { $ref: '#/definitions/missing' } } });
    assert.equal(made.ok, false);
    if (!made.ok) assert.match(made.reason, /does not compile/);
  });

  it('cannot close its <script> element, whatever the schema holds', () => {
    const hostile = normaliseSchema({ type: 'object', properties: { '</script><script>alert(1)</script>': { type: 'string', enum: ['<!--', '</SCRIPT>'] } } });
    const made = validatorScript(hostile);
    assert.ok(made.ok);
    if (!made.ok) return;
    assert.doesNotMatch(made.source, /<\/script/i);
    assert.doesNotMatch(made.source, /<!--/);
    const v = load(hostile);
    assert.deepEqual(webviewErrors(v, { '</script><script>alert(1)</script>': '</SCRIPT>' }), []);
    assert.deepEqual(
      webviewErrors(v, { '</script><script>alert(1)</script>': 'x' }).map((e) => e.message),
      ['must be one of "<!--", "</SCRIPT>"'],
    );
    assert.equal(escapeForInlineScript('a</script>b<!--c'), 'a<\\/script>b<\\!--c');
  });
});

describe('configPanelHtml', () => {
  const nonce = makeNonce((n) => new Uint8Array(n).map((_, i) => i * 7));
  const html = configPanelHtml({
    cspSource: 'https://webview.test',
    nonce,
    scriptUri: 'https://webview.test/main.js',
    styleUri: 'https://webview.test/main.css',
    validatorSource: 'window.x = 1;\n',
    title: 'Configure <b>',
  });

  it('has a strict CSP: nothing by default, scripts by nonce only, styles from our own files', () => {
    const csp = contentSecurityPolicy('https://webview.test', nonce);
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://webview.test 'nonce-${nonce}';`);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*/);
    assert.ok(html.includes(`content="default-src &#39;none&#39;; script-src &#39;nonce-${nonce}&#39;;`));
  });

  it('gives every script the nonce, and runs the validator before the bundle', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 2);
    for (const attrs of scripts) assert.match(attrs, new RegExp(`nonce="${nonce}"`));
    assert.ok(html.indexOf('window.x = 1;') < html.indexOf('src="https://webview.test/main.js"'));
    assert.match(html, /<title>Configure &#60;b&#62;<\/title>/);
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  });

  it('leaves the validator out when there is none', () => {
    const without = configPanelHtml({ cspSource: 's', nonce: 'n', scriptUri: 'm.js', styleUri: 'm.css', validatorSource: undefined, title: 't' });
    assert.equal([...without.matchAll(/<script/g)].length, 1);
  });
});
