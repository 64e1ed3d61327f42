import type { DeclaredPlugin } from '../core/managerTypes';
import { normaliseMetadata } from '../core/metadata';
import type { PluginLike } from '../core/plugin';
import type { PythonSources } from '../core/python/pythonSources';
import { factoryOf } from '../core/shape';
import { AIM, CLEARML, LOCAL, MLFLOW, TENSORBOARD, WANDB } from './backendDeclarations';
import { ENVIRONMENT, GIT, GPU, PROCESS, SYSTEM } from './collectorDeclarations';
import { LIGHTNING_CSV, RATE, RENAME, TFEVENTS } from './frameworkDeclarations';
import type * as Csv from './csv/lightningCsvSource';
import type * as Environment from './environment/environmentCollector';
import type * as Git from './git/gitCollector';
import type * as Gpu from './gpu/gpuCollector';
import type * as Local from './local/localBackend';
import type * as Mlflow from './mlflow/mlflowBackend';
import type * as Process from './process/processCollector';
import type * as Rate from './processors/rateProcessor';
import type * as Rename from './processors/renameProcessor';
import type * as Bridge from './pythonBridgePlugins';
import type * as Stdout from './stdout/stdoutFramework';
import type * as System from './system/systemCollector';
import type * as TensorBoard from './tensorboard/tensorboardBackend';
import type * as TfEvents from './tensorboard/tfeventsSource';

// Each `require` is of a module esbuild.mjs builds as its own file in dist/lazy/, so that a plugin's code is
// loaded when the plugin is first started (or tested), not at activation; Node caches it after that.

/**
 * The plugins shipped with the extension, registered like any other on the public contract: listed and
 * configured from their metadata, their code loaded on first use. `python`: where the bridge backends
 * (W&B, Aim, ClearML) find their interpreter, handed to their bundle's own copy of the sources when it loads.
 */
export function builtinPlugins(python?: PythonSources): DeclaredPlugin[] {
  const bridge = (): typeof Bridge => {
    const loaded = require('./pythonBridgePlugins') as typeof Bridge;
    if (python) loaded.setPythonSources(python);
    return loaded;
  };
  return [
    { metadata: LOCAL, load: () => (require('./local/localBackend') as typeof Local).LocalBackend },
    { metadata: SYSTEM, load: () => (require('./system/systemCollector') as typeof System).SystemCollector },
    { metadata: GIT, load: () => (require('./git/gitCollector') as typeof Git).GitCollector },
    { metadata: ENVIRONMENT, load: () => (require('./environment/environmentCollector') as typeof Environment).EnvironmentCollector },
    { metadata: PROCESS, load: () => (require('./process/processCollector') as typeof Process).ProcessCollector },
    { metadata: GPU, load: () => (require('./gpu/gpuCollector') as typeof Gpu).GpuCollector },
    // No declaration: its schema is built from the parser's formats and presets, which change with them. It
    // is on by default, so its code is loaded when plugins are discovered, after activation.
    { load: () => (require('./stdout/stdoutFramework') as typeof Stdout).StdoutFramework },
    { metadata: MLFLOW, load: () => (require('./mlflow/mlflowBackend') as typeof Mlflow).MlflowBackend },
    { metadata: WANDB, load: () => bridge().WandbBackend },
    { metadata: CLEARML, load: () => bridge().ClearmlBackend },
    { metadata: AIM, load: () => bridge().AimBackend },
    { metadata: TENSORBOARD, load: () => (require('./tensorboard/tensorboardBackend') as typeof TensorBoard).TensorBoardBackend },
    { metadata: TFEVENTS, load: () => (require('./tensorboard/tfeventsSource') as typeof TfEvents).TfEventsSource },
    { metadata: LIGHTNING_CSV, load: () => (require('./csv/lightningCsvSource') as typeof Csv).LightningCsvSource },
    { metadata: RATE, load: () => (require('./processors/rateProcessor') as typeof Rate).RateProcessor },
    { metadata: RENAME, load: () => (require('./processors/renameProcessor') as typeof Rename).RenameProcessor },
  ];
}

/**
 * Names of the built-ins whose metadata says `enabledByDefault: false` (the trackers a user may not
 * have: left on, every run would try an MLflow server that is not there). The host reads the metadata
 * itself; this list is for tests that count what starts.
 */
export function offUntilEnabled(): ReadonlySet<string> {
  const metadata = builtinPlugins().map((p) => normaliseMetadata(p.metadata ?? (factoryOf(p.load())() as PluginLike).getMetadata()));
  return new Set(metadata.flatMap((m) => (m.enabledByDefault ? [] : [m.name])));
}
