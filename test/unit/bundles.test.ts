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

/** dist/bundles.json (esbuild.mjs): each file the extension loads, with its size and the sources inside it. */
function bundleMap(): Record<string, { bytes: number; sources: string[] }> {
  return JSON.parse(fs.readFileSync(path.join(dist, 'bundles.json'), 'utf8')) as Record<string, { bytes: number; sources: string[] }>;
}

/** The modules esbuild.mjs builds into dist/lazy/, read from its LAZY table. */
function lazyEntries(): Map<string, string> {
  const table = /const LAZY = \{([^}]*)\}/.exec(fs.readFileSync(path.join(root, 'esbuild.mjs'), 'utf8'))?.[1] ?? '';
  return new Map([...table.matchAll(/'(lazy\/\w+)': '([^']+)'/g)].map((m) => [m[2]!, `dist/${m[1]}.js`]));
}

/**
 * A module in two files runs twice, each copy with its own module-level variables. These hold only what each
 * copy may keep for itself: a scratch reader, a compiled-schema cache, one synchronous scan's position, the
 * promise of a vendored module (which Node loads once for all), the stdout parser's memo of each name's role.
 */
const PER_COPY_STATE = new Set([
  'src/core/series/logRange.ts',
  'src/core/parse/keys.ts',
  'src/core/validate.ts',
  'src/core/parse/jsonScan.ts',
  'src/plugins/system/systemInformation.ts',
]);

/** Module-level state one process must hold once: the interpreter sources, the open configuration forms, the lazy loader's. */
const ONE_COPY = ['src/core/python/pythonSources.ts', 'src/vscode/config/configPanel.ts', 'src/vscode/lazy.ts'];

describe('the bundles activation loads and those loaded when first needed', () => {
  const bundles = bundleMap();
  const main = bundles['dist/extension.js'];
  const lazy = lazyEntries();

  it('dist/extension.js holds no module of dist/lazy/, and every lazy part was built', () => {
    assert.ok(main, 'dist/bundles.json has no dist/extension.js');
    assert.ok(lazy.size >= 15, `esbuild.mjs lists ${lazy.size} lazy parts`);
    assert.deepEqual(
      main.sources.filter((s) => lazy.has(s)),
      [],
    );
    for (const [source, file] of lazy) {
      assert.ok(bundles[file]?.sources.includes(source), `${file} does not hold ${source}`);
    }
  });

  it('holds no built-in plugin, run view, configuration form or run session', () => {
    const heavy = main!.sources.filter((s) =>
      /^src\/(plugins\/(?!builtins|\w+Declarations|tailing\/fileSourcePlugin|\w+\/\w+Config)|vscode\/views\/(seriesPanel|runsTablePanel)|vscode\/config\/config(Panel|Requests)|core\/(parse|run\/runSession))/.test(
        s,
      ),
    );
    assert.deepEqual(heavy, []);
  });

  it('keeps state one process must hold once in one file', () => {
    for (const source of ONE_COPY) {
      const holders = Object.entries(bundles).filter(([, b]) => b.sources.includes(source));
      assert.equal(holders.length, 1, `${source} is in ${holders.map(([f]) => f).join(', ') || 'no bundle'}`);
    }
  });

  it('duplicates no module that keeps module-level state, except caches each copy may keep for itself', () => {
    const holders = new Map<string, string[]>();
    for (const [file, b] of Object.entries(bundles)) for (const s of b.sources) holders.set(s, [...(holders.get(s) ?? []), file]);
    const stateful = [...holders]
      .filter(([source, files]) => files.length > 1 && source.startsWith('src/') && !PER_COPY_STATE.has(source))
      .filter(([source]) =>
        /^(let |var |export let )|^(export )?const \w+ = new (Map|WeakMap)\b|^\s+(private |protected )?static (readonly )?\w+ = new (Map|Set|WeakMap)\b/m.test(
          fs.readFileSync(path.join(root, source), 'utf8'),
        ),
      )
      .map(([source, files]) => `${source} (${files.join(', ')})`);
    assert.deepEqual(stateful, []);
  });
});
