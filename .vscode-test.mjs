// The integration suite as @vscode/test-cli runs it (`npx vscode-test`, after `npm run build`): VS Code is
// downloaded, the extension is loaded from this folder, and mocha runs test/integration/suite inside its
// extension host. test/integration/runInCodeServer.ts runs the same files with the same options in code-server.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSuite } from './test/integration/bundle.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** A fresh folder for the suite to open: the demo's train.py, and tracking only when a test asks for it. */
function makeWorkspace() {
  const folder = path.join(ROOT, '.vscode-test', 'workspace');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  cpSync(path.join(ROOT, 'examples', 'demo-workspace', 'train.py'), path.join(folder, 'train.py'));
  writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'tracelet.autoTrack.enabled': false, 'tracelet.run.sampleInterval': 500 }, null, 2)}\n`,
  );
  return folder;
}

const suite = {
  files: await bundleSuite(),
  workspaceFolder: makeWorkspace(),
  mocha: { ui: 'bdd', timeout: 120_000, slow: 10_000 },
  // Plugins in the user's own ~/.tracelet/plugins or TRACELET_PLUGIN_PATH play no part.
  env: { TRACELET_PLUGIN_PATH: '' },
  // Only the extension under test (and VS Code's built-ins) runs.
  launchArgs: ['--disable-extensions'],
};

export default defineConfig([
  // The oldest VS Code that engines.vscode admits, and the newest: the API the extension uses exists in both.
  { label: 'minimum', version: '1.93.0', ...suite },
  { label: 'stable', version: 'stable', ...suite },
]);
