import { installedPackageVersion, parseDependency, satisfies, type DependencyProblem, type DependencyReport } from './dependencies';
import type { PluginMetadata } from './types';
import { CORE_VERSION } from './version';
import { errorText } from './errors';
import { isPythonDependency } from './python/pythonDependencies';

/** What the checker needs to know of another plugin: undefined if none has the name; no version if it failed to load. */
export type PluginLookup = (name: string) => { version: string | undefined } | undefined;

/**
 * Checks `engines.tracelet` and each dependency: a name that is a known plugin is
 * checked against that plugin's version, any other against the npm package
 * Node would resolve from `fromDir`. A Python dependency (`python:wandb>=0.17`) is
 * left to the plugin, which checks it through the interpreter it runs (src/core/python/).
 */
export function checkDependencies(metadata: PluginMetadata, fromDir: string, lookup: PluginLookup): DependencyReport {
  const missing: DependencyProblem[] = [];
  const incompatible: DependencyProblem[] = [];
  const engine = metadata.engines?.tracelet;
  if (engine !== undefined && !satisfies(CORE_VERSION, engine)) {
    incompatible.push({ dependency: `tracelet ${engine}`, kind: 'engine', reason: `needs Tracelet core ${engine}, this is ${CORE_VERSION}` });
  }
  for (const raw of metadata.dependencies) {
    if (isPythonDependency(raw)) continue;
    let spec: ReturnType<typeof parseDependency>;
    try {
      spec = parseDependency(raw);
    } catch (err) {
      incompatible.push({ dependency: raw, kind: 'package', reason: errorText(err) });
      continue;
    }
    const plugin = spec.name === metadata.name ? undefined : lookup(spec.name);
    if (plugin) {
      if (!plugin.version) missing.push({ dependency: raw, kind: 'plugin', reason: `plugin "${spec.name}" failed to load` });
      else if (!satisfies(plugin.version, spec.range))
        incompatible.push({ dependency: raw, kind: 'plugin', reason: `plugin "${spec.name}" is ${plugin.version}, needs ${spec.range}` });
      continue;
    }
    const version = installedPackageVersion(spec.name, fromDir);
    if (version === undefined) missing.push({ dependency: raw, kind: 'package', reason: `neither a plugin nor an npm package "${spec.name}" is installed` });
    else if (!satisfies(version, spec.range))
      incompatible.push({ dependency: raw, kind: 'package', reason: `npm package "${spec.name}" is ${version}, needs ${spec.range}` });
  }
  return { ok: missing.length === 0 && incompatible.length === 0, missing, incompatible };
}
