import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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
  /^dist\/vendor\/(ajv|re2js|semver|systeminformation)\.js$/,
  /^dist\/lazy\/\w+\.js$/,
  /^dist\/tracelet\.d\.ts$/,
  /^dist\/webview\/[a-z]+\.(js|css)$/,
  /^dist\/plugin-template\/[\w./-]+$/,
  /^media\/(icon\.png|tracelet\.svg)$/,
  /^media\/walkthrough\/\w+\.md$/,
  /^dist\/demo\/train\.py$/,
  /^python\/tracelet_bridge\/\w+\.py$/,
];

const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'dist/extension.js',
  'dist/vendor/ajv.js',
  'dist/vendor/re2js.js',
  'dist/vendor/semver.js',
  'dist/vendor/systeminformation.js',
  'dist/lazy/local.js',
  'dist/lazy/stdout.js',
  'dist/lazy/configPanel.js',
  'dist/lazy/seriesPanel.js',
  'dist/lazy/runSession.js',
  'dist/webview/main.js',
  'dist/webview/charts.js',
  'media/icon.png',
  'python/tracelet_bridge/__main__.py',
  'dist/plugin-template/package.json',
  'dist/demo/train.py',
  'media/walkthrough/track.md',
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

describe('what activation loads', () => {
  const dist = path.join(root, 'dist');
  const bundles = [
    'extension.js',
    ...fs
      .readdirSync(path.join(dist, 'lazy'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => `lazy/${f}`),
  ];

  it('no bundle holds a library loaded on first use; each is required from dist/vendor/', () => {
    const texts = bundles.map((f) => fs.readFileSync(path.join(dist, f), 'utf8'));
    for (const lib of ['ajv', 're2js', 'semver', 'systeminformation']) {
      assert.ok(
        texts.some((text) => text.includes(`require("./vendor/${lib}.js")`) || text.includes(`require("../vendor/${lib}.js")`)),
        `no bundle loads ${lib} from dist/vendor/`,
      );
      assert.ok(fs.existsSync(path.join(dist, 'vendor', `${lib}.js`)), `dist/vendor/${lib}.js was not built`);
    }
    // esbuild marks each bundled file with a comment naming it (in the unminified build npm test makes).
    assert.deepEqual(
      texts.flatMap((text) => text.match(/^\/\/ node_modules\/.*$/gm) ?? []),
      [],
    );
  });

  it('every file a bundle requires beside it is in the package', () => {
    const files = packagedFiles();
    for (const bundle of bundles) {
      const text = fs.readFileSync(path.join(dist, bundle), 'utf8');
      for (const [, required] of text.matchAll(/require\("(\.\.?\/[^"]+)"\)/g)) {
        const packaged = path.posix.join('dist', path.posix.dirname(bundle), required!);
        assert.ok(files.includes(packaged), `${bundle} requires ${required}, which is not in the package`);
      }
    }
  });
});
