import * as os from 'node:os';
import * as path from 'node:path';
import { DependencyCycleError, findCycles, orderByDependencies, type DependencyReport } from './dependencies';
import { dependencyGraph, pluginDependencies } from './dependencyGraph';
import { checkDependencies } from './dependencyCheck';
import { declarationDisagrees } from './declared';
import { findPluginPackages, loadPluginExport, pluginSearchPaths, readPluginPackage, type DiscoveryResult } from './discovery';
import { fixOf, guard, PluginError } from './guard';
import { scopedLogger, silentLogger } from './logger';
import { childFolder } from './paths/confine';
import { newRecord, toInfo, type PluginInfo, type PluginRecord, type PluginSource } from './registry';
import { normaliseSchema } from './schema';
import type { CapabilityContracts, PluginLike } from './plugin';
import type { Capability, ConfigSchema, RunInfo, PluginConfig, PluginContext, PluginMetadata, PluginState, PluginStatus, PluginType } from './types';
import { PLUGIN_STATES, type Disposable } from './types';
import { formatConfigErrors, validateAgainstSchema, type ConfigError, type ValidationResult } from './validate';
import { CORE_VERSION } from './version';
import type { DeclaredPlugin, ManagerStatus, PluginManagerOptions, StartOutcome, StateChange } from './managerTypes';
import { PluginTable } from './pluginTable';
import { errorText } from './errors';

const LIVE: readonly PluginState[] = ['initialized', 'active'];

/** An active plugin with a capability, and its live instance. */
export interface CapablePlugin<C extends Capability> {
  name: string;
  metadata: PluginMetadata;
  instance: CapabilityContracts[C];
}
const RECHECKABLE: readonly PluginState[] = ['loaded', 'validated'];

export class PluginManager {
  /** Fires on every state change of any plugin. */
  readonly onDidChangeState: (listener: (event: StateChange) => void) => Disposable;
  private readonly table: PluginTable;
  /** The declared built-ins registered so far: discovering again adds none twice. */
  private readonly declaredAdded = new Set<DeclaredPlugin>();
  private readonly startOrder: string[] = [];
  private readonly timeoutMs: number;

