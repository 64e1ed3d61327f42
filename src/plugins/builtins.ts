import { LightningCsvSource } from './csv/lightningCsvSource';
import { EnvironmentCollector } from './environment/environmentCollector';
import { GitCollector } from './git/gitCollector';
import { GpuCollector } from './gpu/gpuCollector';
import { LocalBackend } from './local/localBackend';
import { MlflowBackend } from './mlflow/mlflowBackend';
import { ProcessCollector } from './process/processCollector';
import { StdoutFramework } from './stdout/stdoutFramework';
import { SystemCollector } from './system/systemCollector';
import { TensorBoardBackend } from './tensorboard/tensorboardBackend';
import { TfEventsSource } from './tensorboard/tfeventsSource';

/** The plugins shipped with the extension, registered like any other on the public contract. */
export const BUILTIN_PLUGINS: readonly unknown[] = [LocalBackend, SystemCollector, GitCollector, EnvironmentCollector, ProcessCollector, GpuCollector, StdoutFramework, MlflowBackend, TensorBoardBackend, TfEventsSource, LightningCsvSource];

/**
 * Built-ins that start only once enabled (saving their configuration enables them): the
 * trackers a user may not have. Left on, every run would try an MLflow server that is not
 * there and write TensorBoard files nobody asked for.
 */
export const OFF_UNTIL_ENABLED: ReadonlySet<string> = new Set(['mlflow', 'tensorboard']);
