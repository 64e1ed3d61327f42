// The Plugins view's data and actions through the extension's API and commands, and the settings they write.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { TraceletApi } from '../../../src/vscode/extension';
import { nextEvent, setWorkspaceSetting, pluginStates, traceletApi, waitFor, workspaceDir } from './support';

const EXAMPLE_PACKAGE = path.resolve(__dirname, '..', '..', 'examples', 'plugin-package');

let api: TraceletApi;

/** The plugin's entry in the workspace's .vscode/settings.json, as the file on disk holds it. */
function workspaceEntry(name: string): unknown {
  const file = path.join(workspaceDir(), '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  return settings['tracelet.plugins']?.[name];
}

describe('Plugins', () => {
  before(async () => {
    api = await traceletApi();
    await pluginStates(api, { git: 'active' });
  });

  it('Disable Plugin on a tree item writes enabled: false to the workspace and stops the plugin; Enable Plugin starts it again', async () => {
    const stopped = nextEvent(api.onDidChangePlugins, 'git to stop', (e) => e?.name === 'git' && e.state === 'stopped');
    await vscode.commands.executeCommand('tracelet.disablePlugin', { pluginName: 'git' });
    await stopped;
    assert.deepEqual(workspaceEntry('git'), { enabled: false });
    assert.equal(api.listPlugins().find((p) => p.name === 'git')?.state, 'stopped');

    const started = nextEvent(api.onDidChangePlugins, 'git to start', (e) => e?.name === 'git' && e.state === 'active');
    await vscode.commands.executeCommand('tracelet.enablePlugin', { pluginName: 'git' });
    await started;
    assert.deepEqual(workspaceEntry('git'), { enabled: true });
  });

  it('Restart Plugin starts the plugin again and it ends active', async () => {
    const changes: string[] = [];
    const sub = api.onDidChangePlugins((e) => {
      if (e?.name === 'system') changes.push(`${e.previous}->${e.state}`);
    });
    try {
      await vscode.commands.executeCommand('tracelet.restartPlugin', { pluginName: 'system' });
      await waitFor('system to be active again', () => changes.length > 0 && api.listPlugins().find((p) => p.name === 'system')?.state === 'active');
      assert.ok(
        changes.some((c) => c.endsWith('->active')),
        `state changes of system: ${changes.join(', ')}`,
      );
    } finally {
      sub.dispose();
    }
  });

  describe('a plugin folder named in the workspace settings', () => {
    let folder: string;
    let restore: (() => Promise<void>) | undefined;

    before(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-integration-plugins-'));
      fs.cpSync(EXAMPLE_PACKAGE, path.join(folder, 'tracelet-plugin-csv'), { recursive: true });
    });

    after(async () => {
      await restore?.();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('applies in a trusted workspace: its package is loaded and its backend started', async () => {
      assert.equal(vscode.workspace.isTrusted, true, 'both hosts open the folder trusted (workspace trust off)');
      restore = await setWorkspaceSetting('pluginPaths', [folder]);
      const csv = await waitFor('csv_backend from the package to be active', () =>
        api.listPlugins().find((p) => p.name === 'csv_backend' && p.state === 'active'),
      );
      assert.equal(csv.source, 'package');
      assert.equal(fs.realpathSync(csv.packageDir!), fs.realpathSync(path.join(folder, 'tracelet-plugin-csv')));
    });

    it('is let go when the setting no longer names it', async () => {
      await restore?.();
      restore = undefined;
      await waitFor('csv_backend to be gone', () => !api.listPlugins().some((p) => p.name === 'csv_backend'));
      await pluginStates(api, { local: 'active' });
    });
  });

  it('Show Plugin Status opens a table with every plugin and its state', async () => {
    await vscode.commands.executeCommand('tracelet.showPluginStatus');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'tracelet-status', path: '/Tracelet Plugin Status.md' }));
    const text = doc.getText();
    for (const p of api.listPlugins()) {
      assert.match(text, new RegExp(`^\\| ${p.name} \\| [^|]+ \\| [^|]+ \\| ${p.state} \\|`, 'm'), `${p.name} (${p.state}) in:\n${text}`);
    }
  });
});
