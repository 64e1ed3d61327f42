import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pluginSearchPaths } from '../discovery';
import { Emitter } from '../events';
import type { ConfigError } from '../types';
import { getAt, isPlainObject, parsePointer } from '../form/jsonPointer';
import { PluginManager } from '../manager';
import type { PluginManagerOptions, StartOutcome, StateChange } from '../managerTypes';
import { ProcessorMeter, type ProcessorCost, type ProcessorCostSummary } from '../pipeline/processors';
import type { PluginInfo } from '../registry';
import { normaliseSchema, secretPaths } from '../schema';
import { mergeSecrets, redactValues, secretsPresent } from '../secrets/configSecrets';
import { destinationOf, secretDestinations, secretUse, type StoredSecret } from '../secrets/secretBinding';
import type { Disposable, Logger, PluginState } from '../types';
import { validateAgainstSchema } from '../validate';
import { errorText } from '../errors';

/** What the runtime reads of the settings: per plugin, its enablement and config. */
export interface HostSettings {
  plugin(name: string): { enabled: boolean | undefined; config: unknown };
  /** The plugin's config in the user's own settings (not the workspace's): what a legacy secret is bound to. */
  userPluginConfig(name: string): unknown;
}

/** Where the runtime reads a plugin's secrets (VS Code's SecretStorage); they are never in settings. */
export interface HostSecrets {
  readStored(pluginName: string, pointers: readonly string[]): Promise<Record<string, StoredSecret>>;
  store(pluginName: string, pointer: string, secret: StoredSecret): Promise<void>;
}

/** A plugin's config as the host starts it: secrets merged where they may go, and why any was held back. */
export interface PreparedConfig {
  config: unknown;
  problems: ConfigError[];
}

/** What settings and secrets ask of a plugin now. */
interface Desired {
  enabled: boolean;
  config: unknown;
  problems: ConfigError[];
  hash: string;
}

/** What a plugin was last started (or stopped) with: a hash, so that no secret is kept in the clear. */
interface Applied {
  hash: string;
  seq: number;
}

/** What the runtime needs from its host. */
export interface RuntimeOptions {
  settings: HostSettings;
  secrets?: HostSecrets;
  /** The log as the host keeps it; the runtime masks every known secret value in what plugins and the manager write. */
  log: Logger;
  /** Options for each new manager (search paths, timeout, storage, trust, folders); the runtime adds the logger. */
  managerOptions: () => Omit<PluginManagerOptions, 'logger'>;
}

/**
 * Owns the plugin manager of a window, without VS Code: a reload builds a new manager so that changed
 * plugin paths and edited plugin files take effect (plugins registered through the API are carried
 * over); operations are queued one after another; a settings change restarts only the plugins whose
 * settings or secrets changed (compared by hash, so no secret is kept in the clear); secrets are merged
 * only where they are bound to go, and masked in everything logged.
 */
export class PluginRuntime {
  private current: PluginManager;
  private readonly apiPlugins: unknown[] = [];
  protected readonly changed = new Emitter<StateChange | undefined>();
  private subscription: Disposable | undefined;
  private reloading: Promise<unknown> = Promise.resolve();
  /** Settles when the last reload queued (of all or of one package) has found its plugins. */
  private discovery: Promise<void> = Promise.resolve();
  /** Per plugin, the settings and secrets it runs with; a settings change restarts only the plugins it changes. */
  private readonly applied = new Map<string, Applied>();
  private seq = 0;
  /** Secret values the host has handed to plugins, kept in memory only so that the log can mask them. */
  private readonly secretValues = new Set<string>();
  /** The log as plugins and the manager write to it: any known secret value is masked. */
  private readonly pluginLog: Logger;

  /** Fires on any plugin state change, and with `undefined` after a reload or new processor costs. */
  readonly onDidChange = this.changed.event;
  /** What processors cost in this window's runs, shown in the Plugins view. */
  private readonly meter = new ProcessorMeter();

