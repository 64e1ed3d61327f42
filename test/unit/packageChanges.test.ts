// From file events under the plugin search folders to reloads: which package a path belongs to, one reload
// per burst of events, none when no code file changed, none for the write Create Plugin already loaded.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PackageChanges, packageDirOf, packageFingerprint } from '../../src/core/host/packageChanges';
import type { Logger } from '../../src/core/types';
import { waitUntil } from '../support/waitUntil';
import { tempDir } from './pipelineHelpers';

const root = tempDir('tracelet-changes-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('packageDirOf', () => {
  const s = path.join('/', 'home', 'u', '.tracelet', 'plugins');
  const inner = path.join(s, 'team');
  const cases: [string, string | undefined][] = [
    [path.join(s, 'mine', 'backend.js'), path.join(s, 'mine')],
    [path.join(s, 'mine', 'lib', 'deep', 'util.mjs'), path.join(s, 'mine')],
    [path.join(s, 'mine'), path.join(s, 'mine')],
    [path.join(s, 'package.json'), s],
    [path.join(s, 'index.js'), s],
    [path.join(s, 'node_modules', 'dep', 'index.js'), path.join(s, 'node_modules', 'dep')],
    [path.join(s, 'node_modules', '@org', 'dep', 'lib', 'x.js'), path.join(s, 'node_modules', '@org', 'dep')],
    [path.join(s, 'node_modules', '@org'), undefined],
    [path.join(s, 'mine', 'node_modules', 'lodash', 'index.js'), undefined],
    [path.join(s, 'mine', '.git', 'index'), undefined],
    [path.join(s, 'mine', '.backend.js.swp'), undefined],
    [path.join(inner, 'theirs', 'index.js'), path.join(inner, 'theirs')],
    [path.join('/', 'elsewhere', 'x.js'), undefined],
    [s, undefined],
  ];
  for (const [changed, expected] of cases) {
    it(`${path.relative(s, changed) || '(the search folder)'} → ${expected === undefined ? 'none' : path.relative(s, expected) || '(the search folder)'}`, () => {
      assert.equal(packageDirOf(changed, [s, inner]), expected);
    });
  }
});

describe('PackageChanges', () => {
  const search = path.join(root, 'plugins');
  const one = path.join(search, 'one');
  const two = path.join(search, 'two');
  for (const dir of [one, two]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    fs.writeFileSync(path.join(dir, 'index.js'), '// 1');
  }
  const reloads: string[] = [];
  const errors: string[] = [];
  const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) };
  const changes = new PackageChanges({ searchPaths: () => [search], reload: async (dir) => void reloads.push(path.basename(dir)), log, debounceMs: 40 });
  after(() => changes.dispose());

  it('reloads each package once for a burst of events, once its files are quiet', async () => {
    fs.writeFileSync(path.join(one, 'index.js'), '// 2');
    for (let i = 0; i < 5; i++) changes.fileChanged(path.join(one, 'index.js'));
    changes.fileChanged(path.join(one, 'package.json'));
    changes.fileChanged(path.join(two, 'index.js'));
    await waitUntil(() => reloads.length >= 2, 'both packages reloaded');
    await new Promise((r) => setTimeout(r, 120)); // longer than the debounce: a second reload would have come by now
    assert.deepEqual([...reloads].sort(), ['one', 'two']);
  });

  it('does not reload when no code file changed (a README, a swap file), and does when one did', async () => {
    reloads.length = 0;
    fs.writeFileSync(path.join(one, 'README.md'), 'notes');
    changes.fileChanged(path.join(one, 'README.md'));
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(reloads, []);
    fs.writeFileSync(path.join(one, 'index.js'), '// 3, longer');
    changes.fileChanged(path.join(one, 'index.js'));
    await waitUntil(() => reloads.length === 1, 'the edited package reloaded');
    assert.deepEqual(reloads, ['one']);
  });

  it('reloadNow loads at once, and the events of that same write reload nothing more', async () => {
    reloads.length = 0;
    const made = path.join(search, 'made');
    fs.mkdirSync(made);
    fs.writeFileSync(path.join(made, 'package.json'), '{}');
    fs.writeFileSync(path.join(made, 'backend.js'), '// new');
    await changes.reloadNow(made);
    assert.deepEqual(reloads, ['made']);
    changes.fileChanged(path.join(made, 'backend.js'));
    changes.fileChanged(made);
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(reloads, ['made']);
  });

  it('reloads a save of the same size whose modification time reads the same, as on a filesystem that keeps whole seconds', async () => {
    reloads.length = 0;
    const file = path.join(one, 'index.js');
    const second = new Date(Math.floor(Date.now() / 1000) * 1000);
    const save = (text: string): void => {
      fs.writeFileSync(file, text);
      fs.utimesSync(file, second, second);
      changes.fileChanged(file);
    };
    save('const bad = ;');
    await waitUntil(() => reloads.length === 1, 'the first save reloaded');
    save('const ok = 1;');
    await waitUntil(() => reloads.length === 2, 'the second save, with other code of the same size and time, reloaded');
    assert.deepEqual(reloads, ['one', 'one']);
  });

  it('reloads a deleted package (its plugins go) and logs a failed reload instead of throwing', async () => {
    reloads.length = 0;
    fs.rmSync(two, { recursive: true });
    changes.fileChanged(two);
    await waitUntil(() => reloads.length === 1, 'the deleted package reloaded');
    assert.equal(await packageFingerprint(two), '');

    const failing = new PackageChanges({ searchPaths: () => [search], reload: () => Promise.reject(new Error('boom')), log, debounceMs: 10 });
    fs.writeFileSync(path.join(one, 'index.js'), '// 4, longer still');
    failing.fileChanged(path.join(one, 'index.js'));
    await waitUntil(() => errors.length === 1, 'the failure logged');
    assert.match(errors[0]!, /reloading the plugin package .*one after it changed failed: boom/);
  });
});
