import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PluginManager, type StartOutcome, type StateChange } from '../core/manager';
import type { PluginInfo } from '../core/registry';
import type { Disposable } from '../core/types';
import { BUILTIN_PLUGINS } from '../plugins/builtins';
import { Settings } from './settings';

/**
 * Owns the plugin manager for the window. A reload builds a new manager so that
 * changed plugin paths and edited plugin files take effect; plugins registered
 * through the extension API are carried over.
 */
export class PluginHost implements vscode.Disposable {
  private current: PluginManager;
  private readonly apiPlugins: unknown[] = [];
  private readonly changed = new vscode.EventEmitter<StateChange | undefined>();
  private subscription: Disposable | undefined;
  private reloading: Promise<void> = Promise.resolve();

  /** Fires on any plugin state change, and with `undefined` after a reload. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
    private readonly storageRoot: string,
  ) {
    this.current = this.createManager();
  }

  get manager(): PluginManager {
    return this.current;
  }

  list(): PluginInfo[] {
    return this.current.listPlugins();
  }

  /** Registers a plugin from another extension and starts it if enabled. */
  async register(pluginClass: unknown): Promise<PluginInfo> {
    this.apiPlugins.push(pluginClass);
    const info = this.current.registerPlugin(pluginClass, 'api');
    this.changed.fire(undefined);
    if (info.state === 'validated' && this.settings.plugin(info.name).enabled) await this.startAll([info.name]);
    return this.current.getPluginInfo(info.name) ?? info;
  }

  /** Stops everything, rediscovers plugins and starts the enabled ones. Calls are serialised. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    const old = this.current;
    const stopErrors = await old.stopAll();
    for (const [name, error] of Object.entries(stopErrors)) this.log.warn(`while reloading, ${name}: ${error}`);
    this.subscription?.dispose();
    old.dispose();
    this.current = this.createManager();
    const started = Date.now();
    const plugins = await this.current.discoverPlugins();
    for (const p of this.apiPlugins) this.current.registerPlugin(p, 'api');
    const startable = this.current.listPlugins().filter((p) => p.state === 'validated').map((p) => p.name);
    const outcomes = await this.startAll(startable);
    const active = Object.values(outcomes).filter((o) => o.ok).length;
    const failing = this.current.listPlugins().filter((p) => p.state === 'error').length;
    this.log.info(`Plugin manager started with ${this.current.listPlugins().length} plugins: ${active} active, ${failing} in error (${Date.now() - started} ms)`);
    if (plugins.length === 0) this.log.warn('no plugins found');
    this.changed.fire(undefined);
  }

  private async startAll(names: readonly string[]): Promise<Record<string, StartOutcome>> {
    const configs: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      const setting = this.settings.plugin(name);
      if (setting.enabled) configs[name] = setting.config as Record<string, unknown>;
      else this.log.info(`[${name}] disabled in settings (tracelet.plugins.${name}.enabled)`);
    }
    return this.current.startPlugins(configs);
  }

  private searchPaths(): string[] {
    const paths = this.settings.pluginPaths();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = path.join(folder.uri.fsPath, '.tracelet', 'plugins');
      if (!fs.existsSync(dir)) continue;
      if (vscode.workspace.isTrusted) paths.push(dir);
      else this.log.warn(`workspace plugins in ${dir} not loaded: the workspace is not trusted`);
    }
    return paths;
  }

  private createManager(): PluginManager {
    const manager = new PluginManager({
      builtins: BUILTIN_PLUGINS,
      pluginPaths: this.searchPaths(),
      timeoutMs: this.settings.pluginTimeout(),
      logger: this.log,
      storageRoot: this.storageRoot,
    });
    this.subscription = manager.onDidChangeState((e) => this.changed.fire(e));
    return manager;
  }

  /** Stops every plugin; VS Code waits for this when the window closes (see deactivate). */
  async shutdown(): Promise<void> {
    await this.reloading.catch(() => undefined);
    const errors = await this.current.stopAll();
    for (const [name, error] of Object.entries(errors)) this.log.warn(`while shutting down, ${name}: ${error}`);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
