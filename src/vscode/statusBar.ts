import * as vscode from 'vscode';
import { Sampler } from '../core/sampler/sampler';
import type { CollectorReport, Sample, SampleSource } from '../core/sampler/types';
import { SHOW_SYSTEM_DETAILS } from './commandIds';
import type { PluginHost } from './pluginHost';
import { Settings } from './settings';
import { buildDetailRows } from './statusBarDetails';
import { buildStatusBarView, otherReadouts, statusValues } from './statusBarModel';
import type { StatusBarSettings } from './statusBarSettings';

/**
 * The one owner of the system-metrics status-bar item: runs the sampler over the
 * live collector instances (looked up again at every tick, so a plugin reload or
 * a newly enabled plugin is picked up), renders each sample through the pure
 * model, applies its settings live, pauses while the window is unfocused, and
 * opens the details quick pick.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly sampler: Sampler;
  private readonly subscriptions: vscode.Disposable[] = [];
  private settings: StatusBarSettings;
  private last: Sample | undefined;
  private kick: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: PluginHost,
    private readonly config: Settings,
  ) {
    this.settings = config.statusBar();
    this.item = vscode.window.createStatusBarItem('tracelet.systemMetrics', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Tracelet System Metrics';
    this.item.command = SHOW_SYSTEM_DETAILS;
    this.item.text = '$(pulse) Tracelet';
    this.sampler = new Sampler({ intervalMs: this.settings.intervalMs, sources: () => this.sources() });
    this.subscriptions.push(
      this.item,
      this.sampler,
      this.sampler.onDidSample((sample) => {
        this.last = sample;
        this.render();
      }),
      vscode.commands.registerCommand(SHOW_SYSTEM_DETAILS, () => this.showDetails()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Settings.affectsStatusBar(e)) this.apply();
      }),
      vscode.window.onDidChangeWindowState(() => this.updateRunning()),
      // After a (re)load the collectors are new instances: sample soon instead of a whole interval later.
      host.onDidChange(() => this.sampleSoon()),
    );
    this.apply();
  }

  /** What each collector costs, for other views. */
  reports(): CollectorReport[] {
    return this.sampler.reports();
  }

  dispose(): void {
    clearTimeout(this.kick);
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  private apply(): void {
    this.settings = this.config.statusBar();
    this.sampler.setIntervalMs(this.settings.intervalMs);
    if (this.settings.enabled) this.item.show();
    else this.item.hide();
    this.updateRunning();
    this.render();
  }

  private updateRunning(): void {
    if (!this.settings.enabled) {
      this.sampler.stop();
      return;
    }
    const wanted = vscode.window.state.focused || !this.settings.pauseWhenUnfocused;
    if (wanted) {
      if (this.sampler.state === 'paused') this.sampler.resume();
      else this.sampler.start();
    } else if (this.sampler.state === 'running') {
      this.sampler.pause();
      this.render();
    } else if (this.sampler.state === 'stopped') {
      // Opened in the background: one sample so the item has something to show, then wait for focus.
      this.sampler.start();
      this.sampler.pause();
      void this.sampler.tick();
    }
  }

  /** One sample shortly after plugins change, also while paused, so a new or reloaded collector shows up at once. */
  private sampleSoon(): void {
    if (this.kick || this.sampler.state === 'stopped') return;
    this.kick = setTimeout(() => {
      this.kick = undefined;
      void this.sampler.tick();
    }, 500);
  }

  /** The active statusReadout plugins; a process-tree one (costlier) only while the `proc` field is shown. */
  private sources(): SampleSource[] {
    return this.host.manager
      .capable('statusReadout')
      .filter((p) => !p.metadata.capabilities.includes('processTree') || this.settings.fields.includes('proc'))
      .map((p) => ({ name: p.name, collector: p.instance }));
  }

  private render(): void {
    if (!this.settings.enabled) return;
    const sampled = this.last?.values ?? {};
    const view = buildStatusBarView({
      values: statusValues(sampled),
      others: otherReadouts(sampled),
      reports: this.sampler.reports(),
      settings: this.settings,
      paused: this.sampler.state === 'paused',
    });
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip, true);
    this.item.backgroundColor = view.backgroundColor ? new vscode.ThemeColor(view.backgroundColor) : undefined;
    this.item.accessibilityInformation = {
      label: `System metrics: ${view.text.replace(/^\$\(pulse\) /, '')}${view.alerts.length ? `. ${view.alerts.join('. ')}` : ''}`,
    };
  }

  /** A quick pick of everything sampled, kept up to date while it is open. */
  private async showDetails(): Promise<void> {
    if (this.sampler.state !== 'running') await this.sampler.tick();
    const pick = vscode.window.createQuickPick();
    pick.title = 'Tracelet: System Details';
    pick.placeholder = 'Per-core CPU, memory, disks, network and GPUs (live)';
    pick.matchOnDescription = true;
    const fill = (): void => {
      const sampled = this.last?.values ?? {};
      pick.items = buildDetailRows(statusValues(sampled), this.sampler.reports(), otherReadouts(sampled)).map((r) =>
        r.separator ? { label: r.label, kind: vscode.QuickPickItemKind.Separator } : { label: r.label, description: r.description, detail: r.detail },
      );
    };
    fill();
    const live = this.sampler.onDidSample(fill);
    pick.onDidHide(() => {
      live.dispose();
      pick.dispose();
    });
    pick.show();
  }
}
