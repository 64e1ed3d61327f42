import type * as CreatePluginModule from './authoring/createPlugin';
import type * as ConfigPanelModule from './config/configPanel';
import type * as RecoveryModule from '../core/pipeline/recovery';
import type * as RunSessionModule from '../core/run/runSession';
import type * as TensorBoardModule from '../plugins/tensorboard/tensorboardLauncher';
import type * as RunHandlersModule from './runs/runHandlers';
import type * as RunsTableModule from './views/runsTablePanel';
import type * as StatusBarModule from './statusBar';
import type * as SeriesPanelModule from './views/seriesPanel';

// The parts of the extension activation does not need, each `require`d where it is first used: esbuild.mjs
// builds every module required here as its own file in dist/lazy/ (LAZY), and Node keeps it once loaded.

let configPanel: typeof ConfigPanelModule.ConfigPanel | undefined;

/** The configuration form's host side, when a plugin is first configured. */
export function loadConfigPanel(): typeof ConfigPanelModule.ConfigPanel {
  configPanel ??= (require('./config/configPanel') as typeof ConfigPanelModule).ConfigPanel;
  return configPanel;
}

/** Closes every configuration form, if one was ever opened. */
export function disposeConfigPanels(): void {
  configPanel?.disposeAll();
}

/** The Run view and Compare Runs, when one first opens. */
export function loadSeriesPanel(): typeof SeriesPanelModule.SeriesPanel {
  return (require('./views/seriesPanel') as typeof SeriesPanelModule).SeriesPanel;
}

/** The Runs table, when it first opens. */
export function loadRunsTablePanel(): typeof RunsTableModule.RunsTablePanel {
  return (require('./views/runsTablePanel') as typeof RunsTableModule).RunsTablePanel;
}

/** A run's session (the parser, the store's writer, the pipeline to backends), when the first run starts. */
export function loadRunSession(): typeof RunSessionModule.RunSession {
  return (require('../core/run/runSession') as typeof RunSessionModule).RunSession;
}

/** What the run commands do (export, delete, rename, re-parse, send...), when the first of them runs. */
export function loadRunHandlers(): typeof RunHandlersModule {
  return require('./runs/runHandlers') as typeof RunHandlersModule;
}

/** The status bar's system metrics and their sampler, made just after activation. */
export function loadStatusBar(): typeof StatusBarModule.StatusBar {
  return (require('./statusBar') as typeof StatusBarModule).StatusBar;
}

/** Recovering the runs a previous window left unfinished, after the plugins have started. */
export function loadRecovery(): typeof RecoveryModule {
  return require('../core/pipeline/recovery') as typeof RecoveryModule;
}

/** Finding and starting TensorBoard, for Open TensorBoard. */
export function loadTensorBoardLauncher(): typeof TensorBoardModule {
  return require('../plugins/tensorboard/tensorboardLauncher') as typeof TensorBoardModule;
}

/** Create Plugin's scaffolding. */
export function loadCreatePlugin(): typeof CreatePluginModule.createPlugin {
  return (require('./authoring/createPlugin') as typeof CreatePluginModule).createPlugin;
}
