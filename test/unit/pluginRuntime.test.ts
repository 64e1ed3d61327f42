// The plugin runtime of a window without VS Code: settings and SecretStorage are small in-memory stand-ins for
// the two interfaces it reads through; everything else is the real manager and real plugins.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PluginRuntime, type HostSecrets, type HostSettings } from '../../src/core/host/pluginRuntime';
import { encodeStoredSecret, decodeStoredSecret, type StoredSecret } from '../../src/core/secrets/secretBinding';
import { secretKey } from '../../src/core/secrets/configSecrets';
import type { Logger, PluginConfig, PluginContext } from '../../src/core/types';
import { tempDir } from './pipelineHelpers';

const journal: string[] = [];

/** A backend that says what it was started with, and logs its token (which the runtime must mask). */
class Tracker {
  private config: PluginConfig = {};
  getMetadata() {
    return {
      name: 'tracker',
      version: '1.0.0',
      pluginType: 'backend',
      enabledByDefault: false,
      configSchema: {
        type: 'object',
        properties: { url: { type: 'string' }, token: { type: 'string', writeOnly: true, sentTo: '/url' }, level: { type: 'integer', default: 1 } },
      },
    };
  }
  initialize(config: PluginConfig, context: PluginContext) {
    this.config = config;
    journal.push(`init url=${String(config.url)} token=${String(config.token)} level=${String(config.level)}`);
    context.logger.info(`connecting with token ${String(config.token)}`);
  }
  start() {}
  stop() {}
  getStatus() {
    return { url: this.config.url };
  }
  logMetric() {}
  logParams() {}
  logArtifact() {}
}

class Quiet {
  getMetadata() {
    return { name: 'quiet', version: '1.0.0', pluginType: 'collector' };
  }
  initialize() {
    journal.push('init quiet');
  }
  start() {}
  stop() {}
  getStatus() {
    return {};
  }
  collect() {
    return {};
  }
}

