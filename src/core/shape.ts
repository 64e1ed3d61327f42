import { normaliseMetadata } from './metadata';
import { CAPABILITY_RULES, REQUIRED_METHODS, type PluginLike } from './plugin';
import type { PluginMetadata } from './types';
import { errorText } from './errors';

/** Makes instances of what a module exported: a class is constructed, a plain object is the instance itself. */
export type PluginFactory = () => PluginLike;

export function factoryOf(exported: unknown): PluginFactory {
  if (typeof exported === 'function') {
    const Ctor = exported as new () => PluginLike;
    return () => new Ctor();
  }
  if (typeof exported === 'object' && exported !== null) return () => exported as PluginLike;
  throw new Error(`the export is ${exported === undefined ? 'undefined' : typeof exported}, not a plugin class or object`);
}

function missingMethods(instance: object, names: readonly string[]): string[] {
  return names.filter((m) => typeof (instance as Record<string, unknown>)[m] !== 'function');
}

/**
 * Makes a probe instance and checks it: it must construct, have the lifecycle
 * methods, valid metadata, and the methods its plugin type requires. Throws naming what is wrong.
 */
export function inspectPlugin(factory: PluginFactory): PluginMetadata {
  let instance: unknown;
  try {
    instance = factory();
  } catch (err) {
    throw new Error(`constructor threw: ${errorText(err)}`);
  }
  if (typeof instance !== 'object' || instance === null) throw new Error('the plugin is not an object');
  const base = missingMethods(instance, REQUIRED_METHODS.base!);
  if (base.includes('getMetadata')) throw new Error('missing method getMetadata()');
  let raw: unknown;
  try {
    raw = (instance as PluginLike).getMetadata();
  } catch (err) {
    throw new Error(`getMetadata() threw: ${errorText(err)}`);
  }
  const metadata = normaliseMetadata(raw);
  const missing = [...base, ...missingMethods(instance, REQUIRED_METHODS[metadata.pluginType] ?? [])];
  if (missing.length > 0) {
    throw new Error(`${metadata.pluginType} plugin is missing method${missing.length > 1 ? 's' : ''} ${missing.map((m) => `${m}()`).join(', ')}`);
  }
  for (const capability of metadata.capabilities) {
    const lacking = CAPABILITY_RULES[capability].members.filter(
      (m) => !(m in (instance as object)) || (m !== 'runsRoot' && typeof (instance as Record<string, unknown>)[m] !== 'function'),
    );
    if (lacking.length > 0)
      throw new Error(`declares capability "${capability}" but lacks ${lacking.map((m) => (m === 'runsRoot' ? m : `${m}()`)).join(', ')}`);
  }
  return metadata;
}
