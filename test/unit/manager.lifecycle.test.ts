import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import type { StateChange } from '../../src/core/managerTypes';
import { CollectorPlugin, type PluginMetadataInput } from '../../src/core/plugin';
import type { PluginConfig, PluginContext } from '../../src/core/types';

/** Shared journal so tests can check the order of calls across plugins. */
function makeCollector(name: string, journal: string[], extra: Partial<PluginMetadataInput> = {}) {
  return class extends CollectorPlugin {
    seenConfig: PluginConfig | undefined;
    seenContext: PluginContext | undefined;
    getMetadata(): PluginMetadataInput {
      return { name, version: '1.0.0', pluginType: 'collector', configSchema: { rate: { type: 'number', default: 5 } }, ...extra };
    }
    override initialize(config: PluginConfig, context: PluginContext): void {
      super.initialize(config, context);
      this.seenConfig = config;
      this.seenContext = context;
      journal.push(`${name}.initialize`);
    }
    start(): void {
      journal.push(`${name}.start`);
    }
    stop(): void {
      journal.push(`${name}.stop`);
    }
    getStatus() {
      return { name };
    }
    collect() {
      return { value: 1 };
    }
  };
}

function manager(): PluginManager {
  return new PluginManager({ pluginPaths: [], env: {}, homeDir: '/nonexistent-home', timeoutMs: 200 });
}

