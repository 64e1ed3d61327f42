import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import { builtinPlugins } from '../../src/plugins/builtins';
import { StdoutFramework } from '../../src/plugins/stdout/stdoutFramework';

function manager(): PluginManager {
  return new PluginManager({ builtins: [StdoutFramework], pluginPaths: [], env: {}, homeDir: os.tmpdir(), storageRoot: os.tmpdir(), timeoutMs: 2000 });
}

describe('stdout framework plugin', () => {
  it('is a built-in framework plugin named stdout', () => {
    assert.ok(builtinPlugins().some((p) => p.load() === StdoutFramework));
    const meta = new StdoutFramework().getMetadata();
    assert.equal(meta.name, 'stdout');
    assert.equal(meta.pluginType, 'framework');
  });

  it("starts through the manager with its schema defaults and parses a terminal's output per command", async () => {
    const m = manager();
    await m.discoverPlugins();
    const outcome = await m.startPlugins({ stdout: {} });
    assert.equal(m.getPluginInfo('stdout')?.state, 'active', JSON.stringify(outcome));
    const plugin = m.getInstance('stdout') as StdoutFramework;
    const a = plugin.createParser();
    const b = plugin.createParser();
    assert.deepEqual(a.push('Epoch 1/2\r\n'), []);
    assert.deepEqual(b.push('loss=0.5\r\n'), [{ name: 'loss', value: 0.5, line: 1 }], 'parsers keep separate state');
    assert.deepEqual(a.push('loss: 0.25 - v_num: 3\r\n'), [{ name: 'loss', value: 0.25, epoch: 1, line: 2 }]);
    const status = await m.getStatus();
    assert.ok(JSON.stringify(status).includes('"parsersCreated":2'), JSON.stringify(status));
    await m.stopAll();
  });

  it('applies its config: custom patterns, formats and ignored names', async () => {
    const m = manager();
    await m.discoverPlugins();
    await m.startPlugins({
      stdout: { customPatterns: [{ pattern: 'BLEU (?<value>\\S+)', name: 'bleu' }], formats: { keyColon: false }, ignoreNames: ['seed'] },
    });
    const plugin = m.getInstance('stdout') as StdoutFramework;
    assert.deepEqual(
      plugin.parseText('BLEU 27.1\nacc: 0.5 seed=3 lr=0.1\n').map((r) => `${r.name}=${r.value}`),
      ['bleu=27.1', 'lr=0.1'],
    );
    await m.stopAll();
  });

  it('fails to start with an error naming the plugin, the phase and the bad pattern', async () => {
    const m = manager();
    await m.discoverPlugins();
    await m.startPlugins({ stdout: { customPatterns: [{ pattern: 'loss (?<value>[0-9', name: 'loss' }] } });
    const info = m.getPluginInfo('stdout');
    assert.equal(info?.state, 'error');
    assert.match(String(info?.error), /stdout.*initialize.*customPatterns\[0\] "loss \(\?<value>\[0-9": not a valid regular expression/);
  });

  it('rejects a config of the wrong shape through its schema', async () => {
    const m = manager();
    await m.discoverPlugins();
    await m.startPlugins({ stdout: { formats: { yaml: true } } });
    assert.equal(m.getPluginInfo('stdout')?.state, 'error');
  });
});
