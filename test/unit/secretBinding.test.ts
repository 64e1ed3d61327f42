import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSchema } from '../../src/core/schema';
import { decodeStoredSecret, destinationOf, encodeStoredSecret, secretDestinations, secretUse, withinDestination } from '../../src/core/secrets/secretBinding';
import { MLFLOW_CONFIG_SCHEMA } from '../../src/plugins/mlflow/mlflowConfig';

describe('a secret goes only where it was saved for', () => {
  it('reduces a URL to scheme, host, explicit port and path prefix', () => {
    assert.equal(destinationOf('https://MLflow.Example.com/'), 'https://mlflow.example.com:443');
    assert.equal(destinationOf('http://127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(destinationOf('https://u:pw@host.example:8443/mlflow/?x=1#y'), 'https://host.example:8443/mlflow');
    assert.equal(destinationOf('http://host/a//'), 'http://host:80/a');
    for (const bad of ['', '   ', 'not a url', 'file:///etc/passwd', 42, undefined]) assert.equal(destinationOf(bad), undefined, String(bad));
  });

  it('accepts the same destination or a path below it, nothing else', () => {
    const bound = 'https://a.example:443/mlflow';
    assert.ok(withinDestination(bound, bound));
    assert.ok(withinDestination(bound, 'https://a.example:443/mlflow/api'));
    for (const other of [
      'https://a.example:443/mlflow2',
      'https://a.example:443',
      'http://a.example:443/mlflow',
      'https://a.example:8443/mlflow',
      'https://a.example.evil:443/mlflow',
      'https://evil.example:443/mlflow',
    ]) {
      assert.ok(!withinDestination(bound, other), other);
    }
  });

  it('stores the value with its destination, and reads a bare value from an earlier version as unbound', () => {
    assert.deepEqual(decodeStoredSecret(encodeStoredSecret({ value: 's3cr3t', boundTo: 'https://a:443' })), { value: 's3cr3t', boundTo: 'https://a:443' });
    assert.deepEqual(decodeStoredSecret(encodeStoredSecret({ value: '{"looks":"json"}' })), { value: '{"looks":"json"}' });
    assert.deepEqual(decodeStoredSecret('legacy-token'), { value: 'legacy-token' });
    assert.deepEqual(decodeStoredSecret('{"not":"ours"}'), { value: '{"not":"ours"}' });
  });

  it("finds mlflow's token bound to its trackingUri, in full and shorthand schemas", () => {
    assert.deepEqual(secretDestinations(normaliseSchema(MLFLOW_CONFIG_SCHEMA as never)), { '/token': '/trackingUri' });
    assert.deepEqual(
      secretDestinations(
        normaliseSchema({ url: { type: 'string' }, auth: { type: 'object', properties: { key: { type: 'string', secret: true, sentTo: 'url' } } } }),
      ),
      { '/auth/key': '/url' },
    );
    assert.deepEqual(secretDestinations(normaliseSchema({ key: { type: 'string', secret: true } })), {}, 'a secret without sentTo is bound to its plugin only');
  });

  it('holds a secret back, naming the field and both servers, when the config points elsewhere', () => {
    const secret = { value: 't', boundTo: 'https://a.example:443' };
    assert.deepEqual(secretUse('/token', secret, '/trackingUri', { trackingUri: 'https://a.example/' }), { use: true });
    const moved = secretUse('/token', secret, '/trackingUri', { trackingUri: 'http://127.0.0.1:9999' });
    assert.equal(moved.use, false);
    assert.deepEqual(!moved.use && moved.problem, {
      path: '/token',
      message: 'the token was saved for https://a.example:443, not http://127.0.0.1:9999; re-enter it to use it there',
    });
    assert.deepEqual(secretUse('/token', secret, '/trackingUri', {}), { use: false }, 'no destination: nothing is sent, nothing to report');
    const legacy = secretUse('/token', { value: 't' }, '/trackingUri', { trackingUri: 'https://a.example' });
    assert.match(!legacy.use && legacy.problem ? legacy.problem.message : '', /saved before secrets were bound to a server.*re-enter it/);
    assert.deepEqual(secretUse('/key', { value: 'k' }, undefined, {}), { use: true }, 'bound to the plugin alone');
  });
});
