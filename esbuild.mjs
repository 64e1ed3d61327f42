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

/** The path a bundle in `fromDir` requires `target` (a path under dist/, without .js) by. */
function requirePath(fromDir, target) {
  const relative = path.relative(fromDir, path.join('dist', target)).split(path.sep).join('/');
  return `${relative.startsWith('.') ? '' : './'}${relative}.js`;
}

/** Points a bundle's imports of the vendored modules at their files in dist/vendor/; `fromDir` is where the bundle is written. */
function vendorExternal(fromDir) {
  return {
    name: 'vendor-external',
    setup(build) {
      build.onResolve({ filter: /^systeminformation$/ }, () => ({ path: requirePath(fromDir, 'vendor/systeminformation'), external: true }));
      build.onResolve({ filter: /^\.\/(ajv|re2js|semver)$/ }, (args) =>
        args.resolveDir === path.resolve('src/core/vendor') ? { path: requirePath(fromDir, `vendor/${args.path.slice(2)}`), external: true } : undefined,
      );
    },
  };
}

/**
 * Parts of the extension loaded when first needed, each built as its own file in dist/lazy/: every built-in
 * plugin (when it is started or tested; src/plugins/builtins.ts), the run views and the configuration form
 * (when one opens), a run's session (when a run starts) and the recovery of unfinished runs (after the
 * plugins start). A source `require`s the module where it is first needed (src/vscode/lazy.ts), typed by an
 * `import type`; static imports are bundled as usual. esbuild cannot split CommonJS, so a module both sides
 * import is in both files: state that must be one per process (a registry, a cache others read) belongs on
 * one side and is handed to the other (test/unit/bundles.test.ts checks what is shared).
 */
const LAZY = {
  'lazy/local': 'src/plugins/local/localBackend.ts',
  'lazy/system': 'src/plugins/system/systemCollector.ts',
  'lazy/git': 'src/plugins/git/gitCollector.ts',
  'lazy/environment': 'src/plugins/environment/environmentCollector.ts',
  'lazy/process': 'src/plugins/process/processCollector.ts',
  'lazy/gpu': 'src/plugins/gpu/gpuCollector.ts',
  'lazy/stdout': 'src/plugins/stdout/stdoutFramework.ts',
  'lazy/mlflow': 'src/plugins/mlflow/mlflowBackend.ts',
  'lazy/pythonBridge': 'src/plugins/pythonBridgePlugins.ts',
  'lazy/tensorboard': 'src/plugins/tensorboard/tensorboardBackend.ts',
  'lazy/tfevents': 'src/plugins/tensorboard/tfeventsSource.ts',
  'lazy/lightningCsv': 'src/plugins/csv/lightningCsvSource.ts',
  'lazy/rate': 'src/plugins/processors/rateProcessor.ts',
  'lazy/rename': 'src/plugins/processors/renameProcessor.ts',
  'lazy/configPanel': 'src/vscode/config/configPanel.ts',
  'lazy/seriesPanel': 'src/vscode/views/seriesPanel.ts',
  'lazy/runsTablePanel': 'src/vscode/views/runsTablePanel.ts',
  'lazy/runSession': 'src/core/run/runSession.ts',
  'lazy/recovery': 'src/core/pipeline/recovery.ts',
  'lazy/tensorboardLauncher': 'src/plugins/tensorboard/tensorboardLauncher.ts',
  'lazy/createPlugin': 'src/vscode/authoring/createPlugin.ts',
  'lazy/runHandlers': 'src/vscode/runs/runHandlers.ts',
  'lazy/statusBar': 'src/vscode/statusBar.ts',
};
const lazyNames = new Map(Object.entries(LAZY).map(([name, file]) => [path.resolve(file), name]));

/** A `require` of a module in LAZY loads its file in dist/lazy/; any other `require` of a source file is a mistake. */
function lazyExternal(fromDir) {
  return {
    name: 'lazy-external',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'require-call') return undefined;
        const resolved = await build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir });
        const name = lazyNames.get(resolved.path);
        if (name) return { path: requirePath(fromDir, name), external: true };
        return { errors: [{ text: `require('${args.path}') in ${args.importer} is of no module in LAZY (esbuild.mjs): list it there, or import it` }] };
      });
    },
  };
}

/**
 * Each file's `import * as vscode from 'vscode'` (or of a Node module) becomes a copy of every property of the
 * module when the bundle loads, some twenty copies of VS Code's API alone; through one re-exporting module
 * per external, the bundle copies each once.
 */
const externalsOnce = {
  name: 'externals-once',
  setup(build) {
    build.onResolve({ filter: /^(vscode|node:[\w/]+)$/ }, (args) =>
      args.namespace === 'externals-once' ? { path: args.path, external: true } : { path: args.path, namespace: 'externals-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'externals-once' }, (args) => ({ contents: `export * from '${args.path}';`, loader: 'js' }));
  },
};

const single = process.env.TRACELET_BUNDLE === 'single';
const builds = [
  // TRACELET_BUNDLE=single: every library and lazy part inside dist/extension.js, as before dist/vendor/ and
  // dist/lazy/ (the activation benchmark's baseline).
  {
    ...node,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    metafile: true,
    plugins: single ? [] : [externalsOnce, vendorExternal('dist'), lazyExternal('dist')],
  },
  { ...node, entryPoints: VENDOR, outdir: 'dist' },
  ...(single
    ? []
    : [{ ...node, entryPoints: LAZY, outdir: 'dist', metafile: true, plugins: [externalsOnce, vendorExternal('dist/lazy'), lazyExternal('dist/lazy')] }]),
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

/**
 * dist/bundles.json: each file the extension loads (dist/extension.js, dist/lazy/*.js) with its size and the
 * sources inside it, for test/unit/bundles.test.ts (what activation loads, what two files both hold).
 */
function writeBundleMap(results) {
  const bundles = {};
  for (const { metafile } of results.filter((r) => r.metafile)) {
    for (const [file, output] of Object.entries(metafile.outputs)) {
      if (!file.endsWith('.js')) continue;
      bundles[file] = {
        bytes: output.bytes,
        sources: Object.keys(output.inputs)
          .filter((input) => output.inputs[input].bytesInOutput > 0)
          .sort(),
      };
    }
  }
  writeFileSync('dist/bundles.json', `${JSON.stringify(bundles, null, 1)}\n`);
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
  // A part no longer in LAZY must not linger in dist/lazy/ (nor be packaged).
  rmSync('dist/lazy', { recursive: true, force: true });
  writeBundleMap(await Promise.all(builds.map((options) => esbuild.build(options))));
}
// After the bundles, which make dist/; in watch mode, once at the start.
buildContract();
copyTemplate();