  private readonly settings: HostSettings;
  private readonly secrets: HostSecrets | undefined;
  protected readonly log: Logger;

  constructor(private readonly options: RuntimeOptions) {
    this.settings = options.settings;
    this.secrets = options.secrets;
    const log = (this.log = options.log);
    const mask = (m: string): string => this.mask(m);
    this.pluginLog = {
      trace: (m) => log.trace(mask(m)),
      debug: (m) => log.debug(mask(m)),
      info: (m) => log.info(mask(m)),
      warn: (m) => log.warn(mask(m)),
      error: (m) => log.error(mask(m)),
    };
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
    if (info.state === 'validated' && this.isEnabled(info.name)) await this.startAll([info.name]);
    return this.current.getPluginInfo(info.name) ?? info;
  }

  /** Stops everything, rediscovers plugins and starts the enabled ones. Calls are serialised. */
  reload(): Promise<void> {
    return this.enqueueDiscovery((found) => this.doReload(found));
  }

  /**
   * Loads one plugin package again after its files changed and starts its enabled plugins with their
   * settings and secrets; every other plugin goes on untouched. Queued like reload().
   */
  reloadPackage(packageDir: string): Promise<PluginInfo[]> {
    return this.enqueueDiscovery(async (found) => {
      const began = Date.now();
      const dir = path.resolve(packageDir);
      for (const p of this.current.listPlugins()) if (p.packageDir === dir) this.applied.delete(p.name);
      const loaded = await this.current.reloadPackage(dir);
      found();
      await this.startAll(loaded.filter((p) => p.state === 'validated').map((p) => p.name));
      const plugins = loaded.map((p) => this.current.getPluginInfo(p.name) ?? p);
      // A plugin's error is already in the log, from the manager.
      const states = plugins.map((p) => `${p.name} ${p.state}`).join(', ') || 'no plugins';
      this.log.info(`reloaded the plugin package ${dir}: ${states} (${Date.now() - began} ms)`);
      this.changed.fire(undefined);
      return plugins;
    });
  }

  /** The folders searched for plugin packages now, in order. */
  pluginFolders(): string[] {
    return pluginSearchPaths(this.options.managerOptions());
  }

  /**
   * Resolves once every reload, restart and sync queued so far has run, so that the plugins are as the
   * settings say: a run that starts while the window is still starting its plugins waits for its store
   * and backends rather than going elsewhere without them.
   */
  async settled(): Promise<void> {
    await this.reloading;
  }

  /**
   * Resolves once every reload queued so far has found its plugins, which may still be starting. Until then the
   * list lacks plugins that will be back (a reload starts from an empty manager, a package reload forgets the
   * package's plugins first).
   */
  discovered(): Promise<void> {
    return this.discovery;
  }

  /** Queues a reload that calls `found` once its plugins are known (or ends without it). */
  private enqueueDiscovery<T>(op: (found: () => void) => Promise<T>): Promise<T> {
    let found = (): void => undefined;
    this.discovery = new Promise<void>((resolve) => (found = resolve));
    const done = this.enqueue(() => op(found));
    void done.then(
      () => found(),
      () => found(),
    );
    return done;
  }

