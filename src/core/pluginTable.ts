import { fromDeclaration } from './declared';
import { errorText } from './errors';
import { Emitter } from './events';
import type { DeclaredPlugin, StateChange } from './managerTypes';
import { newRecord, type PluginErrorKind, type PluginRecord, type PluginSource } from './registry';
import { normaliseSchema } from './schema';
import { factoryOf, inspectPlugin } from './shape';
import type { Logger, PluginState } from './types';
import type { ConfigError } from './validate';

/**
 * The manager's plugins by name: what an export or a declaration says of a plugin, one record per name (a
 * name taken twice puts the newcomer in error), and every state change, fired and, for errors, logged. The
 * manager holds one rather than extending it, so that none of this shows in the plugin contract
 * (dist/tracelet.d.ts) as if subclasses could build on it.
 */
export class PluginTable {
  readonly records = new Map<string, PluginRecord>();
  private readonly stateEmitter = new Emitter<StateChange>();

  /** Fires on every state change of any plugin. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(readonly logger: Logger) {}

  dispose(): void {
    this.stateEmitter.dispose();
  }

  add(exported: unknown, source: PluginSource): PluginRecord {
    const r = newRecord(typeof exported === 'function' && exported.name ? exported.name : 'unnamed', source);
    this.load(r, exported);
    return this.claimName(r);
  }

  /**
   * A built-in with metadata is listed from it and its code loaded by the first instance made (initialize,
   * a run, a connection test), inside the guard that names the plugin if loading fails.
   */
  addDeclared(declared: DeclaredPlugin): void {
    const { metadata } = declared;
    if (!metadata) {
      try {
        this.add(declared.load(), 'builtin');
      } catch (err) {
        this.fail(this.claimName(newRecord('unnamed', 'builtin')), 'load', `a built-in plugin failed to load: ${errorText(err)}`);
      }
      return;
    }
    const r = newRecord(typeof metadata.name === 'string' ? metadata.name : 'unnamed', 'builtin');
    try {
      Object.assign(
        r,
        fromDeclaration({ ...declared, metadata }, (exported) => (r.exported = exported)),
      );
    } catch (err) {
      this.fail(this.claimName(r), 'metadata', `plugin "${r.name}": ${errorText(err)}`);
      return;
    }
    if (this.claimName(r).state !== 'error') this.emit(r, 'loaded');
  }

  /** Reads the export's metadata; a name taken by another plugin puts the newcomer in error. */
  load(r: PluginRecord, exported: unknown): void {
    r.exported = exported;
    try {
      r.factory = factoryOf(exported);
      const metadata = inspectPlugin(r.factory);
      r.schema = normaliseSchema(metadata.configSchema);
      r.metadata = metadata;
    } catch (err) {
      const message = errorText(err);
      const label = r.metadata?.name ?? r.name;
      this.fail(r, message.startsWith('invalid metadata') ? 'metadata' : 'load', `plugin "${label}"${r.packageDir ? ` (${r.packageDir})` : ''}: ${message}`);
      return;
    }
    if (r.metadata.name !== r.name) this.rename(r, r.metadata.name);
    if (r.state !== 'error') this.emit(r, 'loaded');
  }

  private rename(r: PluginRecord, name: string): void {
    if (this.records.get(r.name) === r) this.records.delete(r.name);
    r.name = name;
    this.claimName(r);
  }

  /** Puts the record under its name; if another plugin has the name, the newcomer gets a unique key and an error. */
  claimName(r: PluginRecord): PluginRecord {
    const holder = this.records.get(r.name);
    if (holder && holder !== r) {
      const where = holder.source === 'package' ? holder.packageDir : holder.source;
      const wanted = r.name;
      let key = `${wanted} (${r.packageDir ?? r.source})`;
      for (let i = 2; this.records.has(key); i++) key = `${wanted} (${i})`;
      r.name = key;
      this.records.set(key, r);
      this.fail(r, 'load', `plugin "${wanted}"${r.packageDir ? ` (${r.packageDir})` : ''}: the name is already used by the plugin from ${where}`);
      return r;
    }
    this.records.set(r.name, r);
    return r;
  }

  emit(r: PluginRecord, state: PluginState): void {
    const previous = r.state;
    r.state = state;
    if (state !== 'error') {
      r.error = undefined;
      r.errorKind = undefined;
      r.configErrors = [];
      r.fix = undefined;
    }
    if (previous !== state || state === 'error') this.stateEmitter.fire({ name: r.name, previous, state, error: r.error });
  }

  fail(r: PluginRecord, kind: PluginErrorKind, message: string, configErrors: ConfigError[] = [], fix?: string): void {
    r.error = message;
    r.errorKind = kind;
    r.configErrors = configErrors;
    r.fix = fix;
    this.logger.error(message);
    this.emit(r, 'error');
  }
}
