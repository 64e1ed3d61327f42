// Builds the extension bundle, the plain-Node core bundle, (once it exists) the webview bundle, and the
// plugin author's kit: dist/tracelet.d.ts and the template Create Plugin copies (dist/plugin-template/).
import * as esbuild from 'esbuild';
import dtsBundleGenerator from 'dts-bundle-generator';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  external: ['vscode'],
};

/**
 * Libraries the extension loads only when first needed, each built as its own file in dist/vendor/ and left
 * out of dist/extension.js, so that activation parses none of them: ajv (config validation, once plugins
 * start), semver (the first plugin checked), RE2 (the first user pattern) and systeminformation (never on Linux, where the collectors read /proc).
 * The sources `require` them where they are used (src/core/vendor/load.ts, src/plugins/system/systemInformation.ts).
 */
const VENDOR = {
  'vendor/ajv': 'src/core/vendor/ajv.ts',
  'vendor/re2js': 'src/core/vendor/re2js.ts',
  'vendor/semver': 'src/core/vendor/semver.ts',
  'vendor/systeminformation': 'node_modules/systeminformation/lib/index.js',
};

/** Points the extension bundle's imports of the vendored modules at their files beside it. */
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    build.onResolve({ filter: /^systeminformation$/ }, () => ({ path: './vendor/systeminformation.js', external: true }));
    build.onResolve({ filter: /^\.\/(ajv|re2js|semver)$/ }, (args) =>
      args.resolveDir === path.resolve('src/core/vendor') ? { path: `./vendor/${args.path.slice(2)}.js`, external: true } : undefined,
    );
  },
};

const builds = [
  // TRACELET_BUNDLE=single: every library inside dist/extension.js, as before dist/vendor/ (the activation benchmark's baseline).
  { ...node, entryPoints: { extension: 'src/vscode/extension.ts' }, outdir: 'dist', plugins: process.env.TRACELET_BUNDLE === 'single' ? [] : [vendorExternal] },
  { ...node, entryPoints: VENDOR, outdir: 'dist' },
  { ...node, entryPoints: { core: 'src/core/api.ts' }, outdir: 'dist' },
];
if (existsSync('webview/main.ts')) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    minify: production,
    logLevel: 'info',
    entryPoints: { main: 'webview/main.ts' },
    outdir: 'dist/webview',
  });
}
// The run views (Run view, Compare Runs, Runs table): uPlot and the page, bundled; nothing is loaded from elsewhere.
if (existsSync('webview/charts/main.ts')) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    minify: production,
    logLevel: 'info',
    entryPoints: { charts: 'webview/charts/main.ts' },
    outdir: 'dist/webview',
  });
}

const CONTRACT = 'dist/tracelet.d.ts';

/** The newest modification time of the files under a folder (one an editor removes meanwhile counts as none). */
function newest(dir) {
  return Math.max(0, ...readdirSync(dir, { recursive: true }).map((f) => statSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0));
}

/**
 * What src/core/api.ts exports, as one declaration file plugin authors reference. TypeScript takes some
 * ten seconds over it, so it is made again only when something under src/core is newer.
 */
function buildContract() {
  if (existsSync(CONTRACT) && statSync(CONTRACT).mtimeMs > newest('src/core')) return;
  const [text] = dtsBundleGenerator.generateDtsBundle([{ filePath: 'src/core/api.ts', output: { noBanner: true } }], { preferredConfigPath: 'tsconfig.json' });
  // A plugin author's editor may have no @types/node: the one Node type the signatures use is written
  // out. The unit test compiles the file alone, so any other would fail it.
  const selfContained = text.replaceAll('NodeJS.ProcessEnv', '{ [name: string]: string | undefined }');
  writeFileSync(CONTRACT, `// The Tracelet plugin contract, made by \`npm run build\` from src/core/api.ts: do not edit.\n${selfContained}`);
  console.log(`  ${CONTRACT} written`);
}

function copyTemplate() {
  rmSync('dist/plugin-template', { recursive: true, force: true });
  cpSync('examples/plugin-template', 'dist/plugin-template', { recursive: true });
  // The walkthrough's demo training (Tracelet: Run the Demo Training), shipped so that it runs in any folder.
  cpSync('examples/demo-workspace/train.py', 'dist/demo/train.py');
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
// After the bundles, which make dist/; in watch mode, once at the start.
buildContract();
copyTemplate();
