import type { PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint } from '../../core/types';
import { FileSourcePlugin, pollIntervalSchema, type TailOptions } from '../tailing/fileSourcePlugin';
import type { PollingWatch } from '../tailing/pollingWatch';
import { watchTfEvents } from './tfeventsWatch';

/**
 * A `framework` source: reads the TensorBoard event files a training script writes
 * (PyTorch's SummaryWriter, tensorboardX, Keras' TensorBoard callback, tf.summary)
 * and turns their scalars into metric points, with no change to the script.
 * Run tracking calls watch() with the run's log folder.
 */
export class TfEventsSource extends FileSourcePlugin {
  getMetadata(): PluginMetadataInput {
    return {
      name: 'tfevents',
      version: '0.1.0',
      description: "Reads scalars from TensorBoard event files (SummaryWriter's runs/ folder) as run metrics.",
      author: 'Tracelet',
      pluginType: 'framework',
      entryPoint: 'builtin:tfevents',
      capabilities: ['fileSource'],
      metricPrefix: 'tensorboard',
      dependencies: [],
      configSchema: pollIntervalSchema('event files'),
    };
  }

  /** `target` is a folder holding event files, directly or in sub-folders. */
  protected tail(target: string, onPoints: (points: MetricPoint[]) => void, options: TailOptions): PollingWatch {
    return watchTfEvents(target, onPoints, options);
  }
}
