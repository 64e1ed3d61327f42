// Errors and warnings the user sees in a notification. Each one offers at least one action that leads to the fix
// (the type asks for it, and test/unit/messages.test.ts checks that no other code shows one without going through here),
// as the best-kept extensions do: a message with nothing to click leaves the user to guess where to go next.
import * as vscode from 'vscode';
import { CommandId } from './commandIds';

export interface MessageAction {
  title: string;
  run(): unknown;
}

type Actions = [MessageAction, ...MessageAction[]];

export function showError(message: string, ...actions: Actions): Promise<void> {
  return offer(vscode.window.showErrorMessage(message, ...actions.map((a) => a.title)), actions);
}

export function showWarning(message: string, ...actions: Actions): Promise<void> {
  return offer(vscode.window.showWarningMessage(message, ...actions.map((a) => a.title)), actions);
}

/** Information that comes with a next step (not an error: the user asked for something there is nothing of yet). */
export function offerInfo(message: string, ...actions: Actions): Promise<void> {
  return offer(vscode.window.showInformationMessage(message, ...actions.map((a) => a.title)), actions);
}

async function offer(shown: Thenable<string | undefined>, actions: Actions): Promise<void> {
  const picked = await shown;
  await actions.find((a) => a.title === picked)?.run();
}

function command(title: string, id: string, ...args: unknown[]): MessageAction {
  return { title, run: () => vscode.commands.executeCommand(id, ...args) };
}

/** The "Tracelet" log, where every failure is written with its details. */
export const showLog = (): MessageAction => command('Show Log', CommandId.OpenLogs);

/** One plugin's lines of the log; `{ pluginName }` is what the Plugins view's items hand to the plugin commands. */
export const showPluginLog = (plugin: string): MessageAction => command('Show Plugin Log', CommandId.ShowPluginLog, { pluginName: plugin });

export const showPluginStatus = (plugin: string): MessageAction => command('Show Plugin Status', CommandId.ShowPluginStatus, { pluginName: plugin });

export const configurePlugin = (plugin: string): MessageAction => command('Configure', CommandId.ConfigurePlugin, { pluginName: plugin });

export const openPluginsView = (): MessageAction => command('Open Plugins View', 'tracelet.plugins.focus');

export const refreshRuns = (): MessageAction => command('Refresh Runs', CommandId.RefreshRuns);

export const stopTracking = (): MessageAction => command('Stop Tracking', CommandId.StopTracking);

export const newTerminal = (): MessageAction => command('New Terminal', 'workbench.action.terminal.new');

export const openSetting = (key: string): MessageAction => command('Open Setting', 'workbench.action.openSettings', key);

export const manageTrust = (): MessageAction => command('Manage Workspace Trust', 'workbench.trust.manage');

/** Runs a command line in a new terminal the user sees, so that nothing (a pip install) happens behind their back. */
export function sendToNewTerminal(terminalName: string, commandLine: string): void {
  const terminal = vscode.window.createTerminal({ name: terminalName });
  terminal.show();
  terminal.sendText(commandLine);
}

/** A fix that is a command line, run as sendToNewTerminal runs it. */
export function runInTerminal(title: string, commandLine: string): MessageAction {
  return { title, run: () => sendToNewTerminal(`Tracelet: ${title}`, commandLine) };
}
