import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import type { PluginInfo } from '../../src/core/registry';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'plugins');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-home-'));

function managerForFixtures(): PluginManager {
  return new PluginManager({ pluginPaths: [FIXTURES], env: {}, homeDir: home, timeoutMs: 300, storageRoot: path.join(home, 'storage') });
}

describe('discovering the fixture packages', () => {
  let manager: PluginManager;
  let byName: Map<string, PluginInfo>;
  const configs = {
    fixture_backend: { endpoint: 'mem://tests' },
    fixture_collector: { step: 2 },
    throws_initialize: {},
    throws_start: {},
    throws_stop: {},
    throws_getstatus: {},
    throws_constructor: {},
    hangs_start: {},
    invalid_config: { url: 'not a url', retries: -1 },
  };

  before(async () => {
    manager = managerForFixtures();
    await manager.discoverPlugins();
    await manager.startPlugins(configs);
    await manager.getStatus();
    await manager.stopAll();
    byName = new Map(manager.listPlugins().map((p) => [p.name, p]));
  });

  const expectations: [string, RegExp][] = [
    ['bad_syntax', /plugin "bad_syntax" \(package tracelet-fixture-bad-syntax\): failed to load .*index\.js: syntax error on line 3: /],
    ['missing_method', /plugin "missing_method".*backend plugin is missing method logArtifact\(\)/],
    ['no_name', /plugin "no_name".*invalid metadata: "name" is missing/],
    ['bad_version', /plugin "bad_version".*"version" "one point oh" is not a semantic version/],
    ['throws_constructor', /plugin "throws_constructor".*constructor threw: constructor exploded/],
    ['throws_initialize', /plugin "throws_initialize" failed in initialize: initialize exploded/],
    ['throws_start', /plugin "throws_start" failed in start: start exploded/],
    ['throws_stop', /plugin "throws_stop" failed in stop: stop exploded/],
    ['throws_getstatus', /plugin "throws_getstatus" failed in getStatus: getStatus exploded/],
    ['hangs_start', /plugin "hangs_start" failed in start: did not finish within 300 ms/],
    ['hangs_load', /plugin "hangs_load" \(package tracelet-fixture-hangs-load\): failed to load .*index\.mjs: its module did not finish loading within 300 ms/],
    [
      'missing_npm_dep',
      /plugin "missing_npm_dep": missing tracelet-no-such-package>=1\.0\.0 \(neither a plugin nor an npm package "tracelet-no-such-package" is installed\)/,
    ],
    ['old_npm_dep', /plugin "old_npm_dep": incompatible tiny-dep>=2\.0\.0 \(npm package "tiny-dep" is 1\.4\.0, needs >=2\.0\.0\)/],
    ['wrong_engine', /plugin "wrong_engine": incompatible tracelet >=99\.0\.0 \(needs Tracelet core >=99\.0\.0, this is 0\.1\.0\)/],
    ['cycle_a', /plugin "cycle_a" is in a dependency cycle: cycle_a -> cycle_b -> cycle_a/],
    ['cycle_b', /plugin "cycle_b" is in a dependency cycle: cycle_a -> cycle_b -> cycle_a/],
    ['invalid_config', /plugin "invalid_config": invalid configuration: \/url must be a valid uri; \/retries must be at least 0/],
  ];

  for (const [name, reason] of expectations) {
    it(`${name} ends in error, naming the plugin and the reason`, () => {
      const info = byName.get(name);
      assert.ok(info, `no plugin ${name} in ${[...byName.keys()].join(', ')}`);
      assert.equal(info.state, 'error');
      assert.match(info.error ?? '', reason);
    });
  }

  it('runs the good plugins while the bad ones fail', () => {
    assert.equal(byName.get('fixture_backend')?.state, 'stopped');
    assert.equal(byName.get('fixture_collector')?.state, 'stopped');
    assert.equal(byName.get('fixture_backend')?.source, 'package');
    assert.equal(byName.get('fixture_backend')?.packageDir, path.join(FIXTURES, 'good-backend'));
  });

  it('gives field-level errors for an invalid config', () => {
    const info = byName.get('invalid_config')!;
    assert.equal(info.errorKind, 'config');
    assert.deepEqual(info.configErrors, [
      { path: '/url', message: 'must be a valid uri' },
      { path: '/retries', message: 'must be at least 0' },
    ]);
  });

  it('classifies errors so the UI can offer the right action', () => {
    assert.equal(byName.get('bad_syntax')?.errorKind, 'load');
    assert.equal(byName.get('no_name')?.errorKind, 'metadata');
    assert.equal(byName.get('old_npm_dep')?.errorKind, 'dependency');
    assert.equal(byName.get('throws_start')?.errorKind, 'runtime');
  });

  it('lists plugins by type and gets them by type and name', () => {
    assert.deepEqual(
      manager.listPlugins('collector').map((p) => p.name),
      ['fixture_collector'],
    );
    const backends = manager.listPlugins('backend').map((p) => p.name);
    assert.ok(backends.includes('fixture_backend') && backends.includes('throws_start'));
    const Backend = manager.getPlugin('backend', 'fixture_backend') as new () => { getMetadata(): { name: string } };
    assert.equal(new Backend().getMetadata().name, 'fixture_backend');
    assert.equal(manager.getPlugin('collector', 'fixture_backend'), undefined);
    assert.equal(manager.getPluginByName('fixture_collector'), manager.getPlugin('collector', 'fixture_collector'));
    assert.equal(manager.getPluginByName('bad_syntax'), undefined);
    assert.equal(manager.getPluginByName('nope'), undefined);
  });
});

describe('reporting status', () => {
  it('counts by state and includes each plugin’s own status', async () => {
    const manager = managerForFixtures();
    await manager.discoverPlugins();
    await manager.startPlugins({ fixture_backend: { endpoint: 'mem://x' }, fixture_collector: {} });
    const status = await manager.getStatus();
    assert.equal(status.counts.active, 2);
    assert.deepEqual(status.plugins.fixture_backend, {
      type: 'backend',
      version: '1.2.0',
      state: 'active',
      error: undefined,
      status: { running: true, metrics: 0, endpoint: 'mem://x' },
    });
    assert.equal(status.plugins.bad_syntax?.state, 'error');
    const total = Object.values(status.counts).reduce((a, b) => a + b, 0);
    assert.equal(total, manager.listPlugins().length);
    await manager.stopAll();
  });
});
