import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { RUN_DEMO } from './commandIds';

/** Set once a run has been tracked in this workspace: completes the walkthrough's first step. */
export const HAS_TRACKED_RUN = 'tracelet.hasTrackedRun';

export function markRunTracked(): void {
  void vscode.commands.executeCommand('setContext', HAS_TRACKED_RUN, true);
}

/**
 * The Get Started walkthrough's helpers: the command that runs the demo training in a terminal (the
 * demo's train.py ships in the extension, so it works in any folder), and the context key that says a
 * run was tracked, set now if the runs folder already holds one (checked after activation returns).
 */
export function registerWalkthrough(context: vscode.ExtensionContext, runsRoot: () => string): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_DEMO, () => {
      const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'demo', 'train.py').fsPath;
      const python = process.platform === 'win32' ? 'python' : 'python3';
      const terminal = vscode.window.createTerminal({ name: 'Tracelet demo' });
      terminal.show();
      terminal.sendText(`${python} "${script}" --epochs 40 --delay 0.1`);
    }),
  );
  setImmediate(() => {
    fs.promises.readdir(runsRoot()).then(
      (entries) => {
        if (entries.some((e) => !e.startsWith('.'))) markRunTracked();
      },
      () => undefined,
    );
  });
}
