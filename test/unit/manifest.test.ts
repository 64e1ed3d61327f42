import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import semver from 'semver';
import { COMMAND_IDS } from '../../src/vscode/commandIds';
import { RESTRICTED_KEYS, SETTING_KEYS } from '../../src/vscode/settingKeys';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('package.json', () => {
  it('is a manifest VS Code 1.100 accepts', () => {
    assert.equal(manifest.publisher, 'tracelet');
    assert.equal(manifest.name, 'tracelet-vscode');
    assert.ok(semver.valid(manifest.version));
    assert.ok(semver.satisfies('1.100.3', manifest.engines.vscode), `engines.vscode ${manifest.engines.vscode} must accept 1.100.3`);
    const typesVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')).version as string;
    assert.ok(semver.lte(typesVersion, semver.minVersion(manifest.engines.vscode)!.version), `@types/vscode ${typesVersion} is newer than engines.vscode`);
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('contributes exactly the commands the code registers, all under the Tracelet category', () => {
    const contributed = manifest.contributes.commands as { command: string; category: string; title: string }[];
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
    for (const c of contributed) assert.equal(c.category, 'Tracelet', `${c.command} category`);
  });

  it('contributes exactly the settings the code reads, each with a description', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string }>;
    for (const [key, spec] of Object.entries(properties)) {
      assert.ok(spec.description || spec.markdownDescription, `${key} has no description`);
    }
    assert.deepEqual([...SETTING_KEYS].sort(), Object.keys(properties).sort());
  });

  it('restricts in an untrusted workspace exactly the settings the code reads with trust in mind', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces as { supported: string; restrictedConfigurations: string[]; description: string };
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), [...RESTRICTED_KEYS].sort());
    for (const key of RESTRICTED_KEYS) assert.ok((SETTING_KEYS as readonly string[]).includes(key), `${key} is a setting`);
    assert.match(untrusted.description, /until you trust the folder/);
  });

  it('has a Plugins view in a Tracelet activity-bar container', () => {
    assert.deepEqual(
      manifest.contributes.viewsContainers.activitybar.map((c: { id: string; title: string }) => [c.id, c.title]),
      [['tracelet', 'Tracelet']],
    );
    assert.equal(manifest.contributes.views.tracelet[0].id, 'tracelet.plugins');
    assert.equal(manifest.contributes.views.tracelet[0].name, 'Plugins');
  });

  it('names only files that exist', () => {
    for (const c of manifest.contributes.viewsContainers.activitybar) assert.ok(fs.existsSync(path.join(root, c.icon)), c.icon);
  });
});

describe('layering', () => {
  it('src/core never imports vscode', () => {
    const offenders = sourceFiles(path.join(root, 'src', 'core')).filter((f) =>
      /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('pure view models in src/vscode do not import vscode', () => {
    for (const name of [
      'pluginTreeModel.ts',
      'treeNode.ts',
      'runs/runsTreeModel.ts',
      'runs/runStatusText.ts',
      'statusDocument.ts',
      'settingKeys.ts',
      'commandIds.ts',
    ]) {
      const file = path.join(root, 'src', 'vscode', name);
      assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /from ['"]vscode['"]/, name);
    }
  });
});
