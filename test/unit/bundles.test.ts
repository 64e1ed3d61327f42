import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const fixtures = path.join(root, 'test', 'fixtures', 'plugins');

function runNode(script: string): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
}

describe('dist/core.js', () => {
  it('exists (run `npm run build` first)', () => {
    assert.ok(fs.existsSync(path.join(dist, 'core.js')), 'dist/core.js is missing: `npm test` builds it before the unit tests');
  });

  it('loads in plain Node without vscode and runs the fixture plugins', () => {
    const out = runNode(`
      const Module = require('module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'vscode') throw new Error('core must not require vscode');
        return resolve.call(this, request, ...rest);
      };
      const core = require(${JSON.stringify(path.join(dist, 'core.js'))});
      const m = new core.PluginManager({ pluginPaths: [${JSON.stringify(fixtures)}], env: {}, homeDir: '/nonexistent', timeoutMs: 300 });
      m.discoverPlugins()
        .then(() => m.startPlugins({ fixture_backend: { endpoint: 'mem://' }, fixture_collector: {} }))
        .then((outcomes) => {
          const syntax = m.getPluginInfo('bad_syntax');
          console.log(JSON.stringify({
            exports: Object.keys(core).sort(),
            outcomes,
            syntax: syntax.error,
            valid: core.validateConfig({ n: { type: 'number', required: true } }, {}).errors,
          }));
          return m.stopAll();
        });
    `);
    const result = JSON.parse(out) as { exports: string[]; outcomes: Record<string, { ok: boolean }>; syntax: string; valid: unknown };
    for (const name of [
      'PluginManager',
      'PluginBase',
      'BackendPlugin',
      'CollectorPlugin',
      'PLUGIN_TYPES',
      'PLUGIN_STATES',
      'validateConfig',
      'normaliseSchema',
      'CORE_VERSION',
    ]) {
      assert.ok(result.exports.includes(name), `dist/core.js does not export ${name}`);
    }
    assert.equal(result.outcomes.fixture_backend?.ok, true);
    assert.equal(result.outcomes.fixture_collector?.ok, true);
    assert.match(result.syntax, /bad-syntax[\\/]index\.js: syntax error on line 3: Unexpected token/);
    assert.deepEqual(result.valid, [{ path: '/n', message: 'is required' }]);
  });
});

describe('dist/extension.js', () => {
  it('loads with a stand-in vscode module and exports activate and deactivate', () => {
    const out = runNode(`
      const Module = require('module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'vscode') return new Proxy({}, { get: () => function () {} });
        return load.call(this, request, ...rest);
      };
      const ext = require(${JSON.stringify(path.join(dist, 'extension.js'))});
      console.log(typeof ext.activate, typeof ext.deactivate);
    `);
    assert.equal(out.trim(), 'function function');
  });
});
