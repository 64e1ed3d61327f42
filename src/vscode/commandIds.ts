/** Every command the extension contributes; a test checks this against package.json both ways. */
export enum CommandId {
  ReloadPlugins = 'tracelet.reloadPlugins',
  ShowPluginStatus = 'tracelet.showPluginStatus',
  StartTracking = 'tracelet.startTracking',
  StopTracking = 'tracelet.stopTracking',
  ConfigurePlugin = 'tracelet.configurePlugin',
  OpenLogs = 'tracelet.openLogs',
  RefreshRuns = 'tracelet.refreshRuns',
  OpenRunFolder = 'tracelet.openRunFolder',
  ExportRunCsv = 'tracelet.exportRunCsv',
  DeleteRun = 'tracelet.deleteRun',
  RenameRun = 'tracelet.renameRun',
  EnablePlugin = 'tracelet.enablePlugin',
  DisablePlugin = 'tracelet.disablePlugin',
  RestartPlugin = 'tracelet.restartPlugin',
  ShowPluginLog = 'tracelet.showPluginLog',
  RunPluginFix = 'tracelet.runPluginFix',
  OpenTensorBoard = 'tracelet.openTensorBoard',
  CreatePlugin = 'tracelet.createPlugin',
}

/** Opens the live system details; registered by the status bar (statusBar.ts), which owns what it shows. */
export const SHOW_SYSTEM_DETAILS = 'tracelet.showSystemDetails';

/** The run views' commands; registered by their owner (views/runViews.ts). */
export const OPEN_RUN_VIEW = 'tracelet.openRunView';
/** A click on a row of the Runs view: opens the run selected there (see RunViews). */
export const OPEN_SELECTED_RUN = 'tracelet.openSelectedRun';
export const COMPARE_RUNS = 'tracelet.compareRuns';
export const OPEN_RUNS_TABLE = 'tracelet.openRunsTable';

/** A run's stored output and its metrics versions; registered by their owner (runs/runOutputCommands.ts). */
export const OPEN_RUN_OUTPUT = 'tracelet.openRunOutput';
export const REPARSE_RUN = 'tracelet.reparseRun';
export const SEND_RUN_TO_BACKENDS = 'tracelet.sendRunToBackends';
export const SWITCH_METRICS_VERSION = 'tracelet.switchMetricsVersion';

/** Runs the demo training in a terminal; the walkthrough's first step (walkthrough.ts). */
export const RUN_DEMO = 'tracelet.runDemo';

export const COMMAND_IDS: readonly string[] = [
  SHOW_SYSTEM_DETAILS,
  RUN_DEMO,
  OPEN_RUN_VIEW,
  OPEN_SELECTED_RUN,
  COMPARE_RUNS,
  OPEN_RUNS_TABLE,
  OPEN_RUN_OUTPUT,
  REPARSE_RUN,
  SEND_RUN_TO_BACKENDS,
  SWITCH_METRICS_VERSION,
  CommandId.ReloadPlugins,
  CommandId.ShowPluginStatus,
  CommandId.StartTracking,
  CommandId.StopTracking,
  CommandId.ConfigurePlugin,
  CommandId.OpenLogs,
  CommandId.RefreshRuns,
  CommandId.OpenRunFolder,
  CommandId.ExportRunCsv,
  CommandId.DeleteRun,
  CommandId.RenameRun,
  CommandId.EnablePlugin,
  CommandId.DisablePlugin,
  CommandId.RestartPlugin,
  CommandId.ShowPluginLog,
  CommandId.RunPluginFix,
  CommandId.OpenTensorBoard,
  CommandId.CreatePlugin,
];

export const VIEW_PLUGINS = 'tracelet.plugins';
export const VIEW_RUNS = 'tracelet.runs';
