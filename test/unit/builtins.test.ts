import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import type { DeclaredPlugin } from '../../src/core/managerTypes';
import type { PluginLike } from '../../src/core/plugin';
import { interpreterFor } from '../../src/core/python/pythonSources';
import { factoryOf, inspectPlugin } from '../../src/core/shape';
import { builtinPlugins } from '../../src/plugins/builtins';

function manager(declared: readonly DeclaredPlugin[]): PluginManager {
  return new PluginManager({ declared, pluginPaths: [], env: {}, homeDir: os.tmpdir(), storageRoot: os.tmpdir(), timeoutMs: 5000 });
}

/** The built-ins with each load() counted. */
function counted(): { declared: DeclaredPlugin[]; loads: string[] } {
  const loads: string[] = [];
  const declared = builtinPlugins().map((p, i) => ({
    ...p,
    load: () => {
      loads.push(typeof p.metadata?.name === 'string' ? p.metadata.name : `#${i}`);
      return p.load();
    },
  }));
  return { declared, loads };
}

describe('the built-in plugins', () => {
  it("declare exactly what their code's getMetadata() returns", () => {
    for (const plugin of builtinPlugins().filter((p) => p.metadata)) {
      const instance = factoryOf(plugin.load())() as PluginLike;
      assert.deepEqual(plugin.metadata, instance.getMetadata(), `the declaration of "${String(plugin.metadata?.name)}" differs from its plugin's`);
    }
  });

  it('all but stdout are declared, and every one passes the checks a loaded plugin gets', () => {
    const undeclared = builtinPlugins()
      .filter((p) => !p.metadata)
      .map((p) => inspectPlugin(factoryOf(p.load())).name);
    assert.deepEqual(undeclared, ['stdout']);
    for (const plugin of builtinPlugins()) inspectPlugin(factoryOf(plugin.load()));
  });

  it('are listed, typed and configurable without loading their code', async () => {
    const { declared, loads } = counted();
    const m = manager(declared);
    const listed = await m.discoverPlugins();
    assert.equal(listed.length, declared.length);
    assert.deepEqual(loads, ['#6'], 'only the undeclared stdout plugin is loaded by discovery');
    const mlflow = m.getPluginInfo('mlflow');
    assert.equal(mlflow?.state, 'validated');
    assert.equal(mlflow?.type, 'backend');
    assert.deepEqual(mlflow?.metadata?.capabilities, ['connectionTest']);
    assert.equal(m.validateConfig('mlflow', { trackingUri: 5 }).valid, false);
  });

  it('load a plugin when it is first initialized, once', async () => {
    const { declared, loads } = counted();
    const m = manager(declared);
    await m.discoverPlugins();
    loads.length = 0;
    const outcomes = await m.startPlugins({ rate: {}, rename: {} });
    assert.deepEqual(outcomes.rate?.ok && outcomes.rename?.ok, true, JSON.stringify(outcomes));
    await m.createRunInstance('rate', { id: 'r1', name: 'r1', startTime: Date.now() } as never).then((p) => p.stop());
    assert.deepEqual(loads, ['rate', 'rename']);
    await m.stopAll();
  });

  it('put a plugin whose code disagrees with its declaration in error, naming both', async () => {
    const rate = builtinPlugins().find((p) => p.metadata?.name === 'rate')!;
    const m = manager([{ metadata: { ...rate.metadata, capabilities: [] }, load: rate.load }]);
    await m.discoverPlugins();
    assert.equal(await m.initializePlugin('rate', {}), 'error');
    assert.match(
      m.getPluginInfo('rate')?.error ?? '',
      /the declaration declares a processor with capabilities none, but getMetadata\(\) says a processor with processor/,
    );
  });

  it('hand the Python bridge backends the interpreter sources when their code loads', async () => {
    const asked: string[] = [];
    const python = {
      setting: () => {
        asked.push('setting');
        return undefined;
      },
      pythonExtension: async () => undefined,
    };
    builtinPlugins(python)
      .find((p) => p.metadata?.name === 'wandb')!
      .load();
    await interpreterFor({ trusted: true, workspaceFolders: [] }).catch(() => undefined);
    assert.deepEqual(asked, ['setting']);
  });
});