describe('plugin lifecycle', () => {
  it('walks registered → validated → initialized → active → stopped → active, firing events', async () => {
    const m = manager();
    const events: string[] = [];
    m.onDidChangeState((e: StateChange) => events.push(`${e.name}:${e.previous}>${e.state}`));
    const info = m.registerPlugin(makeCollector('alpha', []));
    assert.equal(info.state, 'validated');
    assert.equal(await m.initializePlugin('alpha', {}), 'initialized');
    assert.equal(await m.startPlugin('alpha'), 'active');
    assert.equal(await m.stopPlugin('alpha'), undefined);
    assert.equal(m.getPluginInfo('alpha')?.state, 'stopped');
    assert.equal(await m.startPlugin('alpha'), 'active');
    assert.deepEqual(events, [
      'alpha:discovered>loaded',
      'alpha:loaded>validated',
      'alpha:validated>initialized',
      'alpha:initialized>active',
      'alpha:active>stopped',
      'alpha:stopped>active',
    ]);
  });

  it('passes the validated config with defaults and a context to initialize', async () => {
    const m = manager();
    m.registerPlugin(makeCollector('beta', []));
    await m.initializePlugin('beta', { rate: 2 });
    const instance = m.getInstance('beta') as { seenConfig: PluginConfig; seenContext: PluginContext };
    assert.deepEqual(instance.seenConfig, { rate: 2 });
    assert.equal(instance.seenContext.pluginName, 'beta');
    assert.equal(instance.seenContext.coreVersion, '0.1.0');
    await m.initializePlugin('beta', {});
    assert.deepEqual((m.getInstance('beta') as { seenConfig: PluginConfig }).seenConfig, { rate: 5 });
  });

  it('refuses to start a plugin that was never initialized', async () => {
    const m = manager();
    m.registerPlugin(makeCollector('gamma', []));
    assert.equal(await m.startPlugin('gamma'), 'error');
    assert.match(m.getPluginInfo('gamma')!.error!, /cannot start from state validated: initialize it first/);
  });

  it('puts an invalid config in error without calling the plugin', async () => {
    const journal: string[] = [];
    const m = manager();
    m.registerPlugin(makeCollector('delta', journal));
    assert.equal(await m.initializePlugin('delta', { rate: 'fast' }), 'error');
    assert.deepEqual(m.getPluginInfo('delta')!.configErrors, [{ path: '/rate', message: 'must be number' }]);
    assert.deepEqual(journal, []);
    assert.equal(await m.initializePlugin('delta', { rate: 1 }), 'initialized', 'a fixed config recovers the plugin');
  });

  it('starts in dependency order and stops in reverse', async () => {
    const journal: string[] = [];
    const m = manager();
    m.registerPlugin(makeCollector('app', journal, { dependencies: ['db@^1.0.0', 'log>=1'] }));
    m.registerPlugin(makeCollector('db', journal, { dependencies: ['log'] }));
    m.registerPlugin(makeCollector('log', journal));
    assert.deepEqual(m.resolveDependencies(['app']), ['log', 'db', 'app']);
    const outcomes = await m.startPlugins({ app: {}, db: {}, log: {} });
    assert.deepEqual(
      Object.values(outcomes).map((o) => o.ok),
      [true, true, true],
    );
    assert.deepEqual(journal, ['log.initialize', 'log.start', 'db.initialize', 'db.start', 'app.initialize', 'app.start']);
    journal.length = 0;
    assert.deepEqual(await m.stopAll(), {});
    assert.deepEqual(journal, ['app.stop', 'db.stop', 'log.stop']);
  });

  it('does not start a plugin whose dependency failed, and says which', async () => {
    const m = manager();
    m.registerPlugin(makeCollector('child', [], { dependencies: ['parent'] }));
    m.registerPlugin(makeCollector('parent', []));
    const outcomes = await m.startPlugins({ parent: { rate: 'x' }, child: {} });
    assert.equal(outcomes.parent?.ok, false);
    assert.deepEqual(outcomes.child, { ok: false, state: 'error', error: 'plugin "child" not started: its dependency "parent" is not active' });
  });

  it('reports an unknown plugin name in startPlugins', async () => {
    const outcomes = await manager().startPlugins({ ghost: {} });
    assert.deepEqual(outcomes, { ghost: { ok: false, state: 'error', error: 'no plugin named "ghost"' } });
  });

  it('re-validates a plugin when its missing plugin dependency is registered later', () => {
    const m = manager();
    const needsLater = m.registerPlugin(makeCollector('needs_later', [], { dependencies: ['later@^2.0.0'] }));
    assert.equal(needsLater.state, 'error');
    m.registerPlugin(makeCollector('later', [], { version: '2.1.0' }));
    assert.equal(m.getPluginInfo('needs_later')?.state, 'validated');
  });

  it('reports a plugin dependency whose version is too old', () => {
    const m = manager();
    m.registerPlugin(makeCollector('base', [], { version: '1.0.0' }));
    const info = m.registerPlugin(makeCollector('needs_new', [], { dependencies: ['base>=2.0.0'] }));
    assert.deepEqual(info.dependencies?.incompatible, [{ dependency: 'base>=2.0.0', kind: 'plugin', reason: 'plugin "base" is 1.0.0, needs >=2.0.0' }]);
  });

  it('keeps the first plugin of a name and puts a second one in error', () => {
    const m = manager();
    m.registerPlugin(makeCollector('twin', []));
    const second = m.registerPlugin(makeCollector('twin', []));
    assert.equal(second.state, 'error');
    assert.match(second.error!, /plugin "twin": the name is already used by the plugin from api/);
    assert.equal(m.getPluginInfo('twin')?.state, 'validated');
  });

  it('accepts a plain object that only implements the methods, and names a missing one', async () => {
    const m = manager();
    const plain = {
      getMetadata: () => ({ name: 'plain', version: '0.0.1', plugin_type: 'processor' }),
      initialize() {},
      start() {},
      stop() {},
      getStatus: () => ({ ok: true }),
    };
    assert.equal(m.registerPlugin(plain).state, 'validated');
    await m.startPlugins({ plain: {} });
    assert.equal(m.getPluginInfo('plain')?.state, 'active');
    const noStop = { ...plain, getMetadata: () => ({ name: 'nostop', version: '0.0.1', plugin_type: 'processor' }), stop: undefined };
    const info = m.registerPlugin(noStop);
    assert.match(info.error!, /processor plugin is missing method stop\(\)/);
  });

  it('moves a plugin whose stop throws to error; stopAll collects it and stops the rest', async () => {
    const journal: string[] = [];
    const m = manager();
    const Faulty = makeCollector('faulty', journal);
    Faulty.prototype.stop = () => {
      throw new Error('disk full');
    };
    m.registerPlugin(Faulty);
    m.registerPlugin(makeCollector('fine', journal));
    await m.startPlugins({ faulty: {}, fine: {} });
    const errors = await m.stopAll();
    assert.deepEqual(errors, { faulty: 'plugin "faulty" failed in stop: disk full' });
    assert.equal(m.getPluginInfo('fine')?.state, 'stopped');
    assert.equal(m.getPluginInfo('faulty')?.state, 'error');
  });

  it('times out a hanging initialize, then recovers on a new instance', async () => {
    let hang = true;
    const m = manager();
    const Slow = makeCollector('slow', []);
    const original = Slow.prototype.initialize;
    Slow.prototype.initialize = function (this: InstanceType<typeof Slow>, config: PluginConfig, context: PluginContext) {
      if (hang) return new Promise<void>(() => undefined) as unknown as void;
      return original.call(this, config, context);
    };
    m.registerPlugin(Slow);
    assert.equal(await m.initializePlugin('slow', {}), 'error');
    assert.equal(m.getPluginInfo('slow')?.error, 'plugin "slow" failed in initialize: did not finish within 200 ms');
    hang = false;
    assert.equal(await m.initializePlugin('slow', {}), 'initialized');
  });

  it('validates a config by plugin name or by schema', () => {
    const m = manager();
    m.registerPlugin(makeCollector('eps', []));
    assert.deepEqual(m.validateConfig('eps', {}).config, { rate: 5 });
    assert.equal(m.validateConfig({ n: { type: 'integer', required: true } }, {}).errors[0]?.path, '/n');
    assert.match(m.validateConfig('nope', {}).errors[0]!.message, /no plugin "nope"/);
  });

  it('makes a separate started instance per run, with the config and the run in its context', async () => {
    const journal: string[] = [];
    const m = manager();
    m.registerPlugin(makeCollector('per_run', journal));
    const run = { id: 'r1', name: 'run one', command: 'python train.py', cwd: '/w', startTime: 1, host: 'h', user: 'u', tags: {} };
    await assert.rejects(m.createRunInstance('per_run', run), /plugin "per_run" failed in run start: the plugin is validated, not active/);
    await m.startPlugins({ per_run: { rate: 7 } });
    const instance = (await m.createRunInstance('per_run', run)) as unknown as { seenConfig: PluginConfig; seenContext: PluginContext };
    assert.notEqual(instance, m.getInstance('per_run'));
    assert.deepEqual(instance.seenConfig, { rate: 7 });
    assert.equal(instance.seenContext.run?.id, 'r1');
    assert.deepEqual(journal, ['per_run.initialize', 'per_run.start', 'per_run.initialize', 'per_run.start']);
  });
});

