import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');

/** The files `vsce package` would put in the .vsix, as `vsce ls` lists them (nothing is built). */
function packagedFiles(): string[] {
  const out = execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter((line) => line.trim() !== '');
}

/** What a user's VS Code runs or shows; anything else in the package is a mistake. */
const ALLOWED = [
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|SECURITY\.md)$/,
  /^dist\/extension\.js$/,
  /^dist\/tracelet\.d\.ts$/,
  /^dist\/webview\/[a-z]+\.(js|css)$/,
  /^dist\/plugin-template\/[\w./-]+$/,
  /^media\/(icon\.png|tracelet\.svg)$/,
  /^python\/tracelet_bridge\/\w+\.py$/,
];

const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'dist/extension.js',
  'dist/webview/main.js',
  'dist/webview/charts.js',
  'media/icon.png',
  'python/tracelet_bridge/__main__.py',
  'dist/plugin-template/package.json',
];

describe('the .vsix holds what users need and nothing else', () => {
  const files = packagedFiles();

  it('has no file outside the allow-list: no tests, fixtures, sources, source maps, node_modules or virtual environments', () => {
    const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(stray, []);
  });

  it('has every file the extension loads at run time', () => {
    assert.deepEqual(
      REQUIRED.filter((f) => !files.includes(f)),
      [],
    );
  });

  it('has every Python module of the bridge the backends start', () => {
    assert.ok(files.filter((f) => f.startsWith('python/tracelet_bridge/')).length >= 4, files.join('\n'));
    assert.ok(!files.some((f) => f.includes('__pycache__')));
  });
});
