import type { PluginMetadataInput } from './plugin';
import type { Logger, PluginState, PluginStatus, PluginType } from './types';

/**
 * A plugin shipped with the host whose code is loaded only when first needed: it is listed, configured and
 * validated from `metadata` (what its getMetadata() returns), and `load()` is called when the first instance
 * is made, to return its class or object. Without `metadata`, it is loaded when discovered.
 */
export interface DeclaredPlugin {
  metadata?: PluginMetadataInput;
  load(): unknown;
}

export interface PluginManagerOptions {
  /** Plugin classes or objects shipped with the host; registered by `discoverPlugins()`. */
  builtins?: readonly unknown[];
  /** Plugins shipped with the host and known by their declaration; registered by `discoverPlugins()` after `builtins`. */
  declared?: readonly DeclaredPlugin[];
  /** Folders searched before `TRACELET_PLUGIN_PATH` and `~/.tracelet/plugins`. */
  pluginPaths?: readonly string[];
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** How long one call into a plugin may take; default 10 s. */
  timeoutMs?: number;
  logger?: Logger;
  /** Parent of each plugin's storage folder; default `<tmp>/tracelet-plugins`. */
  storageRoot?: string;
  /** Whether the workspace is trusted, as plugins see it in their context (PluginContext.trusted); default trusted. */
  isTrusted?: () => boolean;
  /** The workspace folders, as plugins see them in their context; default none. */
  workspaceFolders?: () => readonly string[];
}

export interface StateChange {
  name: string;
  previous: PluginState;
  state: PluginState;
  error: string | undefined;
}

export interface StartOutcome {
  ok: boolean;
  state: PluginState;
  error?: string;
}

export interface ManagerStatus {
  counts: Record<PluginState, number>;
  plugins: Record<
    string,
    { type: PluginType | undefined; version: string | undefined; state: PluginState; error: string | undefined; status: PluginStatus | undefined }
  >;
}
