import { RENAME } from '../frameworkDeclarations';
import { PluginBase, type PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus } from '../../core/types';

function stringMap(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '' && e[1] !== '');
}

/**
 * Renames metrics before they are logged, so the store, the charts and every backend use the names
 * you chose: whole names first (`acc` → `accuracy`), then the longest matching prefix
 * (`tensorboard/` → `tb/`).
 */
export class RenameProcessor extends PluginBase {
  private names = new Map<string, string>();
  private prefixes: [string, string][] = [];
  private renamed = 0;

  getMetadata(): PluginMetadataInput {
    return { ...RENAME };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.names = new Map(stringMap(config.names));
    this.prefixes = (typeof config.prefixes === 'object' && config.prefixes !== null ? Object.entries(config.prefixes) : [])
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '')
      .sort((a, b) => b[0].length - a[0].length);
  }

  start(): void {}
  stop(): void {}

  getStatus(): PluginStatus {
    return { names: this.names.size, prefixes: this.prefixes.length, renamed: this.renamed };
  }

  process(points: readonly MetricPoint[]): MetricPoint[] {
    if (this.names.size === 0 && this.prefixes.length === 0) return [...points];
    return points.map((p) => {
      const name = this.rename(p.name);
      if (name === p.name) return p;
      this.renamed += 1;
      return { ...p, name };
    });
  }

  private rename(name: string): string {
    const whole = this.names.get(name);
    if (whole !== undefined) return whole;
    for (const [from, to] of this.prefixes) if (name.startsWith(from)) return to + name.slice(from.length);
    return name;
  }
}
