import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { confinedJoin } from './paths/confine';
import { CAPABILITIES, PLUGIN_TYPES, type Capability, type PluginType } from './types';
import { errorText } from './errors';

/** One plugin named in a package's `tracelet.plugins` map. */
export interface PluginEntry {
  /** The key in `tracelet.plugins`; the plugin's metadata name should match it. */
  key: string;
  packageDir: string;
  packageName: string;
  /** Absolute path of the module file. */
  file: string;
  /** Named export holding the plugin; undefined means the module's default export or the module itself. */
  exportName: string | undefined;
  /** What package.json says the plugin is, when it says (the object form); getMetadata() must agree. */
  declared?: PluginDeclaration;
}

/**
 * A plugin as its package.json declares it, so that the host can list it without loading its code:
 * `"name": { "entry": "./index.js:Export", "type": "collector", "capabilities": ["runSampler"] }`.
 */
export interface PluginDeclaration {
  type: PluginType;
  capabilities: Capability[];
}

/** A package that could not be read; it shows as a plugin in `error` state. */
export interface PackageProblem {
  key: string;
  packageDir: string;
  message: string;
}

export interface DiscoveryResult {
  entries: PluginEntry[];
  problems: PackageProblem[];
}

export interface SearchPathOptions {
  pluginPaths?: readonly string[];
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** Explicit paths first, then `TRACELET_PLUGIN_PATH`, then `~/.tracelet/plugins`; duplicates removed. */
export function pluginSearchPaths(options: SearchPathOptions = {}): string[] {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? os.homedir();
  const fromEnv = (env.TRACELET_PLUGIN_PATH ?? '').split(path.delimiter).filter((p) => p.trim() !== '');
  const all = [...(options.pluginPaths ?? []), ...fromEnv, path.join(home, '.tracelet', 'plugins')];
  return [...new Set(all.map((p) => path.resolve(p.startsWith('~') ? path.join(home, p.slice(1)) : p)))];
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await fs.promises.readFile(file, 'utf8')) as unknown;
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const items = await fs.promises.readdir(dir, { withFileTypes: true });
    return items
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => path.join(dir, d.name))
      .sort();
  } catch {
    return [];
  }
}

/** Folders that may be packages: the search folder, its children, and `node_modules/*` (and `@scope/*`). */
async function candidateDirs(searchPath: string): Promise<string[]> {
  const out = [searchPath, ...(await subdirs(searchPath)).filter((d) => path.basename(d) !== 'node_modules')];
  for (const dir of await subdirs(path.join(searchPath, 'node_modules'))) {
    if (path.basename(dir).startsWith('@')) out.push(...(await subdirs(dir)));
    else if (!path.basename(dir).startsWith('.')) out.push(dir);
  }
  return out;
}

function parseTarget(target: unknown): { file: string; exportName: string | undefined } | undefined {
  if (typeof target !== 'string' || target.trim() === '') return undefined;
  const colon = target.lastIndexOf(':');
  if (colon > 0 && !/^[A-Za-z]:[\\/]/.test(target.slice(colon - 1))) {
    return { file: target.slice(0, colon), exportName: target.slice(colon + 1) || undefined };
  }
  return { file: target, exportName: undefined };
}

/** The object form's type and capabilities, or what is wrong with them. */
function readDeclaration(value: Record<string, unknown>): PluginDeclaration | string {
  const { type, capabilities = [] } = value as { type?: unknown; capabilities?: unknown };
  if (!PLUGIN_TYPES.includes(type as PluginType)) return `"type" must be one of ${PLUGIN_TYPES.join(', ')}`;
  if (!Array.isArray(capabilities) || capabilities.some((c) => !(CAPABILITIES as readonly unknown[]).includes(c)))
    return `"capabilities" must list names from ${CAPABILITIES.join(', ')}`;
  return { type: type as PluginType, capabilities: capabilities as Capability[] };
}

