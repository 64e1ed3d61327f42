import * as vscode from 'vscode';
import { RUN_DEMO } from './commandIds';
import { setContextKey } from './contextKeys';
import { sendToNewTerminal } from './messages';

/** Set once a run has been tracked in this workspace: completes the walkthrough's first step. */
export const HAS_TRACKED_RUN = 'tracelet.hasTrackedRun';

export function markRunTracked(): void {
  setContextKey(HAS_TRACKED_RUN, true);
}

/**
 * The Get Started walkthrough's helpers: the command that runs the demo training in a terminal (the
 * demo's train.py ships in the extension, so it works in any folder), and the context key that says a
 * run was tracked (set too by the Runs view's count when the store already holds one).
 */
export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_DEMO, () => {
      const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'demo', 'train.py').fsPath;
      const python = process.platform === 'win32' ? 'python' : 'python3';
      sendToNewTerminal('Tracelet demo', `${python} "${script}" --epochs 40 --delay 0.1`);
    }),
  );
}
