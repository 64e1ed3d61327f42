// What the run commands do (Runs view and palette), loaded when the first of them runs: they read and
// write run folders, re-parse and send metrics versions, none of which activation needs.
export { deleteRun, exportRunCsv, openRunFolder, renameRun, stopTracking } from './runCommands';
export { openRunOutput, reparseRunCommand, sendRunToBackends, switchMetricsVersion } from './runOutputCommands';
