import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySecretEdits, mergeSecrets, redactValues, secretKey, secretsPresent, stripSecrets } from '../../src/core/secrets/configSecrets';
import { pluginLogDocument, pluginLogLines } from '../../src/vscode/config/pluginLogLines';
import { definesEntry, withPluginConfig, withPluginEnabled } from '../../src/vscode/config/pluginSettingsEdit';

describe('secrets between config, settings and SecretStorage', () => {
  it('names one SecretStorage entry per plugin and field', () => {
    assert.equal(secretKey('mlflow', '/token'), 'tracelet.plugin.mlflow./token');
    assert.equal(secretKey('mlflow', '/auth/key'), 'tracelet.plugin.mlflow./auth/key');
  });

  it('merges stored secrets into a copy of the config; a stored one wins over settings', () => {
    const config = { url: 'u', token: 'from-settings', auth: { user: 'ann' } };
    const merged = mergeSecrets(config, { '/token': 'stored', '/auth/key': 'k' });
    assert.deepEqual(merged, { url: 'u', token: 'stored', auth: { user: 'ann', key: 'k' } });
    assert.equal(config.token, 'from-settings', 'the input is not changed');
    assert.deepEqual(mergeSecrets({ a: 1 }, { '/deep/er/key': 'x' }), { a: 1, deep: { er: { key: 'x' } } });
  });

  it('strips secrets from what goes to settings', () => {
    const config = { url: 'u', token: 't', auth: { user: 'ann', key: 'k' } };
    assert.deepEqual(stripSecrets(config, ['/token', '/auth/key', '/absent']), { url: 'u', auth: { user: 'ann' } });
    assert.equal(config.token, 't');
  });

  it('finds secrets written into settings by hand', () => {
    assert.deepEqual(secretsPresent({ token: 't', auth: {} }, ['/token', '/auth/key']), ['/token']);
    assert.deepEqual(secretsPresent('not an object', ['/token']), []);
  });

  it('applies the form’s edits to the stored secrets', () => {
    assert.deepEqual(applySecretEdits({ '/a': '1', '/b': '2' }, { '/a': { action: 'clear' }, '/c': { action: 'set', value: '3' } }), { '/b': '2', '/c': '3' });
  });

  it('masks secret values in text, longest first', () => {
    assert.equal(redactValues('401 for token abc123 (abc)', ['abc', 'abc123']), '401 for token ******** (********)');
    assert.equal(redactValues('nothing here', ['']), 'nothing here');
  });
});

describe('tracelet.plugins edits', () => {
  it('replaces one plugin’s config, keeping its enablement and the other plugins', () => {
    const all = { a: { enabled: false, config: { x: 1 } }, b: { config: { y: 2 } } };
    assert.deepEqual(withPluginConfig(all, 'a', { x: 3 }), { a: { enabled: false, config: { x: 3 } }, b: { config: { y: 2 } } });
    assert.deepEqual(withPluginConfig(undefined, 'c', {}), { c: { config: {} } });
    assert.deepEqual(all.a.config, { x: 1 }, 'the input is not changed');
  });

  it('sets enablement, keeping the config', () => {
    assert.deepEqual(withPluginEnabled({ a: { config: { x: 1 } } }, 'a', false), { a: { config: { x: 1 }, enabled: false } });
    assert.deepEqual(withPluginEnabled({ a: 'garbage' }, 'a', true), { a: { enabled: true } });
  });

  it('tells whether a scope decides a plugin’s config or enablement', () => {
    assert.equal(definesEntry({ a: { enabled: false } }, 'a', 'enabled'), true);
    assert.equal(definesEntry({ a: { enabled: false } }, 'a', 'config'), false);
    assert.equal(definesEntry(undefined, 'a', 'config'), false);
  });
});

describe('a plugin’s lines from the Tracelet log', () => {
  const log = [
    '2026-01-01 10:00:00.000 [info] Tracelet 0.1.0 activated',
    '2026-01-01 10:00:00.100 [info] [csv_backend] writing metrics to /tmp/x.csv',
    '2026-01-01 10:00:00.200 [error] plugin "csv_backend": invalid configuration: /delimiter must be one of ",", ";"',
    '2026-01-01 10:00:00.300 [info] [csv_backend2] other plugin',
    '2026-01-01 10:00:00.400 [warn] [system] slow',
    '',
  ].join('\n');

  it('keeps the plugin’s own [name] lines and the manager’s lines about it', () => {
    assert.deepEqual(
      pluginLogLines(log, 'csv_backend').map((l) => l.slice(24)),
      ['[info] [csv_backend] writing metrics to /tmp/x.csv', '[error] plugin "csv_backend": invalid configuration: /delimiter must be one of ",", ";"'],
    );
    assert.equal(pluginLogLines(log, 'a.b').length, 0, 'the name is not a pattern');
  });

  it('makes a document that says where it came from, or why it is empty', () => {
    assert.match(pluginLogDocument(log, 'system', '/logs/Tracelet.log'), /^# system: 1 line from the Tracelet log \(\/logs\/Tracelet\.log\)\n.*slow\n$/);
    assert.match(pluginLogDocument(log, 'gpu', '/l'), /nothing logged for this plugin yet/);
    assert.match(pluginLogDocument(undefined, 'gpu', '/l'), /No Tracelet log file was found at \/l/);
  });
});
