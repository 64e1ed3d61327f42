import { AIM } from '../backendDeclarations';
import type { PluginMetadataInput } from '../../core/plugin';
import type { PluginConfig, PluginContext } from '../../core/types';
import { PythonBridgeBackend, type BridgeSettings } from '../pythonBridge/bridgeBackend';
import { aimContextMode, aimName, readAimSettings } from './aimConfig';

/**
 * Records a Tracelet run as an Aim run through the `aim` SDK: aim.Run(repo, experiment), params as
 * run['hparams'], run.track(value, name, step, context) per point, artifacts, run.close(). Aim writes each
 * tracked value to its repository before track returns, so an acknowledged batch survives a killed bridge,
 * and a new bridge reopens the same run by its hash (README › Backends).
 */
export class AimBackend extends PythonBridgeBackend {
  protected readonly backendName = 'aim';
  private contextMode: 'prefix' | 'none' = 'prefix';

  getMetadata(): PluginMetadataInput {
    return { ...AIM };
  }

  protected readSettings(config: PluginConfig, context: PluginContext): BridgeSettings {
    this.contextMode = aimContextMode(config);
    return readAimSettings(config, context);
  }

  protected mendName(name: string): string {
    return aimName(name, this.contextMode);
  }
}
