import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { findPluginPackages, loadPluginExport, pluginSearchPaths } from '../../src/core/discovery';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-discovery-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writePackage(dir: string, name: string, plugins: unknown, code = 'module.exports.P = { hello: 1 };'): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', tracelet: { plugins } }));
  fs.writeFileSync(path.join(dir, 'index.js'), code);
}

describe('pluginSearchPaths', () => {
  it('orders explicit paths, TRACELET_PLUGIN_PATH entries and ~/.tracelet/plugins, without duplicates', () => {
    const env = { TRACELET_PLUGIN_PATH: ['/a', '', '/b', '/explicit'].join(path.delimiter) };
    const paths = pluginSearchPaths({ pluginPaths: ['/explicit', '~/mine'], env, homeDir: '/home/u' });
    assert.deepEqual(paths, ['/explicit', '/home/u/mine', '/a', '/b', '/home/u/.tracelet/plugins']);
  });
});

describe('findPluginPackages', () => {
  const direct = path.join(tmp, 'direct');
  const viaNodeModules = path.join(tmp, 'project');
  writePackage(path.join(direct, 'one'), 'one', { first: './index.js:P', second: './index.js' });
  writePackage(path.join(viaNodeModules, 'node_modules', 'two'), 'two', { third: './index.js:P' });
  writePackage(path.join(viaNodeModules, 'node_modules', '@org', 'three'), '@org/three', { fourth: './index.js:P' });
  writePackage(path.join(direct, 'broken-map'), 'broken-map', ['not', 'a', 'map']);
  fs.mkdirSync(path.join(direct, 'unreadable'));
  fs.writeFileSync(path.join(direct, 'unreadable', 'package.json'), '{ nope');
  fs.mkdirSync(path.join(direct, 'not-a-plugin'));
  fs.writeFileSync(path.join(direct, 'not-a-plugin', 'package.json'), JSON.stringify({ name: 'lib' }));

  it('finds packages directly in a search folder and under node_modules, scoped ones included', async () => {
    const result = await findPluginPackages([direct, viaNodeModules, path.join(tmp, 'missing')]);
    const keys = result.entries.map((e) => `${e.packageName}/${e.key}:${e.exportName ?? '-'}`).sort();
    assert.deepEqual(keys, ['@org/three/fourth:P', 'one/first:P', 'one/second:-', 'two/third:P']);
    assert.equal(result.entries.find((e) => e.key === 'third')?.file, path.join(viaNodeModules, 'node_modules', 'two', 'index.js'));
  });

  it('reports unreadable manifests and bad plugin maps as problems, not exceptions', async () => {
    const result = await findPluginPackages([direct]);
    const messages = result.problems.map((p) => p.message).sort();
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /cannot read .*unreadable.*package\.json/);
    assert.match(messages[1]!, /package broken-map: "tracelet.plugins" must map plugin names/);
  });

  it('lists a package reachable twice (by symlink) once', async () => {
    const link = path.join(tmp, 'linked');
    fs.mkdirSync(link, { recursive: true });
    fs.symlinkSync(path.join(direct, 'one'), path.join(link, 'one-again'));
    const result = await findPluginPackages([direct, link]);
    assert.equal(result.entries.filter((e) => e.key === 'first').length, 1);
  });
});

describe('loadPluginExport', () => {
  it('loads the named export, the default export or the module, and re-reads edited files', async () => {
    const dir = path.join(tmp, 'loader');
    writePackage(dir, 'loader', {}, 'module.exports.P = { v: 1 };');
    const entry = { key: 'k', packageDir: dir, packageName: 'loader', file: path.join(dir, 'index.js'), exportName: 'P' };
    assert.deepEqual(await loadPluginExport(entry, 10_000), { v: 1 });
    fs.writeFileSync(entry.file, 'module.exports.P = { v: 2 };');
    assert.deepEqual(await loadPluginExport(entry, 10_000), { v: 2 });
    assert.deepEqual(await loadPluginExport({ ...entry, exportName: undefined }, 10_000), { P: { v: 2 } });
  });

  it('waits for an ES module’s top-level await, and gives up on one that never settles', async () => {
    const dir = path.join(tmp, 'esm');
    writePackage(dir, 'esm', {});
    const file = path.join(dir, 'index.mjs');
    fs.writeFileSync(file, 'await new Promise((r) => setTimeout(r, 50));\nexport const P = { v: 3 };\n');
    const entry = { key: 'k', packageDir: dir, packageName: 'esm', file, exportName: 'P' };
    assert.deepEqual(await loadPluginExport(entry, 10_000), { v: 3 });
    fs.writeFileSync(file, 'await new Promise(() => {});\nexport const P = {};\n');
    const began = Date.now();
    await assert.rejects(loadPluginExport(entry, 200), /failed to load .*index\.mjs: its module did not finish loading within 200 ms/);
    assert.ok(Date.now() - began < 5_000, 'given up on, not waited for');
  });

  it('names the missing export and what the module does export', async () => {
    const dir = path.join(tmp, 'loader2');
    writePackage(dir, 'loader2', {}, 'module.exports.A = 1; module.exports.B = 2;');
    await assert.rejects(
      loadPluginExport({ key: 'k', packageDir: dir, packageName: 'l', file: path.join(dir, 'index.js'), exportName: 'C' }, 10_000),
      /has no export "C" \(it exports A, B\)/,
    );
  });

  it('reports a missing file', async () => {
    await assert.rejects(
      loadPluginExport({ key: 'k', packageDir: tmp, packageName: 'l', file: path.join(tmp, 'nope.js'), exportName: 'C' }, 10_000),
      /failed to load .*nope\.js: Cannot find module/,
    );
  });
});
