// What the run views' panels share: the webview panel with our CSP'd page, validated messages in, typed messages out,
// and saving an export where the user says.
import { getRandomValues } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../../core/errors';
import { parseRunViewMessage } from '../../webviewProtocol/runViewParse';
import type { HostMessage, RunViewMessage } from '../../webviewProtocol/runViewProtocol';
import { makeNonce } from '../config/configPanelHtml';
import { runViewHtml } from './viewHtml';

export interface RunViewServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  runsRoot: () => string;
  openRun: (id: string) => void;
  compare: (ids: string[]) => void;
}

/** A webview panel showing the charts bundle, which checks every message it gets and sends only what the protocol allows. */
export abstract class ViewPanel implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  readonly panel: vscode.WebviewPanel;
  private disposed = false;

  constructor(
    viewType: string,
    title: string,
    protected readonly services: RunViewServices,
  ) {
    const { extensionUri } = services;
    this.panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'tracelet.svg');
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    webview.html = runViewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => getRandomValues(new Uint8Array(n))),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'charts.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'charts.css')).toString(),
      title,
    });
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      this.panel.onDidChangeViewState(() => this.visibilityChanged(this.panel.visible)),
    );
  }

  protected post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseRunViewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`[${this.panel.title}] ignored a message from the view: ${parsed.reason}`);
      return;
    }
    const message = parsed.message;
    try {
      switch (message.type) {
        case 'cspViolation':
          this.services.log.error(`[${this.panel.title}] the view broke its Content-Security-Policy: ${message.directive} blocked ${message.blocked}`);
          return;
        case 'openRun':
          this.services.openRun(message.runId);
          return;
        case 'compare':
          this.services.compare(message.runIds);
          return;
        default:
          await this.handle(message);
      }
    } catch (err) {
      this.services.log.error(`[${this.panel.title}] the view's ${message.type} request failed: ${errorText(err)}`);
      if (message.type === 'exportCsv' || message.type === 'exportPng') this.post({ type: 'exported', ok: false, message: `Export failed: ${errorText(err)}` });
    }
  }

  protected abstract handle(message: RunViewMessage): Promise<void>;

  protected visibilityChanged(_visible: boolean): void {}

  /** Asks where to save `fileName` (in the workspace folder by default) and writes what `content` gives; says where it went. */
  protected async saveExport(fileName: string, filters: Record<string, string[]>, content: () => Promise<Buffer | string>): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(this.services.runsRoot());
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(folder, fileName)), filters, title: `Export ${fileName}` });
    if (!target) {
      this.post({ type: 'exported', ok: false, message: 'Export cancelled.' });
      return;
    }
    await fs.promises.writeFile(target.fsPath, await content());
    this.post({ type: 'exported', ok: true, message: `Saved ${target.fsPath}` });
    void vscode.window.setStatusBarMessage(`Tracelet: saved ${path.basename(target.fsPath)}`, 5000);
  }

  reveal(): void {
    this.panel.reveal();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
