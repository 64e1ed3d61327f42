// Bundles each mocha suite (suite/*.test.ts) into dist/integration/<name>.test.js, the files the extension
// host's test runner requires. `vscode` and `mocha` stay outside: the host gives each test file its `vscode`,
// and the suite must share the runner's mocha instance, whose describe/it are set as each file loads.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SUITE_DIR = path.join(HERE, 'suite');
export const OUT_DIR = path.resolve(HERE, '..', '..', 'dist', 'integration');

/** Builds the suite and returns the absolute paths of the test files, in a stable order. */
export async function bundleSuite() {
  const entries = readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  rmSync(OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries.map((f) => path.join(SUITE_DIR, f)),
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return entries.map((f) => path.join(OUT_DIR, f.replace(/\.ts$/, '.js')));
}
