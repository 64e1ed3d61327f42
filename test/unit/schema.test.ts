import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSchema, redactSecrets, secretPaths } from '../../src/core/schema';
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

  it('explains a schema that ajv cannot compile', () => {
    const result = validateConfig({ type: 'object', properties: { a: { type: 'no-such-type' } } }, {});
    assert.equal(result.valid, false);
    assert.match(result.errors[0]!.message, /configSchema is not valid JSON Schema/);
  });
});