async function readPackage(dir: string, result: DiscoveryResult): Promise<void> {
  const manifestPath = path.join(dir, 'package.json');
  let manifest: unknown;
  try {
    manifest = await readJson(manifestPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    result.problems.push({ key: path.basename(dir), packageDir: dir, message: `cannot read ${manifestPath}: ${errorText(err)}` });
    return;
  }
  const pkg = manifest as { name?: unknown; tracelet?: { plugins?: unknown } };
  if (pkg.tracelet === undefined) return;
  const packageName = typeof pkg.name === 'string' ? pkg.name : path.basename(dir);
  const plugins = pkg.tracelet.plugins;
  if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) {
    result.problems.push({
      key: packageName,
      packageDir: dir,
      message: `package ${packageName}: "tracelet.plugins" must map plugin names to "./file.js:ExportName"`,
    });
    return;
  }
  for (const [key, value] of Object.entries(plugins as Record<string, unknown>)) {
    const declared = typeof value === 'object' && value !== null && !Array.isArray(value) ? readDeclaration(value as Record<string, unknown>) : undefined;
    if (typeof declared === 'string') {
      result.problems.push({ key, packageDir: dir, message: `package ${packageName}: entry for "${key}": ${declared}` });
      continue;
    }
    const parsed = parseTarget(declared ? (value as { entry?: unknown }).entry : value);
    if (!parsed) {
      result.problems.push({
        key,
        packageDir: dir,
        message: `package ${packageName}: entry for "${key}" must be "./file.js:ExportName" or { "entry": "./file.js:ExportName", "type": …, "capabilities": […] }`,
      });
      continue;
    }
    let file: string;
    try {
      file = confinedJoin(`package ${packageName}: the entry file of "${key}"`, dir, parsed.file);
    } catch (err) {
      result.problems.push({ key, packageDir: dir, message: errorText(err) });
      continue;
    }
    result.entries.push({ key, packageDir: dir, packageName, file, exportName: parsed.exportName, declared });
  }
}

/** Reads one package folder as discovery does; a folder without a package.json (deleted, say) gives nothing. */
export async function readPluginPackage(dir: string): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { entries: [], problems: [] };
  await readPackage(dir, result);
  return result;
}

/** Finds every plugin package under the search paths. Unreadable packages become problems, never exceptions. */
export async function findPluginPackages(searchPaths: readonly string[]): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { entries: [], problems: [] };
  const seen = new Set<string>();
  for (const searchPath of searchPaths) {
    for (const dir of await candidateDirs(searchPath)) {
      const real = await fs.promises.realpath(dir).catch(() => dir);
      if (seen.has(real)) continue;
      seen.add(real);
      await readPackage(dir, result);
    }
  }
  return result;
}

// A real dynamic import, kept out of reach of bundlers that would turn it into require().
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

/**
 * Node keeps an ES module for the life of the process under its URL and has no way to drop it, so each
 * load asks for a URL of its own: an edited .mjs entry is evaluated again. Modules it imports keep
 * their plain URLs and stay as first loaded.
 */
let esmLoads = 0;

/** Drops the package's modules from Node's cache so "Reload Plugins" picks up edits. */
function forgetModules(packageDir: string): void {
  const prefix = packageDir + path.sep;
  for (const id of Object.keys(require.cache)) {
    if (id.startsWith(prefix) && !id.slice(prefix.length).includes(`node_modules${path.sep}`)) delete require.cache[id];
  }
}

/**
 * A load failure in one line. Node puts a syntax error's location in the first
 * line of the stack; loaders built on esbuild (tsx, for plugin authors running
 * the core under it) report "Transform failed" with the location on the next line.
 */
function describeLoadError(e: Error): string {
  const lines = e.message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (e.name === 'SyntaxError') {
    const line = /^.+:(\d+)$/m.exec(e.stack ?? '')?.[1];
    return `syntax error${line ? ` on line ${line}` : ''}: ${lines[0] ?? ''}`;
  }
  const transform = lines[0]?.startsWith('Transform failed') ? /:(\d+):\d+: ERROR: (.*)$/.exec(lines[1] ?? '') : null;
  if (transform) return `syntax error on line ${transform[1]}: ${transform[2]}`;
  return lines[0] ?? e.name;
}

/**
 * An ES module's evaluation may wait forever (a top-level await on something that never comes): discovery gives
 * up on it after `timeoutMs`, so that the other plugins load and start; its evaluation goes on unheard.
 */
async function importWithin(file: string, timeoutMs: number): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`its module did not finish loading within ${timeoutMs} ms (a top-level await still waiting)`)), timeoutMs);
  });
  try {
    return await Promise.race([importModule(`${pathToFileURL(file).href}?load=${++esmLoads}`), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Loads the module and returns the export the entry names. Throws with a message naming the file. */
export async function loadPluginExport(entry: PluginEntry, timeoutMs: number): Promise<unknown> {
  forgetModules(entry.packageDir);
  let mod: Record<string, unknown>;
  try {
    mod = entry.file.endsWith('.mjs') ? await importWithin(entry.file, timeoutMs) : (require(entry.file) as Record<string, unknown>);
  } catch (err) {
    throw new Error(`failed to load ${entry.file}: ${describeLoadError(err as Error)}`);
  }
  if (entry.exportName === undefined) return mod.default ?? mod;
  if (!(entry.exportName in mod)) {
    const names = Object.keys(mod).join(', ') || 'nothing';
    throw new Error(`${entry.file} has no export "${entry.exportName}" (it exports ${names})`);
  }
  return mod[entry.exportName];
}
