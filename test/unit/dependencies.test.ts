import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DependencyCycleError, findCycles, installedPackageVersion, orderByDependencies, parseDependency } from '../../src/core/dependencies';

describe('parseDependency', () => {
  const cases: [string, string, string][] = [
    ['requests>=2.25.0', 'requests', '>=2.25.0'],
    ['other_plugin@^1.2', 'other_plugin', '^1.2'],
    ['@scope/pkg@~1.0.0', '@scope/pkg', '~1.0.0'],
    ['pandas==1.3.0', 'pandas', '=1.3.0'],
    ['numpy>=1.0,<2', 'numpy', '>=1.0 <2'],
    ['torch~=2.1', 'torch', '~2.1'],
    ['plain', 'plain', '*'],
    ['spaced >= 1.0', 'spaced', '>=1.0'],
  ];
  for (const [raw, name, range] of cases) {
    it(`reads ${raw}`, () => {
      assert.deepEqual(parseDependency(raw), { raw, name, range });
    });
  }

  it('rejects strings that are not dependencies', () => {
    assert.throws(() => parseDependency('>=1.0'), /is not of the form/);
    assert.throws(() => parseDependency('pkg@banana split'), /version range semver cannot read/);
  });
});

describe('installedPackageVersion', () => {
  const fixture = path.join(__dirname, '..', 'fixtures', 'plugins', 'old-npm-dep');
  it('finds a package in the plugin folder node_modules', () => {
    assert.equal(installedPackageVersion('tiny-dep', fixture), '1.4.0');
  });
  it('walks up to parent node_modules', () => {
    assert.match(installedPackageVersion('semver', fixture) ?? '', /^7\./);
  });
  it('returns undefined when nothing is installed', () => {
    assert.equal(installedPackageVersion('tracelet-no-such-package', fixture), undefined);
  });
});

describe('dependency order and cycles', () => {
  const graph = new Map<string, string[]>([
    ['app', ['db', 'log']],
    ['db', ['log']],
    ['log', []],
    ['external', ['not-in-graph']],
  ]);

  it('puts dependencies first', () => {
    const order = orderByDependencies(['app', 'external'], graph);
    assert.deepEqual(order, ['log', 'db', 'app', 'external']);
  });

  it('names the cycle', () => {
    const cyclic = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.throws(
      () => orderByDependencies(['d'], cyclic),
      (err: unknown) => err instanceof DependencyCycleError && err.message === 'dependency cycle: a -> b -> c -> a',
    );
    assert.deepEqual(findCycles(cyclic), [{ members: ['a', 'b', 'c'], path: ['a', 'b', 'c', 'a'] }]);
  });

  it('finds separate cycles and self-dependencies, and nothing in an acyclic graph', () => {
    const g = new Map<string, string[]>([
      ['x', ['x']],
      ['p', ['q', 'x']],
      ['q', ['p']],
      ['ok', ['p']],
    ]);
    const cycles = findCycles(g)
      .map((c) => c.path.join('>'))
      .sort();
    assert.deepEqual(cycles, ['p>q>p', 'x>x']);
    assert.deepEqual(findCycles(graph), []);
  });
});
