// The extension as VS Code loads it: activated by its own activation event, its API, its commands, its plugins.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { CORE_VERSION } from '../../../src/core/version';
import { EXTENSION_ID, pluginStates, traceletApi } from './support';

interface ContributedCommand {
  command: string;
}

describe('Activation', () => {
  it('activates at startup without being asked and returns its API', async () => {
    const api = await traceletApi();
    assert.equal(api.coreVersion, CORE_VERSION, 'the host runs the extension built from these sources');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `activationMs is ${api.activationMs}`);
    assert.equal(typeof api.registerPlugin, 'function');
  });

  it('registers exactly the commands its manifest contributes', async () => {
    await traceletApi();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: ContributedCommand[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    // View commands (tracelet.plugins.focus) have a second dot; the extension's own commands do not.
    const registered = (await vscode.commands.getCommands(true)).filter((c) => /^tracelet\.[A-Za-z]+$/.test(c)).sort();
    assert.deepEqual(registered, contributed);
  });

  it('starts the built-in plugins that are on by default, leaves the others off, and none fails', async () => {
    const api = await traceletApi();
    await pluginStates(api, { local: 'active' });
    const builtins = api.listPlugins().filter((p) => p.source === 'builtin');
    assert.ok(builtins.length >= 10, `only ${builtins.length} built-in plugins listed`);
    const on = builtins.filter((p) => p.metadata?.enabledByDefault !== false).map((p) => p.name);
    const states = await pluginStates(api, Object.fromEntries(on.map((name) => [name, 'active'])));
    for (const p of builtins.filter((b) => !on.includes(b.name))) {
      assert.ok(!['active', 'error'].includes(states.get(p.name)!), `${p.name}, off by default, is ${states.get(p.name)}`);
    }
    const status = await api.getStatus();
    assert.equal(status.counts.error, 0, JSON.stringify(status.plugins));
  });
});