  constructor(private readonly options: PluginManagerOptions = {}) {
    this.table = new PluginTable(options.logger ?? silentLogger);
    this.onDidChangeState = this.table.onDidChangeState;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  dispose(): void {
    this.table.dispose();
  }

  // ---- discovery and registration -------------------------------------------------

  /** Registers built-ins and every plugin package found on the search paths; returns all plugins. */
  async discoverPlugins(): Promise<PluginInfo[]> {
    for (const exported of this.options.builtins ?? []) {
      if (![...this.table.records.values()].some((r) => r.exported === exported)) this.table.add(exported, 'builtin');
    }
    for (const declared of this.options.declared ?? []) {
      if (!this.declaredAdded.has(declared)) this.table.addDeclared(declared);
      this.declaredAdded.add(declared);
    }
    await this.forgetPackages();
    await this.addPackages(await findPluginPackages(pluginSearchPaths(this.options)));
    this.recheckDependencies();
    return this.listPlugins();
  }

  /**
   * Loads one package folder again from disk, after its files changed: its plugins are stopped and
   * forgotten, the folder is read anew and its plugins registered, and no other plugin is stopped or
   * started. Resolves to the package's plugins (none when the folder is gone), for the caller to start.
   */
  async reloadPackage(packageDir: string): Promise<PluginInfo[]> {
    const dir = path.resolve(packageDir);
    await this.forgetPackages(dir);
    await this.addPackages(await readPluginPackage(dir));
    this.recheckDependencies();
    return [...this.table.records.values()].filter((r) => r.source === 'package' && r.packageDir === dir).map(toInfo);
  }

  private async addPackages(found: DiscoveryResult): Promise<void> {
    for (const problem of found.problems) {
      const record = this.table.claimName(newRecord(problem.key, 'package', problem.packageDir));
      this.table.fail(record, 'load', problem.message);
    }
    for (const entry of found.entries) {
      const record = this.table.claimName(newRecord(entry.key, 'package', entry.packageDir));
      record.declared = entry.declared;
      this.table.emit(record, 'discovered');
      try {
        this.table.load(record, await loadPluginExport(entry, this.timeoutMs));
      } catch (err) {
        this.table.fail(record, 'load', `plugin "${entry.key}" (package ${entry.packageName}): ${errorText(err)}`);
      }
      const disagreement = record.metadata && entry.declared && declarationDisagrees(entry.declared, record.metadata);
      if (disagreement) this.table.fail(record, 'metadata', `plugin "${record.name}" (package ${entry.packageName}): ${disagreement}`);
      if (record.metadata && record.metadata.name !== entry.key) {
        this.table.logger.warn(`plugin package ${entry.packageName} lists "${entry.key}" but the plugin calls itself "${record.metadata.name}"`);
      }
    }
  }

  /** Registers a plugin class (or plain object) in-process, e.g. from another extension. */
  registerPlugin(pluginClass: unknown, source: PluginSource = 'api'): PluginInfo {
    const record = this.table.add(pluginClass, source);
    this.recheckDependencies();
    return toInfo(record);
  }

  listPlugins(type?: PluginType): PluginInfo[] {
    return [...this.table.records.values()].filter((r) => type === undefined || r.metadata?.pluginType === type).map(toInfo);
  }

  getPlugin(type: PluginType, name: string): unknown {
    const r = this.table.records.get(name);
    return r?.metadata?.pluginType === type ? r.exported : undefined;
  }

  getPluginByName(name: string): unknown {
    const r = this.table.records.get(name);
    return r?.metadata ? r.exported : undefined;
  }

  getPluginInfo(name: string): PluginInfo | undefined {
    const r = this.table.records.get(name);
    return r && toInfo(r);
  }

  /** The running instance, for callers that feed it data (only while `initialized` or `active`). */
  getInstance(name: string): unknown {
    const r = this.table.records.get(name);
    return r && LIVE.includes(r.state) ? r.instance : undefined;
  }

  /**
   * The active plugins that declare `capability`, in start order, each with its live instance typed by
   * the capability's interface (its members were checked when it loaded).
   */
  capable<C extends Capability>(capability: C): CapablePlugin<C>[] {
    const active = [...this.table.records.values()].filter((r) => r.state === 'active' && r.metadata?.capabilities.includes(capability));
    const rank = (r: PluginRecord): number => {
      const i = this.startOrder.indexOf(r.name);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return active.sort((a, b) => rank(a) - rank(b)).map((r) => ({ name: r.name, metadata: r.metadata!, instance: r.instance as CapabilityContracts[C] }));
  }

  /**
   * The live instance of a plugin with `capability`, else a fresh one that is not initialized (for a
   * call such as testConnection that takes its own config); undefined when the plugin does not declare it.
   */
  instanceOf<C extends Capability>(name: string, capability: C): CapabilityContracts[C] | undefined {
    const r = this.table.records.get(name);
    if (!r?.factory || !r.metadata?.capabilities.includes(capability)) return undefined;
    return (LIVE.includes(r.state) && r.instance ? r.instance : r.factory()) as CapabilityContracts[C];
  }

  /** createRunInstance for a plugin that declares `capability`, typed by it; throws a PluginError naming the plugin if it does not. */
  async createRunInstanceOf<C extends Capability>(name: string, capability: C, run: RunInfo): Promise<CapabilityContracts[C]> {
    if (!this.require(name).metadata?.capabilities.includes(capability))
      throw new PluginError(name, 'run start', `the plugin does not declare the capability "${capability}"`);
    return (await this.createRunInstance(name, run)) as CapabilityContracts[C];
  }

  // ---- dependencies and configuration ---------------------------------------------

  /** Reports dependencies that are missing or whose installed version does not satisfy the range, and `engines.tracelet`. */
  checkDependencies(metadata: PluginMetadata, fromDir?: string): DependencyReport {
    return checkDependencies(metadata, fromDir ?? process.cwd(), (name) => {
      const plugin = this.table.records.get(name);
      return plugin && { version: plugin.metadata?.version };
    });
  }

  /** Orders the named plugins so that dependencies come first; throws a DependencyCycleError naming the cycle. */
  resolveDependencies(names: readonly string[]): string[] {
    return orderByDependencies(names, this.pluginGraph());
  }

  /** Validates a config against a plugin's schema (by name) or a schema; defaults are applied to the returned copy. */
  validateConfig(schemaOrPluginName: string | ConfigSchema, config: unknown): ValidationResult {
    if (typeof schemaOrPluginName !== 'string') return validateAgainstSchema(normaliseSchema(schemaOrPluginName), config);
    const schema = this.table.records.get(schemaOrPluginName)?.schema;
    if (!schema) return { valid: false, config: {}, errors: [{ path: '', message: `no plugin "${schemaOrPluginName}" with a readable schema` }] };
    return validateAgainstSchema(schema, config);
  }

  // ---- lifecycle --------------------------------------------------------------------

  /**
   * Validates the config, makes a fresh instance and initializes it. Resolves to the resulting state.
   * `problems` are faults the caller found that the schema cannot see (a secret saved for another
   * server): they fail the plugin exactly as schema errors do, naming their fields.
   */
  async initializePlugin(name: string, config: PluginConfig = {}, problems: readonly ConfigError[] = []): Promise<PluginState> {
    const r = this.require(name);
    if (LIVE.includes(r.state)) await this.stopPlugin(name);
    if (!this.isUsable(r)) return r.state;
    const result = validateAgainstSchema(r.schema!, config);
    const errors = [...result.errors, ...problems];
    if (errors.length > 0) {
      this.table.fail(r, 'config', `plugin "${name}": invalid configuration: ${formatConfigErrors(errors)}`, errors);
      return r.state;
    }
    try {
      r.instance = await guard(name, 'constructor', this.timeoutMs, r.factory!);
      r.config = result.config;
      await guard(name, 'initialize', this.timeoutMs, () => r.instance!.initialize(result.config, this.contextFor(name)));
      this.table.emit(r, 'initialized');
    } catch (err) {
      this.table.fail(r, 'runtime', errorText(err), [], fixOf(err));
    }
    return r.state;
  }

  async startPlugin(name: string): Promise<PluginState> {
    const r = this.require(name);
    if (r.state === 'active') return r.state;
    if (r.state !== 'initialized' && r.state !== 'stopped') {
      if (r.state !== 'error') this.table.fail(r, 'runtime', `plugin "${name}" cannot start from state ${r.state}: initialize it first`);
      return r.state;
    }
    const inactive = this.pluginDependencies(r).filter((d) => this.table.records.get(d)?.state !== 'active');
    if (inactive.length > 0) {
      this.table.fail(r, 'dependency', `plugin "${name}" not started: its dependency ${inactive.map((d) => `"${d}"`).join(', ')} is not active`);
      return r.state;
    }
    try {
      await guard(name, 'start', this.timeoutMs, () => r.instance!.start());
      this.table.emit(r, 'active');
      this.startOrder.splice(this.startOrder.indexOf(name) >>> 0, 1);
      this.startOrder.push(name);
    } catch (err) {
      this.table.fail(r, 'runtime', errorText(err), [], fixOf(err));
    }
    return r.state;
  }

  /**
   * A separate, started instance of an active plugin, initialized with the same
   * config and a context that names the run: a backend instance records one run.
   * The caller owns it and must stop it; failures throw a PluginError.
   */
  async createRunInstance(name: string, run: RunInfo): Promise<PluginLike> {
    const r = this.require(name);
    if (r.state !== 'active') throw new PluginError(name, 'run start', `the plugin is ${r.state}, not active${r.error ? `: ${r.error}` : ''}`);
    const instance = await guard(name, 'constructor', this.timeoutMs, r.factory!);
    await guard(name, 'initialize', this.timeoutMs, () => instance.initialize(structuredClone(r.config), { ...this.contextFor(name), run }));
    await guard(name, 'start', this.timeoutMs, () => instance.start());
    return instance;
  }

  /** Runs one call into plugin code with the manager's timeout, as a PluginError on failure. */
  call<T>(name: string, phase: string, fn: () => T | Promise<T>): Promise<T> {
    return guard(name, phase, this.timeoutMs, fn);
  }

  /** Stops a live plugin. Resolves to the error message if its stop() failed. */
  async stopPlugin(name: string): Promise<string | undefined> {
    const r = this.require(name);
    if (!LIVE.includes(r.state)) return undefined;
    try {
      await guard(name, 'stop', this.timeoutMs, () => r.instance!.stop());
      this.table.emit(r, 'stopped');
      return undefined;
    } catch (err) {
      this.table.fail(r, 'runtime', errorText(err));
      return r.error;
    } finally {
      const at = this.startOrder.indexOf(name);
      if (at >= 0) this.startOrder.splice(at, 1);
    }
  }

  /** Initializes and starts each named plugin in dependency order; one failure never stops the others. `problems` as for initializePlugin. */
  async startPlugins(
    configs: Record<string, PluginConfig>,
    problems: Readonly<Record<string, readonly ConfigError[]>> = {},
  ): Promise<Record<string, StartOutcome>> {
    const outcomes: Record<string, StartOutcome> = {};
    const names = Object.keys(configs);
    for (const name of names.filter((n) => !this.table.records.has(n))) outcomes[name] = { ok: false, state: 'error', error: `no plugin named "${name}"` };
    const graph = this.pluginGraph();
    const known = names.filter((n) => this.table.records.has(n));
    this.failCycles((member) => known.includes(member));
    let order: string[];
    try {
      order = orderByDependencies(known, graph);
    } catch (err) {
      if (!(err instanceof DependencyCycleError)) throw err;
      order = known;
    }
    for (const name of order.filter((n) => known.includes(n))) {
      const r = this.table.records.get(name)!;
      const state = (await this.initializePlugin(name, configs[name], problems[name])) === 'initialized' ? await this.startPlugin(name) : r.state;
      outcomes[name] = state === 'active' ? { ok: true, state } : { ok: false, state, error: r.error ?? `plugin "${name}" is ${state}` };
    }
    return outcomes;
  }

  /** Stops every live plugin, most recently started first. Never throws; returns the errors by plugin. */
  async stopAll(): Promise<Record<string, string>> {
    const errors: Record<string, string> = {};
    const live = [...this.table.records.values()].filter((r) => LIVE.includes(r.state)).map((r) => r.name);
    const ordered = [...this.startOrder.filter((n) => live.includes(n)).reverse(), ...live.filter((n) => !this.startOrder.includes(n))];
    for (const name of ordered) {
      const error = await this.stopPlugin(name);
      if (error) errors[name] = error;
    }
    return errors;
  }

  /** Counts by state and, for each plugin, its state and its own getStatus() (a failing getStatus puts it in error). */
  async getStatus(): Promise<ManagerStatus> {
    const plugins: ManagerStatus['plugins'] = {};
    for (const r of this.table.records.values()) {
      let status: PluginStatus | undefined;
      if (r.instance && (LIVE.includes(r.state) || r.state === 'stopped')) {
        try {
          status = await guard(r.name, 'getStatus', this.timeoutMs, () => r.instance!.getStatus());
        } catch (err) {
          this.table.fail(r, 'runtime', errorText(err));
        }
      }
      plugins[r.name] = { type: r.metadata?.pluginType, version: r.metadata?.version, state: r.state, error: r.error, status };
    }
    const counts = Object.fromEntries(PLUGIN_STATES.map((s) => [s, 0])) as Record<PluginState, number>;
    for (const r of this.table.records.values()) counts[r.state] += 1;
    return { counts, plugins };
  }

  // ---- internals --------------------------------------------------------------------

  /** Stops and forgets the package plugins, all of them or those of one package folder. */
  private async forgetPackages(packageDir?: string): Promise<void> {
    for (const r of [...this.table.records.values()].filter((x) => x.source === 'package' && (packageDir === undefined || x.packageDir === packageDir))) {
      if (LIVE.includes(r.state)) await this.stopPlugin(r.name);
      this.table.records.delete(r.name);
    }
  }

  /** Re-evaluates dependency problems of every plugin that has not started, since registering one can satisfy another. */
  private recheckDependencies(): void {
    const candidates = [...this.table.records.values()].filter((r) => r.metadata && (RECHECKABLE.includes(r.state) || r.errorKind === 'dependency'));
    for (const r of candidates) {
      r.dependencies = this.checkDependencies(r.metadata!, r.packageDir);
      if (r.dependencies.ok) {
        if (r.state !== 'validated') this.table.emit(r, 'validated');
      } else {
        const problems = [
          ...r.dependencies.missing.map((p) => `missing ${p.dependency} (${p.reason})`),
          ...r.dependencies.incompatible.map((p) => `incompatible ${p.dependency} (${p.reason})`),
        ];
        this.table.fail(r, 'dependency', `plugin "${r.name}": ${problems.join('; ')}`);
      }
    }
    this.failCycles((member) => !LIVE.includes(this.table.records.get(member)!.state));
  }

  private failCycles(applies: (member: string) => boolean): void {
    for (const cycle of findCycles(this.pluginGraph())) {
      for (const member of cycle.members.filter(applies)) {
        this.table.fail(this.table.records.get(member)!, 'dependency', `plugin "${member}" is in a dependency cycle: ${cycle.path.join(' -> ')}`);
      }
    }
  }

  private pluginDependencies(r: PluginRecord): string[] {
    return pluginDependencies(r, (name) => this.table.records.has(name));
  }

  private pluginGraph(): Map<string, string[]> {
    return dependencyGraph(this.table.records.values(), (name) => this.table.records.has(name));
  }

  private isUsable(r: PluginRecord): boolean {
    if (!r.metadata || !r.factory || !r.schema) return false;
    return !(r.state === 'error' && (r.errorKind === 'load' || r.errorKind === 'metadata' || r.errorKind === 'dependency'));
  }

  private require(name: string): PluginRecord {
    const r = this.table.records.get(name);
    if (!r) throw new PluginError(name, 'lookup', `no plugin named "${name}" is registered`);
    return r;
  }

  private contextFor(name: string): PluginContext {
    const root = this.options.storageRoot ?? path.join(os.tmpdir(), 'tracelet-plugins');
    return {
      pluginName: name,
      logger: scopedLogger(this.table.logger, name),
      storageDir: childFolder('plugin name', root, name),
      coreVersion: CORE_VERSION,
      trusted: this.options.isTrusted?.() ?? true,
      workspaceFolders: this.options.workspaceFolders?.() ?? [],
    };
  }
}
