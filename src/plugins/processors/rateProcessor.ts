import { RATE } from '../frameworkDeclarations';
import { globToRegExp } from '../../core/pipeline/routing';
import { PluginBase, type PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus } from '../../core/types';

/**
 * Adds the per-second rate of counters (bytes read, samples seen, tokens processed) beside them:
 * for `process/io/readBytes` it logs `process/io/readBytes/per_second`. A counter that goes down
 * (a restart) starts over without a rate; the counter's own points pass unchanged.
 */
export class RateProcessor extends PluginBase {
  private patterns: RegExp[] = [];
  private suffix = '/per_second';
  private readonly last = new Map<string, { value: number; time: number }>();
  private added = 0;

  getMetadata(): PluginMetadataInput {
    return { ...RATE };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.patterns = (Array.isArray(config.metrics) ? config.metrics : []).filter((m): m is string => typeof m === 'string').map(globToRegExp);
    if (typeof config.suffix === 'string' && config.suffix) this.suffix = config.suffix;
  }

  start(): void {}
  stop(): void {}

  getStatus(): PluginStatus {
    return { counters: this.last.size, ratesAdded: this.added };
  }

  process(points: readonly MetricPoint[]): MetricPoint[] {
    if (this.patterns.length === 0) return [...points];
    const out: MetricPoint[] = [];
    for (const p of points) {
      out.push(p);
      if (!this.patterns.some((r) => r.test(p.name))) continue;
      const before = this.last.get(p.name);
      this.last.set(p.name, { value: p.value, time: p.time });
      if (!before || p.time <= before.time || p.value < before.value) continue;
      this.added += 1;
      out.push({
        name: `${p.name}${this.suffix}`,
        value: ((p.value - before.value) * 1000) / (p.time - before.time),
        time: p.time,
        ...(p.step !== undefined ? { step: p.step } : {}),
      });
    }
    return out;
  }
}
