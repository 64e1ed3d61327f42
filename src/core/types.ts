export type PluginType = 'backend' | 'collector' | 'framework' | 'processor';
export const PLUGIN_TYPES: readonly PluginType[] = ['backend', 'collector', 'framework', 'processor'];

/** What a plugin can do beyond its type (plugin.ts documents each and its interface). */
export const CAPABILITIES = [
  'outputParser',
  'fileSource',
  'runSampler',
  'processTree',
  'runContext',
  'statusReadout',
  'runStore',
  'processor',
  'connectionTest',
  'tensorboardLogs',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Where a plugin is in its life; `error` can be reached from any other state. */
export type PluginState = 'discovered' | 'loaded' | 'validated' | 'initialized' | 'active' | 'stopped' | 'error';
export const PLUGIN_STATES: readonly PluginState[] = ['discovered', 'loaded', 'validated', 'initialized', 'active', 'stopped', 'error'];

/** A problem with one field of a plugin's config, as validation, the form and the Plugins view show it. */
export interface ConfigError {
  /** JSON Pointer to the field (`/timeout`, `/auth/token`); `''` for the config as a whole. */
  path: string;
  message: string;
}

/** A JSON Schema object, or the seed's shorthand map of field name to field spec. */
export type ConfigSchema = Record<string, unknown>;

export interface PluginMetadata {
  name: string;
  version: string;
  description: string;
  author: string;
  pluginType: PluginType;
  entryPoint: string;
  /**
   * `"pkg>=1.2"`, `"pkg@^1.2"`, `"other_plugin@^1.0"`; a name is a plugin if one is registered under it, an npm package otherwise.
   * `"python:wandb>=0.17"` is a Python package (PEP 440), checked through the interpreter the plugin runs (src/core/python/).
   */
  dependencies: string[];
  configSchema: ConfigSchema;
  engines?: { tracelet?: string };
  /** What the host may use the plugin for; see plugin.ts. Default: none beyond its type. */
  capabilities: Capability[];
  /** Prefix of the metric names it adds to a run (runSampler, fileSource); default its name. */
  metricPrefix: string;
  /** False for a plugin that starts only once enabled in settings (a tracker the user may not have); default true. */
  enabledByDefault: boolean;
}

export type Awaitable<T> = T | Promise<T>;
export type PluginConfig = Record<string, unknown>;
export type PluginStatus = Record<string, unknown>;

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** One logged value. `time` is milliseconds since the epoch. */
export interface MetricPoint {
  name: string;
  value: number;
  step?: number;
  time: number;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed' | 'stopped' | 'crashed';

/** What a backend learns about the run it records; a backend instance records one run, like Tracelet's. */
export interface RunInfo {
  id: string;
  name: string;
  /** The command line as typed. */
  command: string;
  cwd: string;
  /** Milliseconds since the epoch. */
  startTime: number;
  host: string;
  user: string;
  /** Source command, git commit and the like; backends map them to their own tags. */
  tags: Record<string, string>;
}

/** What the host hands a plugin in `initialize`, instead of globals. */
export interface PluginContext {
  readonly pluginName: string;
  readonly logger: Logger;
  /** A folder the plugin may write to; created on first use by the plugin. */
  readonly storageDir: string;
  readonly coreVersion: string;
  /** Set when the instance was made to record one run. */
  readonly run?: RunInfo;
  /**
   * False while the workspace is not trusted (VS Code's Restricted Mode): the plugin must then start no
   * program from the workspace and follow none of its configuration that could run one (a repository's
   * git config, a virtual environment). Plugins are restarted when trust is granted. Undefined (a host
   * outside VS Code, a test) counts as trusted.
   */
  readonly trusted?: boolean;
  /** The open workspace folders (file system paths), for plugins that report on them; empty outside VS Code. */
  readonly workspaceFolders?: readonly string[];
}

export interface Disposable {
  dispose(): void;
}
