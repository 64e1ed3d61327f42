import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { pluginLogDocument } from './pluginLogLines';

const SCHEME = 'tracelet-plugin-log';

/**
 * Serves one plugin's lines from the Tracelet log as a read-only document. VS Code
 * writes the log output channel to `<logUri>/Tracelet.log`; the document is read
 * from there each time it is shown.
 */
export class PluginLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  constructor(private readonly logFile: string) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const name = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.log$/, ''));
    let text: string | undefined;
    try {
      text = fs.readFileSync(this.logFile, 'utf8');
    } catch {
      text = undefined;
    }
    return pluginLogDocument(text, name, this.logFile);
  }

  async show(name: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${encodeURIComponent(name)}.log` });
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    await vscode.languages.setTextDocumentLanguage(doc, 'log');
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
