import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';

type GuardModule = typeof import('../../src/core/guard');

/** A copy of src/core/guard.ts bundled alone, as each of dist/extension.js and dist/lazy/*.js holds one. */
function bundledCopy(dir: string, name: string): GuardModule {
  const outfile = path.join(dir, `${name}.js`);
  buildSync({
    entryPoints: [path.join(__dirname, '..', '..', 'src', 'core', 'guard.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  });
  return require(outfile) as GuardModule;
}

describe('PluginError across bundles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-plugin-error-'));
  const main = bundledCopy(dir, 'main');
  const lazy = bundledCopy(dir, 'lazy');

  it('is an instance of every copy of the class, and nothing else is', () => {
    assert.notEqual(main.PluginError, lazy.PluginError, 'the two bundles must hold two classes for this test to mean anything');
    const err = new main.PluginError('stdout', 'createParserFor', 'bad pattern', { configErrors: [{ path: '/patterns/0', message: 'bad' }] });
    assert.ok(err instanceof lazy.PluginError);
    assert.ok(err instanceof main.PluginError);
    assert.ok(err instanceof Error);
    assert.equal((err as InstanceType<GuardModule['PluginError']>).reason, 'bad pattern');
    assert.ok(!(new Error('plain') instanceof lazy.PluginError));
    assert.ok(!({ plugin: 'x', phase: 'y', reason: 'z' } instanceof lazy.PluginError));
    const nothing: unknown = null;
    assert.ok(!(nothing instanceof lazy.PluginError));
  });

  it("one copy's guard passes on another's error as it is, without wrapping it again", async () => {
    const inner = new main.PluginError('mlflow', 'initialize', 'connection refused');
    await assert.rejects(
      lazy.guard('mlflow', 'start', 1000, () => {
        throw inner;
      }),
      (err) => err === inner,
    );
    await assert.rejects(
      lazy.guard('mlflow', 'start', 1000, () => {
        throw new Error('boom');
      }),
      (err) => err instanceof main.PluginError && err.message === 'plugin "mlflow" failed in start: boom',
    );
  });
});
