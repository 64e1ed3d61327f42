import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';

const root = path.join(__dirname, '..', '..');
const biome = path.join(root, 'node_modules', '.bin', 'biome');

/** What `biome lint` with the project's biome.json says of `source` at `file`, in a copy of the layout (the tree is not touched). */
function lint(file: string, source: string): { ok: boolean; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-layers-'));
  try {
    const config = JSON.parse(fs.readFileSync(path.join(root, 'biome.json'), 'utf8'));
    delete config.$schema;
    config.vcs = { enabled: false };
    fs.writeFileSync(path.join(dir, 'biome.json'), JSON.stringify(config));
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
    const r = spawnSync(biome, ['lint', '--colors=off', file], { cwd: dir, encoding: 'utf8' });
    return { ok: r.status === 0, text: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('layers enforced by the linter (biome.json)', () => {
  it('src/core may not import vscode, the plugins or the adapter', () => {
    for (const spec of ['vscode', '../plugins/local/localBackend', '../../plugins/system', '../vscode/settings']) {
      const r = lint('src/core/run/probe.ts', `import { x } from '${spec}';\nexport const y = x;\n`);
      assert.equal(r.ok, false, `src/core importing ${spec} passed the linter`);
      assert.match(r.text, /noRestrictedImports/);
    }
  });

  it('src/plugins may not import vscode or the adapter', () => {
    for (const spec of ['vscode', '../../vscode/settings']) {
      const r = lint('src/plugins/local/probe.ts', `import { x } from '${spec}';\nexport const y = x;\n`);
      assert.equal(r.ok, false, `src/plugins importing ${spec} passed the linter`);
    }
  });

  it('the same imports pass where they belong', () => {
    assert.deepEqual(lint('src/plugins/local/probe.ts', `import { x } from '../../core/plugin';\nexport const y = x;\n`).ok, true);
    assert.deepEqual(
      lint('src/vscode/probe.ts', `import { x } from 'vscode';\nimport { z } from '../plugins/local/localBackend';\nexport const y = [x, z];\n`).ok,
      true,
    );
  });
});