  /** Runs after every reload, restart and sync queued before it; a failure does not block the queue. */
  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.reloading.catch(() => undefined).then(op);
    this.reloading = next.catch(() => undefined);
    return next;
  }

  /**
   * The plugin's config from settings with its stored secrets merged in, each only where it is bound
   * to go (secretBinding.ts): a secret saved for another server is held back and named in `problems`.
   */
  async configFor(name: string, config: unknown = this.settings.plugin(name).config): Promise<PreparedConfig> {
    const schema = normaliseSchema(this.current.getPluginInfo(name)?.metadata?.configSchema);
    const pointers = secretPaths(schema);
    if (pointers.length === 0 || !isPlainObject(config)) return { config, problems: [] };
    const inSettings = secretsPresent(config, pointers);
    if (inSettings.length > 0) {
      this.log.warn(
        `[${name}] secret ${inSettings.join(', ')} is written in settings; store it with "Tracelet: Configure Plugin" instead (a stored secret takes precedence)`,
      );
    }
    let stored: Record<string, StoredSecret> = {};
    try {
      stored = (await this.secrets?.readStored(name, pointers)) ?? {};
    } catch (err) {
      this.log.error(`[${name}] could not read its secrets from the secret storage: ${errorText(err)}`);
    }
    this.rememberSecrets(Object.values(stored).map((s) => s.value));
    const destinations = secretDestinations(schema);
    // The destination in force, defaults included (a plugin may default its server).
    const effective = validateAgainstSchema(schema, config).config;
    const use: Record<string, string> = {};
    const problems: ConfigError[] = [];
    for (const [pointer, saved] of Object.entries(stored)) {
      const destination = destinations[pointer];
      const secret = destination !== undefined && saved.boundTo === undefined ? await this.bindLegacySecret(name, pointer, saved, destination) : saved;
      const verdict = secretUse(pointer, secret, destination, effective);
      if (verdict.use) use[pointer] = secret.value;
      else if (verdict.problem) problems.push(verdict.problem);
    }
    return { config: mergeSecrets(config, use), problems };
  }

  /**
   * A secret stored before secrets were bound is bound, on its first read, to the destination in the
   * user's own settings (where it was used); without one it stays unbound and the plugin asks for it again.
   */
  private async bindLegacySecret(name: string, pointer: string, secret: StoredSecret, destinationPointer: string): Promise<StoredSecret> {
    const destination = destinationOf(getAt(this.settings.userPluginConfig(name), destinationPointer));
    if (destination === undefined || !this.secrets) return secret;
    const bound = { value: secret.value, boundTo: destination };
    try {
      await this.secrets.store(name, pointer, bound);
    } catch (err) {
      this.log.error(`[${name}] could not bind its stored ${pointer}: ${errorText(err)}`);
      return secret;
    }
    const field = parsePointer(destinationPointer).at(-1);
    this.log.info(
      `[${name}] the stored ${parsePointer(pointer).at(-1)} is now bound to ${destination} (the ${field} in your user settings) and will be sent nowhere else`,
    );
    return bound;
  }

  /** Adds a finished run's processor costs to what the Plugins view shows. */
  recordProcessorCosts(costs: readonly ProcessorCost[]): void {
    this.meter.add(costs);
    this.changed.fire(undefined);
  }

  processorCosts(): ReadonlyMap<string, ProcessorCostSummary> {
    return this.meter.summary();
  }

  /** Every secret value the host has read: masked in logs, command lines and run params. */
  knownSecrets(): string[] {
    return [...this.secretValues];
  }

  /** The text with every secret value the host knows masked: for plugin errors shown in the UI. */
  mask(text: string): string {
    return this.secretValues.size > 0 ? redactValues(text, this.secretValues) : text;
  }

  /** Masks these values in everything plugins and the manager log from now on. */
  rememberSecrets(values: Iterable<string>): void {
    for (const value of values) if (value.length >= 3) this.secretValues.add(value);
  }

  /** A number that grows with every start or stop the host does; see restart(). */
  ticket(): number {
    return this.seq;
  }

  /**
   * Re-initializes and starts one plugin with its current settings and secrets (stops it if
   * disabled). With `since` (a ticket taken before changing settings), a plugin that was
   * already restarted with exactly these settings after the ticket is left alone.
   */
  restart(name: string, since?: number): Promise<PluginState> {
    return this.enqueue(async () => {
      const desired = await this.desired(name);
      const last = this.applied.get(name);
      const state = this.current.getPluginInfo(name)?.state ?? 'error';
      if (since !== undefined && last && last.seq > since && last.hash === desired.hash) return state;
      return this.apply(name, desired);
    });
  }

  /** After `tracelet.plugins` changed: restarts, starts or stops just the plugins whose entry (or secrets) changed. */
  syncSettings(): Promise<void> {
    return this.enqueue(async () => {
      for (const info of this.current.listPlugins()) {
        if (!info.metadata || (info.state === 'error' && info.errorKind !== 'config' && info.errorKind !== 'runtime')) continue;
        const desired = await this.desired(info.name);
        if (this.applied.get(info.name)?.hash !== desired.hash) await this.apply(info.name, desired);
      }
      this.changed.fire(undefined);
    });
  }

  /** Whether the plugin is to run: as settings say, else as its metadata's `enabledByDefault` says. */
  isEnabled(name: string): boolean {
    return this.settings.plugin(name).enabled ?? this.current.getPluginInfo(name)?.metadata?.enabledByDefault ?? true;
  }

  private async desired(name: string): Promise<Desired> {
    const enabled = this.isEnabled(name);
    const { config, problems } = await this.configFor(name, this.settings.plugin(name).config);
    const hash = createHash('sha256').update(JSON.stringify({ enabled, config, problems })).digest('hex');
    return { enabled, config, problems, hash };
  }

  private async apply(name: string, desired: Desired): Promise<PluginState> {
    this.applied.set(name, { hash: desired.hash, seq: ++this.seq });
    if (!desired.enabled) {
      this.log.info(`[${name}] disabled in settings (tracelet.plugins.${name}.enabled)`);
      await this.current.stopPlugin(name);
      return this.current.getPluginInfo(name)?.state ?? 'error';
    }
    const state = await this.current.initializePlugin(name, desired.config as Record<string, unknown>, desired.problems);
    return state === 'initialized' ? this.current.startPlugin(name) : state;
  }

  private async doReload(found: () => void): Promise<void> {
    const old = this.current;
    this.applied.clear();
    const stopErrors = await old.stopAll();
    for (const [name, error] of Object.entries(stopErrors)) this.log.warn(`while reloading, ${name}: ${error}`);
    this.subscription?.dispose();
    old.dispose();
    this.current = this.createManager();
    const started = Date.now();
    const plugins = await this.current.discoverPlugins();
    for (const p of this.apiPlugins) this.current.registerPlugin(p, 'api');
    found();
    const startable = this.current
      .listPlugins()
      .filter((p) => p.state === 'validated')
      .map((p) => p.name);
    const outcomes = await this.startAll(startable);
    const active = Object.values(outcomes).filter((o) => o.ok).length;
    const failing = this.current.listPlugins().filter((p) => p.state === 'error').length;
    this.log.info(
      `Plugin manager started with ${this.current.listPlugins().length} plugins: ${active} active, ${failing} in error (${Date.now() - started} ms)`,
    );
    if (plugins.length === 0) this.log.warn('no plugins found');
    this.changed.fire(undefined);
  }

  private async startAll(names: readonly string[]): Promise<Record<string, StartOutcome>> {
    const configs: Record<string, Record<string, unknown>> = {};
    const problems: Record<string, ConfigError[]> = {};
    for (const name of names) {
      const desired = await this.desired(name);
      this.applied.set(name, { hash: desired.hash, seq: ++this.seq });
      if (desired.enabled) {
        configs[name] = desired.config as Record<string, unknown>;
        problems[name] = desired.problems;
      } else this.log.info(`[${name}] disabled in settings (tracelet.plugins.${name}.enabled)`);
    }
    return this.current.startPlugins(configs, problems);
  }

  private createManager(): PluginManager {
    const manager = new PluginManager({ ...this.options.managerOptions(), logger: this.pluginLog });
    this.subscription = manager.onDidChangeState((e) => this.changed.fire(e));
    return manager;
  }

  /** Stops every plugin (VS Code waits for this when the window closes). */
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
