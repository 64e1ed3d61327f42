import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_AUTO_TRACK_PATTERNS } from '../core/run/autoTrack';
import type { RouteRule } from '../core/pipeline/routing';
import { DEFAULT_OUTPUT_LOG_MAX_MB } from '../core/output/outputFiles';
import { parseFsyncPolicy, type FsyncPolicy } from '../core/store/fsyncPolicy';
import { normaliseStatusBarSettings, type StatusBarSettings } from './statusBarSettings';
import { PLUGIN_ENTRIES_KEY, PLUGIN_RELOAD_KEYS, RESTRICTED_KEYS } from './settingKeys';

export interface PluginSetting {
  /** As settings say; undefined when they do not, and the plugin's `enabledByDefault` decides. */
  enabled: boolean | undefined;
  /** As written in settings.json; the plugin manager validates it against the plugin's schema. */
  config: unknown;
}

function expand(p: string, folder: string | undefined): string {
  let out = p.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  return folder && !path.isAbsolute(out) ? path.resolve(folder, out) : out;
}

/** Paths from a setting, and whether they came from the workspace (whose paths must stay inside it). */
export interface SettingPaths {
  paths: string[];
  fromWorkspace: boolean;
}

const RESTRICTED: ReadonlySet<string> = new Set(RESTRICTED_KEYS);

/**
 * Typed reads of the extension's settings. A restricted setting (settingKeys.ts) is read with trust in
 * mind: VS Code already leaves its workspace values out in Restricted Mode, and this class does the
 * same on its own, so that no later refactoring can let a cloned folder's settings through.
 */
export class Settings {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('tracelet');
  }

  private read<T>(key: string): T | undefined {
    if (vscode.workspace.isTrusted || !RESTRICTED.has(`tracelet.${key}`)) return this.section.get<T>(key);
    const inspected = this.section.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }

  /** True when the value in force comes from the workspace or a folder (only possible once trusted, for restricted keys). */
  private fromWorkspace(key: string): boolean {
    if (!vscode.workspace.isTrusted && RESTRICTED.has(`tracelet.${key}`)) return false;
    const inspected = this.section.inspect(key);
    return inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined;
  }

  pluginPaths(): string[] {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return (this.read<unknown[]>('pluginPaths') ?? []).filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => expand(p, folder));
  }

  pluginTimeout(): number {
    return Math.max(100, this.section.get<number>('pluginTimeout') ?? 10_000);
  }

  /** Per-plugin settings; an entry that is not an object counts as no entry. */
  plugin(name: string): PluginSetting {
    const all = this.read<Record<string, unknown>>('plugins') ?? {};
    const entry = all[name];
    if (typeof entry !== 'object' || entry === null) return { enabled: undefined, config: {} };
    const { enabled, config } = entry as { enabled?: unknown; config?: unknown };
    return {
      enabled: typeof enabled === 'boolean' ? enabled : undefined,
      // VS Code hands out configuration values as read-only proxies, which structuredClone (used when
      // the config is validated and given to the plugin) cannot copy: the plugin gets a plain copy.
      config: config === undefined ? {} : (JSON.parse(JSON.stringify(config)) as unknown),
    };
  }

  /** The plugin's `config` in the user's own settings, whatever the workspace says: what a legacy secret is bound to. */
  userPluginConfig(name: string): unknown {
    const user = this.section.inspect<Record<string, unknown>>('plugins')?.globalValue;
    const entry = user?.[name];
    return typeof entry === 'object' && entry !== null ? (entry as { config?: unknown }).config : undefined;
  }

  autoTrackEnabled(): boolean {
    return this.read<boolean>('autoTrack.enabled') ?? true;
  }

  autoTrackPatterns(): string[] {
    const patterns = this.read<unknown[]>('autoTrack.patterns');
    return Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === 'string') : [...DEFAULT_AUTO_TRACK_PATTERNS];
  }

  runSampleInterval(): number {
    const ms = this.section.get<number>('run.sampleInterval') ?? 5000;
    return ms <= 0 ? 0 : Math.max(250, ms);
  }

  /** Machine-scoped: only the user's (or the remote machine's) value applies, as durability is the machine's matter. */
  runFsync(): FsyncPolicy {
    return parseFsyncPolicy(this.section.get<unknown>('run.fsync'));
  }

  /** output.log's cap in bytes (0: no output kept); machine-scoped like fsync: what is kept of the user's output is the user's choice. */
  runOutputLogMaxBytes(): number {
    const value = this.section.get<unknown>('run.outputLogMaxMB');
    return typeof value === 'number' && Number.isFinite(value)
      ? Math.round(Math.min(Math.max(value, 0), 64) * 1024 * 1024)
      : DEFAULT_OUTPUT_LOG_MAX_MB * 1024 * 1024;
  }

  /**
   * `tracelet.python.interpreter`: the user's (or remote machine's) value only, never a workspace's, whatever
   * the trust: it names the program the W&B, ClearML and Aim bridges start. `~` is expanded.
   */
  pythonInterpreter(): string | undefined {
    const value = this.section.inspect<unknown>('python.interpreter')?.globalValue;
    return typeof value === 'string' && value.trim() !== '' ? expand(value.trim(), undefined) : undefined;
  }

  logFolders(): SettingPaths {
    const folders = this.read<unknown[]>('run.logFolders');
    const paths = Array.isArray(folders) ? folders.filter((p): p is string => typeof p === 'string') : ['runs', 'lightning_logs', 'logs'];
    return { paths, fromWorkspace: this.fromWorkspace('run.logFolders') };
  }

  paramsFiles(): SettingPaths {
    const paths = (this.read<unknown[]>('run.paramsFiles') ?? []).filter((p): p is string => typeof p === 'string');
    return { paths, fromWorkspace: this.fromWorkspace('run.paramsFiles') };
  }

  routes(): RouteRule[] {
    const raw = this.read<unknown[]>('routes') ?? [];
    return raw.filter((r): r is RouteRule => typeof r === 'object' && r !== null && typeof (r as RouteRule).backend === 'string');
  }

  /** True when the change needs a plugin reload; other settings apply live where they are read. */
  static affects(event: vscode.ConfigurationChangeEvent): boolean {
    return PLUGIN_RELOAD_KEYS.some((key) => event.affectsConfiguration(key));
  }

  /** The status-bar readout's settings, cleaned and with defaults (statusBarSettings.ts). */
  statusBar(): StatusBarSettings {
    const get = (key: string): unknown => this.section.get<unknown>(`statusBar.${key}`);
    return normaliseStatusBarSettings({
      enabled: get('enabled'),
      interval: get('interval'),
      fields: get('fields'),
      thresholds: get('thresholds'),
      pauseWhenUnfocused: get('pauseWhenUnfocused'),
    });
  }

  /** True when a `tracelet.statusBar.*` setting changed: the status bar applies it live, no plugin reload. */
  static affectsStatusBar(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration('tracelet.statusBar');
  }

  /** True when `tracelet.plugins` changed: the host restarts just the plugins whose entry changed. */
  static affectsPluginEntries(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration(PLUGIN_ENTRIES_KEY);
  }
}
