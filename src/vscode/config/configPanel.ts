import { createHash, getRandomValues } from 'node:crypto';
import * as vscode from 'vscode';
import type { StateChange } from '../../core/managerTypes';
import { isPlainObject } from '../../core/form/jsonPointer';
import { parseWebviewMessage, type HostMessage, type InitMessage, type WebviewMessage } from '../../webviewProtocol/configProtocol';
import { configPanelHtml, makeNonce } from './configPanelHtml';
import { stripSecrets } from '../../core/secrets/configSecrets';
import { canTestConnection, canTryOutput, saveConfig, schemaOf, testConnection, tryOutput, type ConfigServices } from './configRequests';
import { outputRuns } from './outputTry';
import { presetsOf, type ConfigPreset } from '../../core/form/presets';
import { RunSummaries } from '../../core/series/runSummaries';
import { formatConfigErrors } from '../../core/validate';
import { pluginView } from './pluginView';
import { validatorScript } from './validatorScript';
import { errorText } from '../../core/errors';

export const CONFIG_PANEL_VIEW_TYPE = 'tracelet.pluginConfig';

/**
 * One configuration form per plugin. Security: the HTML's CSP allows scripts only
 * by a fresh nonce (no 'unsafe-eval'), so ajv cannot compile in the webview; the
 * schema's validator is compiled here with ajv's standalone code generation and
 * sent as a nonce'd inline script, which needs no file on disk and no extra
 * localResourceRoot. Every message from the webview is checked against the typed
 * protocol first; the plugin it is about is this panel's, never one the webview names.
 *
 * State: the panel keeps no context while hidden
 * (no retainContextWhenHidden): the form's draft is small and the webview keeps it
 * with setState, so a hidden form costs no renderer process. Typed secrets are not
 * kept in that state, so hiding the panel forgets an unsaved secret.
 */
export class ConfigPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ConfigPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private schemaHash = '';
  private liveValidation = false;
  /** The runs Try may read, through a cache that reads only the run.json files that changed since the last listing. */
  private readonly summaries = new RunSummaries();
  private readonly mask = (text: string): string => this.services.host.mask(text);

  static show(name: string, services: ConfigServices, extensionUri: vscode.Uri): void {
    const existing = ConfigPanel.open.get(name);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CONFIG_PANEL_VIEW_TYPE, `Configure ${name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'tracelet.svg');
    ConfigPanel.open.set(name, new ConfigPanel(name, panel, services, extensionUri));
  }

  static disposeAll(): void {
    for (const p of [...ConfigPanel.open.values()]) p.dispose();
  }

  private constructor(
    private readonly name: string,
    private readonly panel: vscode.WebviewPanel,
    private readonly services: ConfigServices,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.render();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      services.host.onDidChange((e) => this.pluginChanged(e)),
    );
  }

  /** Sets the HTML, with the validator compiled from the plugin's current schema. */
  private render(): void {
    const described = schemaOf(this.services.host, this.name);
    const compiled = described ? validatorScript(described.schema) : { ok: false as const, reason: 'the plugin is not loaded' };
    if (!compiled.ok) this.services.log.warn(`[${this.name}] the configuration form validates on save only: ${compiled.reason}`);
    this.liveValidation = compiled.ok;
    this.schemaHash = this.currentSchemaHash();
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    webview.html = configPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => getRandomValues(new Uint8Array(n))),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.css')).toString(),
      validatorSource: compiled.ok ? compiled.source : undefined,
      title: `Configure ${this.name}`,
    });
  }

  private currentSchemaHash(): string {
    return createHash('sha256')
      .update(JSON.stringify(schemaOf(this.services.host, this.name)?.schema ?? null))
      .digest('hex');
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`[${this.name}] ignored a message from the configuration form: ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (err) {
      this.services.log.error(`[${this.name}] the configuration form's ${parsed.message.type} request failed: ${errorText(err)}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post(await this.init());
        return;
      case 'save':
        this.post(await saveConfig(this.services, this.name, message));
        return;
      case 'testConnection':
        this.post(await testConnection(this.services, this.name, message));
        return;
      case 'listOutputRuns':
        if (canTryOutput(this.services.host, this.name)) this.post({ type: 'outputRuns', runs: outputRuns(this.summaries, this.services.runsRoot()) });
        return;
      case 'tryOutput':
        if (canTryOutput(this.services.host, this.name)) this.post(await tryOutput(this.services, this.name, message, this.summaries));
        return;
      case 'cspViolation':
        this.services.log.error(`[${this.name}] the configuration form broke its Content-Security-Policy: ${message.directive} blocked ${message.blocked}`);
        return;
    }
  }

  private async init(): Promise<InitMessage> {
    const { host, secrets, writer } = this.services;
    const info = host.manager.getPluginInfo(this.name);
    const described = schemaOf(host, this.name);
    const config = this.services.settings.plugin(this.name).config;
    const values = isPlainObject(config) ? stripSecrets(config, described?.secretPaths ?? []) : {};
    return {
      type: 'init',
      plugin: info
        ? pluginView(info, this.mask)
        : { name: this.name, version: undefined, description: '', type: undefined, state: 'error', error: 'not loaded', errorKind: 'load', configErrors: [] },
      schema: described?.schema ?? { type: 'object', properties: {} },
      values,
      secretPaths: described?.secretPaths ?? [],
      storedSecrets: described ? await secrets.storedPaths(this.name, described.secretPaths) : [],
      scope: writer.defaultScope(this.name),
      scopes: writer.scopes(this.name),
      canTestConnection: canTestConnection(host, this.name),
      presets: described ? this.presets(described.schema, described.secretPaths) : [],
      canTryOutput: canTryOutput(host, this.name),
      liveValidation: this.liveValidation,
    };
  }

  /** The schema's presets the plugin accepts (secrets aside: a preset holds none); the others are logged and left out. */
  private presets(schema: Parameters<typeof presetsOf>[0], secretPaths: string[]): ConfigPreset[] {
    const { presets, problems } = presetsOf(schema, (config) => {
      const errors = this.services.host.manager.validateConfig(this.name, config).errors.filter((e) => !secretPaths.includes(e.path));
      return errors.length > 0 ? formatConfigErrors(errors) : undefined;
    });
    for (const problem of problems) this.services.log.warn(`[${this.name}] the configuration form leaves out ${problem}`);
    return presets;
  }

  private pluginChanged(e: StateChange | undefined): void {
    if (e !== undefined && e.name !== this.name) return;
    if (e === undefined) {
      // A reload may have brought a new version of the plugin with another schema: the form starts again.
      if (this.currentSchemaHash() !== this.schemaHash) {
        this.render();
        return;
      }
    }
    const info = this.services.host.manager.getPluginInfo(this.name);
    if (info) this.post({ type: 'plugin', plugin: pluginView(info, this.mask) });
  }

  dispose(): void {
    if (ConfigPanel.open.get(this.name) === this) ConfigPanel.open.delete(this.name);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
