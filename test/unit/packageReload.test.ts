// Reloading one plugin package after an edit (PluginRuntime.reloadPackage over PluginManager.reloadPackage):
// the edited package's plugins run their new code, CommonJS and ES modules alike, a syntax error shows on
// the plugin until the next good save, and no other plugin is stopped or started again.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PluginRuntime, type HostSettings } from '../../src/core/host/pluginRuntime';
import type { Logger } from '../../src/core/types';
import { tempDir } from './pipelineHelpers';

/** Every initialize and stop of every plugin, package plugins included: they reach it through globalThis. */
const journal: string[] = [];
(globalThis as { traceletReloadJournal?: string[] }).traceletReloadJournal = journal;

const root = tempDir('tracelet-reload-');
after(() => fs.rmSync(root, { recursive: true, force: true }));
const plugins = path.join(root, 'plugins');

/** A collector whose collect() says which edit of its code is running; `broken` leaves out a brace. */
function collectorSource(name: string, edit: number, esm: boolean, broken = false): string {
  const body = `class Plugin {
  getMetadata() { return { name: '${name}', version: '1.0.${edit}', pluginType: 'collector', configSchema: { type: 'object', properties: { label: { type: 'string', default: 'none' } } } }; }
  initialize(config) { this.label = config.label; globalThis.traceletReloadJournal.push('init ${name} edit ${edit} label ' + config.label); }
  start() {}
  stop() { globalThis.traceletReloadJournal.push('stop ${name} edit ${edit}'); }
  getStatus() { return { edit: ${edit} }; }
  collect() { return { edit: ${edit}, label: this.label }; }
${broken ? '' : '}'}
`;
  return esm ? `${body}export { Plugin };\n` : `'use strict';\n${body}module.exports = { Plugin };\n`;
}

function writePackage(dir: string, name: string, edit: number, esm: boolean, broken = false): void {
  const file = esm ? 'plugin.mjs' : 'plugin.js';
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `pkg-${name}`, version: '1.0.0', tracelet: { plugins: { [name]: { entry: `./${file}:Plugin`, type: 'collector' } } } }),
  );
  fs.writeFileSync(path.join(dir, file), collectorSource(name, edit, esm, broken));
}

class Builtin {
  getMetadata() {
    return { name: 'builtin', version: '1.0.0', pluginType: 'collector' };
  }
  initialize() {
    journal.push('init builtin');
  }
  start() {}
  stop() {
    journal.push('stop builtin');
  }
  getStatus() {
    return {};
  }
  collect() {
    return {};
  }
}

