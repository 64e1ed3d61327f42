import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { trackedRunText } from './runStatusText';
import type { TerminalTracker } from './terminalTracker';

/** The status-bar item of the runs being tracked: their own process tree's CPU and memory; a click stops tracking. */
export class RunStatusItem implements vscode.Disposable {
  /** Made when the first run is tracked: a window where none is has no use for it. */
  private item: vscode.StatusBarItem | undefined;

  constructor(private readonly tracker: TerminalTracker) {}

  /** Re-reads the tracked runs; called on every run change and sample. */
  update(): void {
    const view = trackedRunText(this.tracker.sessions().map((s) => ({ name: s.record.name, usage: s.usage, record: s.record })));
    if (!view) {
      this.item?.hide();
      return;
    }
    if (!this.item) {
      this.item = vscode.window.createStatusBarItem('tracelet.trackedRun', vscode.StatusBarAlignment.Right, 101);
      this.item.name = 'Tracelet Tracked Run';
      this.item.command = CommandId.StopTracking;
    }
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip, true);
    this.item.show();
  }

  dispose(): void {
    this.item?.dispose();
  }
}
