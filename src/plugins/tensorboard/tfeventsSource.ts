import { PluginBase, type PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint, PluginStatus } from '../../core/types';
import type { PollingWatch } from '../tailing/pollingWatch';
import { watchTfEvents } from './tfeventsWatch';

/**
 * A `framework` source: reads the TensorBoard event files a training script writes
 * (PyTorch's SummaryWriter, tensorboardX, Keras' TensorBoard callback, tf.summary)
 * and turns their scalars into metric points, with no change to the script.
 * Run tracking calls watch() with the run's log folder.
 */
export class TfEventsSource extends PluginBase {
  private readonly watches = new Set<PollingWatch>();
  private points = 0;
  private lastError: string | undefined;

  getMetadata(): PluginMetadataInput {
    return {
      name: 'tfevents',
      version: '0.1.0',
      description: "Reads scalars from TensorBoard event files (SummaryWriter's runs/ folder) as run metrics.",
      author: 'Tracelet',
      pluginType: 'framework',
      entryPoint: 'builtin:tfevents',
      dependencies: [],
      configSchema: {
        type: 'object',
        properties: {
          pollIntervalMs: { type: 'integer', minimum: 50, default: 1000, description: 'How often event files are checked for new records (besides file-change events).' },
        },
        additionalProperties: false,
      },
    };
  }

  start(): void {}

  stop(): void {
    for (const w of this.watches) w.dispose();
    this.watches.clear();
  }

  getStatus(): PluginStatus {
    return { watching: this.watches.size, points: this.points, lastError: this.lastError };
  }

  /**
   * Tails the event files under `dir` (which may not exist yet) until disposed.
   * `ignoreOlderThan` (ms since the epoch, e.g. the run's start) skips earlier runs' files.
   * Call poll() before dispose() to read a run's last points.
   */
  watch(dir: string, onPoints: (points: MetricPoint[]) => void, options: { ignoreOlderThan?: number } = {}): PollingWatch {
    const intervalMs = typeof this.config.pollIntervalMs === 'number' ? this.config.pollIntervalMs : 1000;
    const watch = watchTfEvents(
      dir,
      (points) => {
        this.points += points.length;
        onPoints(points);
      },
      {
        intervalMs,
        ...options,
        onError: (err) => {
          this.lastError = (err as Error).message;
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
