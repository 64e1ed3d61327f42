import { parseDependency } from './dependencies';
import type { PluginRecord } from './registry';

/** The names of known plugins a plugin depends on (npm packages and unknown names aside). */
export function pluginDependencies(r: PluginRecord, isPlugin: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const raw of r.metadata?.dependencies ?? []) {
    try {
      const name = parseDependency(raw).name;
      if (name !== r.name && isPlugin(name)) out.push(name);
    } catch {
      // Unparseable entries are reported by checkDependencies.
    }
  }
  return out;
}

/** Plugin name → names of the plugins it depends on. */
export function dependencyGraph(records: Iterable<PluginRecord>, isPlugin: (name: string) => boolean): Map<string, string[]> {
  return new Map([...records].map((r) => [r.name, pluginDependencies(r, isPlugin)]));
}
