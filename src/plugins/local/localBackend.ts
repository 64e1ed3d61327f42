import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendPlugin, type PluginMetadataInput } from '../../core/plugin';
import { MetricsLogWriter } from '../../core/store/metricsLog';
import { confinedJoin, realInside } from '../../core/paths/confine';
import { runDirIn, summarise, writeRunRecord, type RunRecord } from '../../core/store/runRecord';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus, RunStatus } from '../../core/types';
import { CORE_VERSION } from '../../core/version';

/** Groups logMetric calls into blocks; a block per call would make the file mostly headers. */
const FLUSH_POINTS = 512;
const FLUSH_DELAY_MS = 50;

/**
 * The embedded store, usable on its own (through dist/core.js) like any backend:
 * one folder per run holding run.json, the metrics log and artifacts/
 * (docs/run-format.md). In VS Code the run pipeline writes this same layout
 * itself, since the run's log is also its write-ahead log; this plugin's
 * `directory` says where.
 */
export class LocalBackend extends BackendPlugin {
  private root = '';
  private runDir: string | undefined;
  private record: RunRecord | undefined;
  private writer: MetricsLogWriter | undefined;
  private pending: MetricPoint[] = [];
  private timer: NodeJS.Timeout | undefined;

  getMetadata(): PluginMetadataInput {
    return {
      name: 'local',
      version: '0.1.0',
      description: 'Keeps runs on disk in the workspace (.tracelet/runs): metadata, metrics and artifacts.',
      author: 'Tracelet',
      pluginType: 'backend',
      entryPoint: 'builtin:local',
      capabilities: ['runStore'],
      dependencies: [],
      configSchema: {
        type: 'object',
        properties: {
          directory: {
            type: 'string',
            default: '',
            description: 'Folder that holds the runs. Empty: .tracelet/runs in the workspace (unless that is a link out of it), or the plugin’s storage when no folder is open.',
          },
        },
        additionalProperties: false,
      },
    };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    const configured = typeof config.directory === 'string' ? config.directory.trim() : '';
    this.root = configured || defaultRunsRoot(context);
  }

  /** runStore: where runs go. */
  get runsRoot(): string {
    return this.root;
  }

  start(): void {
    const run = this.context?.run;
    if (!run) return;
    this.runDir = runDirIn(this.root, run.id);
    fs.mkdirSync(path.join(this.runDir, 'artifacts'), { recursive: true });
    this.record = {
      ...run,
      formatVersion: 1,
      status: 'running',
      versions: { core: CORE_VERSION },
      params: {},
      context: {},
      backends: ['local'],
      ownerPid: process.pid,
      metrics: {},
      updatedAt: 0,
    };
    writeRunRecord(this.runDir, this.record);
    this.writer = MetricsLogWriter.open(path.join(this.runDir, 'metrics.bin'));
  }

  async stop(): Promise<void> {
    this.flush();
    this.writer?.close();
    this.writer = undefined;
    if (this.runDir && this.record) writeRunRecord(this.runDir, this.record);
  }

  getStatus(): PluginStatus {
    return { directory: this.root, run: this.record?.id, points: this.writer?.nextSeq ?? 0 };
  }

  logMetric(name: string, value: number, iteration?: number): void {
    this.requireRun('logMetric');
    this.pending.push(iteration === undefined ? { name, value, time: Date.now() } : { name, value, step: iteration, time: Date.now() });
    if (this.pending.length >= FLUSH_POINTS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  logBatch(points: readonly MetricPoint[]): void {
    this.requireRun('logBatch');
    this.flush();
    this.writer!.append(points);
    summarise(this.record!.metrics, points);
  }

  logParams(params: Record<string, unknown>): void {
    this.requireRun('logParams');
    Object.assign(this.record!.params, params);
    writeRunRecord(this.runDir!, this.record!);
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    this.requireRun('logArtifact');
    const target = confinedJoin('artifact path', path.join(this.runDir!, 'artifacts'), artifactPath ?? path.basename(localPath));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(localPath, target);
  }

  finishRun(status: RunStatus, endTime: number): void {
    this.flush();
    if (!this.record || !this.runDir) return;
    Object.assign(this.record, { status, endTime });
    writeRunRecord(this.runDir, this.record);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || !this.writer) return;
    const points = this.pending;
    this.pending = [];
    this.writer.append(points);
    summarise(this.record!.metrics, points);
  }

  private requireRun(call: string): void {
    if (!this.writer) throw new Error(`${call} needs a run: this instance was not started for one`);
  }
}

/**
 * The workspace's .tracelet/runs, else the plugin's storage. A workspace whose .tracelet (or
 * .tracelet/runs) is a link out of it gets the plugin's storage instead: a cloned folder must not
 * choose where runs are written or deleted.
 */
function defaultRunsRoot(context: PluginContext): string {
  const fallback = path.join(context.storageDir, 'runs');
  const folder = context.workspaceFolders?.[0];
  if (!folder) return fallback;
  const root = path.join(folder, '.tracelet', 'runs');
  try {
    realInside('the runs folder', folder, root);
    return root;
  } catch (err) {
    context.logger.warn(`${(err as Error).message}; runs are kept in ${fallback} instead`);
    return fallback;
  }
}