function runtimeFor(entries: Record<string, { enabled?: boolean; config?: unknown }>) {
  const lines: string[] = [];
  const log: Logger = { trace: () => undefined, debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const settings: HostSettings = {
    plugin: (name) => ({ enabled: entries[name]?.enabled, config: entries[name]?.config ?? {} }),
    userPluginConfig: () => undefined,
  };
  const runtime = new PluginRuntime({
    settings,
    log,
    managerOptions: () => ({ builtins: [Builtin], pluginPaths: [plugins], env: {}, homeDir: root, storageRoot: root }),
  });
  return { runtime, lines };
}

async function collected(runtime: PluginRuntime, name: string): Promise<unknown> {
  return (runtime.manager.getInstance(name) as { collect(): unknown } | undefined)?.collect();
}

describe('reloading one plugin package', () => {
  const cjs = path.join(plugins, 'cjs');
  const esm = path.join(plugins, 'esm');
  writePackage(cjs, 'cjs_plugin', 1, false);
  writePackage(esm, 'esm_plugin', 1, true);
  const { runtime, lines } = runtimeFor({ cjs_plugin: { config: { label: 'from settings' } } });

  it('starts with every plugin active', async () => {
    await runtime.reload();
    for (const name of ['builtin', 'cjs_plugin', 'esm_plugin']) assert.equal(runtime.manager.getPluginInfo(name)?.state, 'active', name);
    assert.deepEqual(await collected(runtime, 'cjs_plugin'), { edit: 1, label: 'from settings' });
  });

  it('runs the edited CommonJS code with its settings, and restarts no other plugin', async () => {
    const others = { builtin: runtime.manager.getInstance('builtin'), esm_plugin: runtime.manager.getInstance('esm_plugin') };
    journal.length = 0;
    writePackage(cjs, 'cjs_plugin', 2, false);
    const reloaded = await runtime.reloadPackage(cjs);
    assert.deepEqual(
      reloaded.map((p) => [p.name, p.state]),
      [['cjs_plugin', 'active']],
    );
    assert.deepEqual(await collected(runtime, 'cjs_plugin'), { edit: 2, label: 'from settings' });
    assert.deepEqual(journal, ['stop cjs_plugin edit 1', 'init cjs_plugin edit 2 label from settings']);
    assert.equal(runtime.manager.getInstance('builtin'), others.builtin, 'the same builtin instance');
    assert.equal(runtime.manager.getInstance('esm_plugin'), others.esm_plugin, 'the same esm_plugin instance');
    assert.ok(
      lines.some((l) => /^reloaded the plugin package .*cjs: cjs_plugin active \(\d+ ms\)$/.test(l)),
      lines.join('\n'),
    );
  });

  it('imports an edited ES module again (an .mjs is not in require.cache)', async () => {
    journal.length = 0;
    writePackage(esm, 'esm_plugin', 2, true);
    await runtime.reloadPackage(esm);
    assert.deepEqual(await collected(runtime, 'esm_plugin'), { edit: 2, label: 'none' });
    writePackage(esm, 'esm_plugin', 3, true);
    await runtime.reloadPackage(esm);
    assert.deepEqual(await collected(runtime, 'esm_plugin'), { edit: 3, label: 'none' });
    assert.deepEqual(journal, ['stop esm_plugin edit 1', 'init esm_plugin edit 2 label none', 'stop esm_plugin edit 2', 'init esm_plugin edit 3 label none']);
  });

  it('shows a syntax error on the plugin, keeps the others running, and the next good save brings it back', async () => {
    for (const [dir, name, isEsm] of [
      [cjs, 'cjs_plugin', false],
      [esm, 'esm_plugin', true],
    ] as const) {
      journal.length = 0;
      writePackage(dir, name, 8, isEsm, true);
      await runtime.reloadPackage(dir);
      const broken = runtime.manager.getPluginInfo(name)!;
      assert.equal(broken.state, 'error');
      assert.equal(broken.errorKind, 'load');
      assert.equal(broken.type, 'collector', 'listed under its declared type');
      // Node gives the line of a syntax error in a CommonJS module, not in an ES module.
      assert.match(broken.error!, isEsm ? /plugin\.mjs: syntax error: Unexpected token/ : /plugin\.js: syntax error on line \d+: /, broken.error);
      assert.equal(runtime.manager.getPluginInfo('builtin')?.state, 'active');
      assert.deepEqual(
        journal.filter((l) => !l.includes(name)),
        [],
        'no other plugin stopped or started',
      );

      writePackage(dir, name, 9, isEsm);
      await runtime.reloadPackage(dir);
      assert.equal(runtime.manager.getPluginInfo(name)?.state, 'active', runtime.manager.getPluginInfo(name)?.error);
      assert.equal(((await collected(runtime, name)) as { edit: number }).edit, 9);
    }
  });

  it('forgets the plugins of a deleted package, and loads a new package folder, leaving the rest alone', async () => {
    journal.length = 0;
    fs.rmSync(cjs, { recursive: true });
    assert.deepEqual(await runtime.reloadPackage(cjs), []);
    assert.equal(runtime.manager.getPluginInfo('cjs_plugin'), undefined);
    const fresh = path.join(plugins, 'fresh');
    writePackage(fresh, 'fresh_plugin', 1, false);
    await runtime.reloadPackage(fresh);
    assert.equal(runtime.manager.getPluginInfo('fresh_plugin')?.state, 'active', runtime.manager.getPluginInfo('fresh_plugin')?.error);
    assert.deepEqual(journal, ['stop cjs_plugin edit 9', 'init fresh_plugin edit 1 label none']);
    assert.equal(runtime.manager.getPluginInfo('esm_plugin')?.state, 'active');
  });

  it('leaves a plugin disabled in settings loaded but not started', async () => {
    const disabled = path.join(root, 'disabled-plugins');
    const { runtime: other } = runtimeFor({ off_plugin: { enabled: false } });
    await other.reload();
    writePackage(path.join(disabled, 'off'), 'off_plugin', 1, false);
    await other.reloadPackage(path.join(disabled, 'off'));
    assert.equal(other.manager.getPluginInfo('off_plugin')?.state, 'validated');
  });
});
