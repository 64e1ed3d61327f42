import { PluginBase } from '../../core/plugin';
import type { MetricPoint, PluginStatus } from '../../core/types';
import type { PollingWatch } from './pollingWatch';
import { errorText } from '../../core/errors';

export interface TailOptions {
  intervalMs: number;
  /** Files last changed before this time (ms since the epoch) are left alone: earlier runs' files. */
  ignoreOlderThan?: number;
  onError: (err: unknown) => void;
}

/** The configSchema of a file source: how often its files are checked besides file-change events. */
export function pollIntervalSchema(what: string): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      pollIntervalMs: { type: 'integer', minimum: 50, default: 1000, description: `How often ${what} are checked for new data (besides file-change events).` },
    },
    additionalProperties: false,
  };
}

/**
 * A `framework` source that tails files a training script writes. Subclasses say
 * how to tail one target; this keeps the watches, counts points and reports errors.
 */
export abstract class FileSourcePlugin extends PluginBase {
  private readonly watches = new Set<PollingWatch>();
  private points = 0;
  private lastError: string | undefined;

  protected abstract tail(target: string, onPoints: (points: MetricPoint[]) => void, options: TailOptions): PollingWatch;

  start(): void {}

  stop(): void {
    for (const w of this.watches) w.dispose();
    this.watches.clear();
  }

  getStatus(): PluginStatus {
    return { watching: this.watches.size, points: this.points, lastError: this.lastError };
  }

  /**
   * Tails `target` (which may not exist yet) until disposed. `ignoreOlderThan` (e.g. the
   * run's start) skips earlier runs' files. Call poll() before dispose() to read the last points.
   */
  watch(target: string, onPoints: (points: MetricPoint[]) => void, options: { ignoreOlderThan?: number } = {}): PollingWatch {
    const intervalMs = typeof this.config.pollIntervalMs === 'number' ? this.config.pollIntervalMs : 1000;
    const watch = this.tail(
      target,
      (points) => {
        this.points += points.length;
        onPoints(points);
      },
      {
        intervalMs,
        ...options,
        onError: (err) => {
          this.lastError = errorText(err);
          this.context?.logger.warn(this.lastError);
        },
      },
    );
    this.watches.add(watch);
    return {
      poll: () => watch.poll(),
      dispose: () => {
        watch.dispose();
        this.watches.delete(watch);
      },
    };
  }
}
