import { LOCAL } from '../backendDeclarations';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendPlugin, type PluginMetadataInput } from '../../core/plugin';
import { errorText } from '../../core/errors';
import { confinedJoin, realInside } from '../../core/paths/confine';
import { newRunRecord, runDirIn } from '../../core/store/runRecord';
import { RunWriter } from '../../core/store/runWriter';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus, RunStatus } from '../../core/types';
import { CORE_VERSION } from '../../core/version';

/**
 * The embedded store, usable on its own (through dist/core.js) like any backend:
 * one folder per run holding run.json, the metrics log and artifacts/
 * (docs/run-format.md), written through the same RunWriter as the run pipeline.
 * In VS Code the pipeline writes the run folder itself, since the run's log is
 * also its write-ahead log; this plugin's `directory` says where.
 */
export class LocalBackend extends BackendPlugin {
  private root = '';
  private runDir: string | undefined;
  private run: RunWriter | undefined;

  getMetadata(): PluginMetadataInput {
    return { ...LOCAL };
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
    const context = this.context;
    const run = context?.run;
    if (!context || !run) return;
    this.runDir = runDirIn(this.root, run.id);
    this.run = RunWriter.open({
      runDir: this.runDir,
      record: newRunRecord(run, { versions: { core: CORE_VERSION }, backends: ['local'] }),
      logger: context.logger,
    });
  }

  async stop(): Promise<void> {
    this.run?.end();
  }

  getStatus(): PluginStatus {
    return { directory: this.root, run: this.run?.record.id, points: this.run?.stored ?? 0 };
  }

  logMetric(name: string, value: number, iteration?: number): void {
    this.requireRun('logMetric').add([iteration === undefined ? { name, value, time: Date.now() } : { name, value, step: iteration, time: Date.now() }]);
  }

  /** Stored before it returns, like every batch a backend acknowledges. */
  logBatch(points: readonly MetricPoint[]): void {
    const run = this.requireRun('logBatch');
    run.add(points);
    run.flush();
  }

  logParams(params: Record<string, unknown>): void {
    const run = this.requireRun('logParams');
    Object.assign(run.record.params, params);
    run.saveRecord();
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    this.requireRun('logArtifact');
    const target = confinedJoin('artifact path', path.join(this.runDir!, 'artifacts'), artifactPath ?? path.basename(localPath));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(localPath, target);
  }

  finishRun(status: RunStatus, endTime: number): void {
    if (!this.run) return;
    this.run.flush();
    Object.assign(this.run.record, { status, endTime });
    this.run.saveRecord();
  }

  private requireRun(call: string): RunWriter {
    if (!this.run) throw new Error(`${call} needs a run: this instance was not started for one`);
    return this.run;
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
    context.logger.warn(`${errorText(err)}; runs are kept in ${fallback} instead`);
    return fallback;
  }
}
