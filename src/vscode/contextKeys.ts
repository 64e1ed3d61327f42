// Context keys that `when` clauses in package.json read, so that commands which make sense only in some states are
// hidden elsewhere (Stop Tracking while nothing is tracked, Compare Runs with fewer than two runs, ...).
import * as vscode from 'vscode';

/** True while at least one run is tracked in this window. */
export const TRACKING = 'tracelet.tracking';
/** How many run folders the store holds (counted from folder names, without reading them). */
export const RUN_COUNT = 'tracelet.runCount';
/** True while some plugin's error names a command that fixes it (Run Fix in Terminal). */
export const HAS_PLUGIN_FIX = 'tracelet.hasPluginFix';

const last = new Map<string, unknown>();

/** Sets a context key, skipping the round trip to the workbench when the value did not change. */
export function setContextKey(key: string, value: unknown): void {
  if (last.has(key) && last.get(key) === value) return;
  last.set(key, value);
  void vscode.commands.executeCommand('setContext', key, value);
}