describe('a fix offered by a plugin error', () => {
  it('keeps the command an error names as its fix on the plugin, and drops it once the plugin starts', async () => {
    let missing = true;
    const Needy = class extends makeCollector('needy', []) {
      override start(): void {
        if (missing) throw Object.assign(new Error('sdk 0.1 found, >=0.2 needed'), { fix: "python3 -m pip install 'sdk>=0.2'" });
      }
    };
    const m = manager();
    m.registerPlugin(Needy);
    await m.initializePlugin('needy', {});
    await m.startPlugin('needy');
    const failed = m.getPluginInfo('needy')!;
    assert.equal(failed.state, 'error');
    assert.match(failed.error!, /sdk 0\.1 found, >=0\.2 needed/);
    assert.equal(failed.fix, "python3 -m pip install 'sdk>=0.2'");

    missing = false;
    await m.initializePlugin('needy', {});
    await m.startPlugin('needy');
    assert.equal(m.getPluginInfo('needy')!.state, 'active');
    assert.equal(m.getPluginInfo('needy')!.fix, undefined);
  });

  it('offers none for an error without one', async () => {
    const Broken = class extends makeCollector('broken', []) {
      override start(): void {
        throw new Error('no');
      }
    };
    const m = manager();
    m.registerPlugin(Broken);
    await m.initializePlugin('broken', {});
    await m.startPlugin('broken');
    assert.equal(m.getPluginInfo('broken')!.fix, undefined);
  });
});
