import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSchema, redactSecrets, secretPaths, type JsonSchema } from '../../src/core/schema';
import { validateConfig } from '../../src/core/api';

describe('normaliseSchema', () => {
  it('turns the seed shorthand into JSON Schema with required fields and secrets', () => {
    const schema = normaliseSchema({
      api_endpoint: { type: 'string', required: true },
      api_key: { type: 'string', required: true, secret: true },
      timeout: { type: 'number', default: 30 },
    });
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        api_endpoint: { type: 'string' },
        api_key: { type: 'string', writeOnly: true, format: 'password' },
        timeout: { type: 'number', default: 30 },
      },
      required: ['api_endpoint', 'api_key'],
    });
  });

  it('normalises nested shorthand objects', () => {
    const schema = normaliseSchema({ auth: { type: 'object', properties: { token: { type: 'string', required: true, secret: true } } } });
    assert.deepEqual(schema.properties, {
      auth: { type: 'object', properties: { token: { type: 'string', writeOnly: true, format: 'password' } }, required: ['token'] },
    });
    assert.deepEqual(secretPaths(schema), ['/auth/token']);
  });

  it('keeps full JSON Schema as it is, apart from secret marks', () => {
    const full = { type: 'object', properties: { url: { type: 'string', format: 'uri' }, token: { type: 'string', secret: true } }, required: ['url'] };
    const schema = normaliseSchema(full);
    assert.deepEqual(schema.required, ['url']);
    assert.deepEqual((schema.properties as Record<string, unknown>).url, { type: 'string', format: 'uri' });
    assert.deepEqual(secretPaths(schema), ['/token']);
  });

  it('treats a shorthand field called "properties" as a field', () => {
    const schema = normaliseSchema({ properties: { type: 'string', required: true } });
    assert.deepEqual(schema.required, ['properties']);
  });

  it('gives an empty object schema for a missing or empty schema', () => {
    assert.deepEqual(normaliseSchema(undefined), { type: 'object', properties: {} });
    assert.deepEqual(normaliseSchema({}), { type: 'object', properties: {} });
  });

  it('rejects shorthand fields that are not objects', () => {
    assert.throws(() => normaliseSchema({ timeout: 30 }), /each shorthand field must be an object/);
  });

  it('redacts secret values in a copy', () => {
    const schema = normaliseSchema({ token: { type: 'string', secret: true }, url: { type: 'string' } });
    const config = { token: 'abc', url: 'http://x' };
    assert.deepEqual(redactSecrets(schema, config), { token: '********', url: 'http://x' });
    assert.equal(config.token, 'abc');
  });

  // Found by test/fuzz/configValidator.fuzz.ts: these secrets were left in the redacted copy.
  it('marks secret: true below a field too (array items, map values, union branches), and redacts there', () => {
    const full = normaliseSchema({
      type: 'object',
      properties: {
        tokens: { type: 'array', items: { type: 'string', secret: true } },
        headers: { type: 'object', additionalProperties: { type: 'string', secret: true } },
        auth: { oneOf: [{ type: 'string', secret: true }, { type: 'number' }] },
        servers: { type: 'array', items: { type: 'object', properties: { key: { type: 'string', writeOnly: true }, host: { type: 'string' } } } },
      },
    });
    assert.deepEqual((full.properties as Record<string, JsonSchema>).headers!.additionalProperties, { type: 'string', writeOnly: true, format: 'password' });
    const config = { tokens: ['t1', 't2'], headers: { 'X-Key': 'h1' }, auth: 'a1', servers: [{ key: 'k1', host: 'h' }] };
    assert.deepEqual(redactSecrets(full, config), {
      tokens: ['********', '********'],
      headers: { 'X-Key': '********' },
      auth: '********',
      servers: [{ key: '********', host: 'h' }],
    });
    assert.deepEqual(redactSecrets(full, { auth: 5 }), { auth: 5 }, 'a value the secret branch cannot be is shown');
    const shorthand = normaliseSchema({ keys: { type: 'array', items: { type: 'string', secret: true } } });
    assert.deepEqual(redactSecrets(shorthand, { keys: ['s'] }), { keys: ['********'] });
  });

  it('finds no secret in a property schema that is not an object, rather than throwing', () => {
    // Found by test/fuzz/configValidator.fuzz.ts: `properties: { a: null }` threw a TypeError.
    const schema = normaliseSchema({ type: 'object', properties: { a: null, b: true, token: { type: 'string', secret: true } } });
    assert.deepEqual(secretPaths(schema), ['/token']);
    assert.deepEqual(redactSecrets(schema, { a: 1, b: 2, token: 't' }), { a: 1, b: 2, token: '********' });
  });

  it('writes secret paths as JSON Pointers, so a name with / or ~ is one field', () => {
    const schema = normaliseSchema({
      'api/key': { type: 'string', secret: true },
      'x~y': { type: 'object', properties: { 'a/b': { type: 'string', secret: true } } },
    });
    assert.deepEqual(secretPaths(schema), ['/api~1key', '/x~0y/a~1b']);
    assert.deepEqual(redactSecrets(schema, { 'api/key': 's1', 'x~y': { 'a/b': 's2' } }), { 'api/key': '********', 'x~y': { 'a/b': '********' } });
  });
});

