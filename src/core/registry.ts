import type { DependencyReport } from './dependencies';
import type { PluginDeclaration } from './discovery';
import type { PluginLike } from './plugin';
import type { JsonSchema } from './schema';
import type { PluginFactory } from './shape';
import type { PluginMetadata, PluginState, PluginType } from './types';
import type { ConfigError } from './types';

/** Why a plugin is in `error`: decides what the UI offers (e.g. "Configure" for `config`). */
export type PluginErrorKind = 'load' | 'metadata' | 'dependency' | 'config' | 'runtime';

/** Where a plugin came from: shipped with the extension, registered through the API, or a package folder. */
export type PluginSource = 'builtin' | 'api' | 'package';

/** What `listPlugins()` returns for each plugin. */
export interface PluginInfo {
  name: string;
  type: PluginType | undefined;
  version: string | undefined;
  description: string;
  metadata: PluginMetadata | undefined;
  state: PluginState;
  error: string | undefined;
  errorKind: PluginErrorKind | undefined;
  /** Field-level problems when `errorKind` is `config`. */
  configErrors: ConfigError[];
  /** A shell command that fixes the error (e.g. installing a missing Python package), when the plugin's error named one. */
  fix?: string;
  source: PluginSource;
  /** Folder of the plugin package, for `package` plugins. */
  packageDir: string | undefined;
  dependencies: DependencyReport | undefined;
  /** What its package.json declares, for a package plugin that declares it. */
  declared?: PluginDeclaration;
}

/** The manager's private record of one plugin. */
export interface PluginRecord {
  name: string;
  source: PluginSource;
  packageDir: string | undefined;
  exported: unknown;
  factory: PluginFactory | undefined;
  metadata: PluginMetadata | undefined;
  schema: JsonSchema | undefined;
  instance: PluginLike | undefined;
  /** The validated config (defaults applied) of the last successful initialize. */
  config: Record<string, unknown>;
  state: PluginState;
  error: string | undefined;
  errorKind: PluginErrorKind | undefined;
  configErrors: ConfigError[];
  fix: string | undefined;
  dependencies: DependencyReport | undefined;
  declared: PluginDeclaration | undefined;
}

export function newRecord(name: string, source: PluginSource, packageDir?: string): PluginRecord {
  return {
    name,
    source,
    packageDir,
    exported: undefined,
    factory: undefined,
    metadata: undefined,
    schema: undefined,
    instance: undefined,
    config: {},
    state: 'discovered',
    error: undefined,
    errorKind: undefined,
    configErrors: [],
    fix: undefined,
    dependencies: undefined,
    declared: undefined,
  };
}

export function toInfo(r: PluginRecord): PluginInfo {
  return {
    name: r.name,
    type: r.metadata?.pluginType ?? r.declared?.type,
    version: r.metadata?.version,
    description: r.metadata?.description ?? '',
    metadata: r.metadata,
    state: r.state,
    error: r.error,
    errorKind: r.errorKind,
    configErrors: r.configErrors,
    ...(r.fix ? { fix: r.fix } : {}),
    source: r.source,
    packageDir: r.packageDir,
    dependencies: r.dependencies,
    declared: r.declared,
  };
}
