import { TFEVENTS } from '../frameworkDeclarations';
import type { PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint } from '../../core/types';
import { FileSourcePlugin, type TailOptions } from '../tailing/fileSourcePlugin';
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
    return { ...TFEVENTS };
  }

  /** `target` is a folder holding event files, directly or in sub-folders. */
  protected tail(target: string, onPoints: (points: MetricPoint[]) => void, options: TailOptions): PollingWatch {
    return watchTfEvents(target, onPoints, options);
  }
}