describe('validateConfig', () => {
  const shorthand = {
    api_endpoint: { type: 'string', required: true, format: 'uri' },
    timeout: { type: 'number', default: 30, minimum: 1 },
    mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
  };

  it('applies defaults to a copy and reports valid', () => {
    const input = { api_endpoint: 'https://mlflow.example.com' };
    const result = validateConfig(shorthand, input);
    assert.equal(result.valid, true);
    assert.deepEqual(result.config, { api_endpoint: 'https://mlflow.example.com', timeout: 30, mode: 'safe' });
    assert.deepEqual(input, { api_endpoint: 'https://mlflow.example.com' });
  });

  it('names each failing field with a plain message', () => {
    const result = validateConfig(shorthand, { timeout: 0, mode: 'turbo' });
    assert.equal(result.valid, false);
    assert.deepEqual(
      [...result.errors].sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: '/api_endpoint', message: 'is required' },
        { path: '/mode', message: 'must be one of "fast", "safe"' },
        { path: '/timeout', message: 'must be at least 1' },
      ],
    );
  });

  it('reports wrong types and formats at the field', () => {
    const result = validateConfig(shorthand, { api_endpoint: 'not a url', timeout: 'soon' });
    assert.deepEqual(
      [...result.errors].sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: '/api_endpoint', message: 'must be a valid uri' },
        { path: '/timeout', message: 'must be number' },
      ],
    );
  });

  it('reports a config that is not an object at the root', () => {
    const result = validateConfig(shorthand, 'nope');
    assert.deepEqual(result.errors, [{ path: '', message: 'must be object' }]);
  });

  it('reports unknown fields when the schema forbids them', () => {
    const result = validateConfig({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { a: 'x', b: 1 });
    assert.deepEqual(result.errors, [{ path: '/b', message: 'is not a known setting of this plugin' }]);
  });

  // Found by test/fuzz/configValidator.fuzz.ts.
  it('names a missing or unknown field whose name has / or ~ by its escaped JSON Pointer', () => {
    const schema = { type: 'object', properties: { 'a/b': { type: 'string' } }, required: ['a/b'], additionalProperties: false };
    assert.deepEqual(validateConfig(schema, { 'x~y': 1 }).errors, [
      { path: '/a~1b', message: 'is required' },
      { path: '/x~0y', message: 'is not a known setting of this plugin' },
    ]);
  });

  it('validates a schema with an $id every time, however often it is normalised again', () => {
    // Found by test/fuzz/configValidator.fuzz.ts: the second compile was refused as a duplicate $id.
    const schema = { $id: 'https://example.org/plugin.json', type: 'object', properties: { a: { type: 'number', default: 1 } } };
    for (let i = 0; i < 3; i++) assert.deepEqual(validateConfig(schema, {}), { valid: true, config: { a: 1 }, errors: [] });
    const changed = { ...schema, properties: { a: { type: 'string' } } };
    assert.equal(validateConfig(changed, { a: 'x' }).valid, true, 'a new version of the schema with the same $id');
  });

  it('explains a schema that ajv cannot compile', () => {
    const result = validateConfig({ type: 'object', properties: { a: { type: 'no-such-type' } } }, {});
    assert.equal(result.valid, false);
    assert.match(result.errors[0]!.message, /configSchema is not valid JSON Schema/);
  });
});