function harness(entries: Record<string, { enabled?: boolean; config?: unknown }>, user: Record<string, unknown> = {}, stored: Record<string, string> = {}) {
  const lines: string[] = [];
  const log: Logger = {
    trace: (m) => lines.push(m),
    debug: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
  const settings: HostSettings = {
    plugin: (name) => ({ enabled: entries[name]?.enabled, config: entries[name]?.config ?? {} }),
    userPluginConfig: (name) => user[name],
  };
  const secrets: HostSecrets = {
    readStored: async (name, pointers) => {
      const out: Record<string, StoredSecret> = {};
      for (const p of pointers) if (stored[secretKey(name, p)] !== undefined) out[p] = decodeStoredSecret(stored[secretKey(name, p)]!);
      return out;
    },
    store: async (name, pointer, secret) => {
      stored[secretKey(name, pointer)] = encodeStoredSecret(secret);
    },
  };
  const root = tempDir('tracelet-runtime-');
  const runtime = new PluginRuntime({
    settings,
    secrets,
    log,
    managerOptions: () => ({ builtins: [Tracker, Quiet], pluginPaths: [], env: {}, homeDir: root, storageRoot: root }),
  });
  return { runtime, lines, stored, entries };
}

describe('the plugin runtime (PluginHost without VS Code)', () => {
  it('starts only what is enabled, a plugin off by default included, and masks secrets in what plugins log', async () => {
    journal.length = 0;
    const { runtime, lines } = harness(
      { tracker: { enabled: true, config: { url: 'https://a.example' } } },
      {},
      { [secretKey('tracker', '/token')]: encodeStoredSecret({ value: 'tok-123456', boundTo: 'https://a.example:443' }) },
    );
    assert.equal(runtime.isEnabled('tracker'), true);
    await runtime.reload();
    assert.deepEqual([...journal].sort(), ['init quiet', 'init url=https://a.example token=tok-123456 level=1']);
    assert.equal(runtime.manager.getPluginInfo('tracker')?.state, 'active');
    assert.ok(lines.includes('[tracker] connecting with token ********'), lines.join('\n'));
    assert.ok(!lines.join('\n').includes('tok-123456'));
    assert.equal(runtime.mask('x tok-123456 y'), 'x ******** y');
    assert.deepEqual(runtime.knownSecrets(), ['tok-123456']);
  });

  it('keeps a plugin that is off by default off until settings enable it', async () => {
    journal.length = 0;
    const { runtime } = harness({});
    await runtime.reload();
    assert.equal(runtime.isEnabled('tracker'), false);
    assert.equal(runtime.manager.getPluginInfo('tracker')?.state, 'validated');
    assert.deepEqual(journal, ['init quiet']);
  });

  it('restarts on a settings change only the plugins whose settings changed, and a ticket skips a restart already done', async () => {
    journal.length = 0;
    const { runtime, entries } = harness({ tracker: { enabled: true, config: { url: 'https://a.example' } } });
    await runtime.reload();
    journal.length = 0;
    await runtime.syncSettings();
    assert.deepEqual(journal, [], 'nothing changed: nothing restarted');
    entries.tracker = { enabled: true, config: { url: 'https://a.example', level: 3 } };
    const ticket = runtime.ticket();
    await runtime.syncSettings();
    assert.deepEqual(journal, ['init url=https://a.example token=undefined level=3'], 'only the changed plugin');
    await runtime.restart('tracker', ticket);
    assert.equal(journal.length, 1, 'already restarted with these settings after the ticket');
    await runtime.restart('tracker');
    assert.equal(journal.length, 2, 'without a ticket it restarts');
  });

  it('runs queued operations one after another, in order, even when one fails', async () => {
    const { runtime } = harness({});
    const order: string[] = [];
    const reload = runtime.reload().then(() => order.push('reload'));
    const restart = runtime.restart('nope').then(
      () => order.push('restart'),
      () => order.push('restart failed'),
    );
    const sync = runtime.syncSettings().then(() => order.push('sync'));
    await Promise.all([reload, restart, sync]);
    assert.deepEqual(order, ['reload', 'restart failed', 'sync']);
  });

  it('settled() waits for the reload under way: a run starting then finds its store and backends started', async () => {
    const { runtime } = harness({ tracker: { enabled: true, config: { url: 'http://127.0.0.1:9999' } } });
    const reload = runtime.reload();
    assert.equal(runtime.manager.getPluginInfo('tracker')?.state ?? 'not loaded', 'not loaded');
    await runtime.settled();
    assert.equal(runtime.manager.getPluginInfo('tracker')?.state, 'active');
    await reload;
  });

  it('discovered() resolves once a reload has found its plugins, while they are still starting', async () => {
    const { runtime } = harness({ tracker: { enabled: true, config: { url: 'http://127.0.0.1:9999' } } });
    let reloaded = false;
    const reload = runtime.reload().then(() => (reloaded = true));
    await runtime.discovered();
    assert.equal(reloaded, false, 'the reload is still under way');
    assert.deepEqual(
      runtime.list().map((p) => `${p.name} ${p.state}`),
      ['tracker validated', 'quiet validated'],
    );
    await reload;
    assert.equal(runtime.manager.getPluginInfo('tracker')?.state, 'active');
    await runtime.discovered();
  });

  it('holds back a token saved for another server, naming both, and binds a legacy token to the user setting on first read', async () => {
    const key = secretKey('tracker', '/token');
    const moved = harness(
      { tracker: { enabled: true, config: { url: 'http://127.0.0.1:9999' } } },
      {},
      { [key]: encodeStoredSecret({ value: 'tok-abcdef', boundTo: 'https://a.example:443' }) },
    );
    await moved.runtime.reload();
    const info = moved.runtime.manager.getPluginInfo('tracker')!;
    assert.equal(info.state, 'error');
    assert.deepEqual(info.configErrors, [
      { path: '/token', message: 'the token was saved for https://a.example:443, not http://127.0.0.1:9999; re-enter it to use it there' },
    ]);

    const legacy = harness(
      { tracker: { enabled: true, config: { url: 'https://a.example/' } } },
      { tracker: { url: 'https://a.example' } },
      { [key]: 'tok-legacy1' },
    );
    await legacy.runtime.reload();
    assert.equal(legacy.runtime.manager.getPluginInfo('tracker')?.state, 'active', legacy.runtime.manager.getPluginInfo('tracker')?.error);
    assert.deepEqual(decodeStoredSecret(legacy.stored[key]!), { value: 'tok-legacy1', boundTo: 'https://a.example:443' });
    assert.ok(legacy.lines.some((l) => /the stored token is now bound to https:\/\/a\.example:443 \(the url in your user settings\)/.test(l)));

    const orphan = harness({ tracker: { enabled: true, config: { url: 'https://evil.example' } } }, {}, { [key]: 'tok-legacy2' });
    await orphan.runtime.reload();
    assert.match(
      orphan.runtime.manager.getPluginInfo('tracker')!.configErrors[0]!.message,
      /saved before secrets were bound to a server, and your user settings have no url to bind it to; re-enter it/,
    );
    assert.equal(orphan.stored[key], 'tok-legacy2', 'left as it was');
  });
});
