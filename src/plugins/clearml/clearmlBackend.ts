import { CLEARML } from '../backendDeclarations';
import type { PluginMetadataInput } from '../../core/plugin';
import type { PluginConfig, PluginContext } from '../../core/types';
import { PythonBridgeBackend, type BridgeSettings } from '../pythonBridge/bridgeBackend';
import { clearmlName, readClearmlSettings } from './clearmlConfig';

/**
 * Records a Tracelet run as a ClearML task through the `clearml` SDK: Task.init (project, task name),
 * params by task.connect, points by Logger.report_scalar (title/series from the metric name), artifacts by
 * task.upload_artifact, the outcome by mark_failed / close. A batch is acknowledged once task.flush has
 * written or sent it (README › Backends).
 */
export class ClearmlBackend extends PythonBridgeBackend {
  protected readonly backendName = 'clearml';

  getMetadata(): PluginMetadataInput {
    return { ...CLEARML };
  }

  protected readSettings(config: PluginConfig, context: PluginContext): BridgeSettings {
    return readClearmlSettings(config, context);
  }

  protected mendName(name: string): string {
    return clearmlName(name);
  }
}
