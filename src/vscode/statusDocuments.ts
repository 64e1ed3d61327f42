import * as vscode from 'vscode';

const SCHEME = 'tracelet-status';

/** Serves the plugin status as a read-only Markdown document, shown in the preview. */
export class StatusDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private content = '';
  private readonly uri = vscode.Uri.from({ scheme: SCHEME, path: '/Tracelet Plugin Status.md' });
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  provideTextDocumentContent(): string {
    return this.content;
  }

  async show(markdown: string): Promise<void> {
    this.content = markdown;
    this.changed.fire(this.uri);
    await vscode.commands.executeCommand('markdown.showPreview', this.uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
