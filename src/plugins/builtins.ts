import { factoryOf, inspectPlugin } from '../core/shape';
import { AimBackend } from './aim/aimBackend';
import { ClearmlBackend } from './clearml/clearmlBackend';
import { LightningCsvSource } from './csv/lightningCsvSource';
import { EnvironmentCollector } from './environment/environmentCollector';
import { GitCollector } from './git/gitCollector';
import { GpuCollector } from './gpu/gpuCollector';
import { LocalBackend } from './local/localBackend';
import { MlflowBackend } from './mlflow/mlflowBackend';
import { ProcessCollector } from './process/processCollector';
import { RateProcessor } from './processors/rateProcessor';
import { RenameProcessor } from './processors/renameProcessor';
import { StdoutFramework } from './stdout/stdoutFramework';
import { SystemCollector } from './system/systemCollector';
import { TensorBoardBackend } from './tensorboard/tensorboardBackend';
import { TfEventsSource } from './tensorboard/tfeventsSource';
import { WandbBackend } from './wandb/wandbBackend';

/** The plugins shipped with the extension, registered like any other on the public contract. */
export const BUILTIN_PLUGINS: readonly unknown[] = [
  LocalBackend,
  SystemCollector,
  GitCollector,
  EnvironmentCollector,
  ProcessCollector,
  GpuCollector,
  StdoutFramework,
  MlflowBackend,
  WandbBackend,
  ClearmlBackend,
  AimBackend,
  TensorBoardBackend,
  TfEventsSource,
  LightningCsvSource,
  RateProcessor,
  RenameProcessor,
];

/**
 * Names of the built-ins whose metadata says `enabledByDefault: false` (the trackers a user may not
 * have: left on, every run would try an MLflow server that is not there). The host reads the metadata
 * itself; this list is for tests that count what starts.
 */
export function offUntilEnabled(): ReadonlySet<string> {
  return new Set(BUILTIN_PLUGINS.map((exported) => inspectPlugin(factoryOf(exported))).flatMap((m) => (m.enabledByDefault ? [] : [m.name])));
}
