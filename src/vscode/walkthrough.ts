import * as vscode from 'vscode';
import { RUN_DEMO } from './commandIds';
import { setContextKey } from './contextKeys';

/** Set once a run has been tracked in this workspace: completes the walkthrough's first step. */
export const HAS_TRACKED_RUN = 'tracelet.hasTrackedRun';

export function markRunTracked(): void {
  setContextKey(HAS_TRACKED_RUN, true);
}

/**
 * The Get Started walkthrough's helpers: the command that runs the demo training in a new terminal (the
 * demo's train.py ships in the extension, so it works in any folder), and the context key that says a
 * run was tracked (set too by the Runs view's count when the store already holds one). The demo runs through
 * `run`, the tracker's runTracked (tracked whatever the auto-track settings, its output read from before it
 * starts), or is typed into the terminal when that has no shell integration.
 */
export function registerWalkthrough(context: vscode.ExtensionContext, run: (terminal: vscode.Terminal, commandLine: string) => Promise<boolean>): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_DEMO, async () => {
      const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'demo', 'train.py').fsPath;
      const python = process.platform === 'win32' ? 'python' : 'python3';
      const commandLine = `${python} "${script}" --epochs 40 --delay 0.1`;
      const terminal = vscode.window.createTerminal({ name: 'Tracelet demo' });
      terminal.show();
      if (!(await run(terminal, commandLine))) terminal.sendText(commandLine);
    }),
  );
}
