import { MLFLOW } from '../backendDeclarations';
import { BackendPlugin, type ConnectionTestable, type PluginMetadataInput } from '../../core/plugin';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus, RunStatus } from '../../core/types';
import { MlflowApi, type MlflowRunInfo } from './mlflowApi';
import { proxyArtifactRoot, uploadArtifacts } from './mlflowArtifacts';
import { keyValueJson, logBatchBodies, metricJson } from './mlflowBatches';
import { MLFLOW_LIMITS, NOT_CONFIGURED, readMlflowConfig, type MlflowConfig } from './mlflowConfig';
import { MlflowError } from './mlflowError';
import { MlflowHttp } from './mlflowHttp';
import { KeyCache } from './mlflowKeys';
import { mlflowStatus } from './mlflowRunTags';
import { errorText } from '../../core/errors';

/**
 * Records one Tracelet run as one MLflow run over the tracking server's REST API.
 * Every failure throws an error naming the call (`mlflow runs/log-batch: 400 ...`);
 * a batch sent again after a failure is safe (see metricJson). If the server is down
 * when the run starts, the MLflow run is created by the first call that gets through. A run a closed
 * window left is found again by its `tracelet.runId` tag, so that recovery goes on in the same MLflow run.
 * Without a trackingUri the plugin is idle, and an instance for a run fails to start.
 */
export class MlflowBackend extends BackendPlugin implements ConnectionTestable {
  private settings: MlflowConfig | undefined;
  private http: MlflowHttp | undefined;
  private api: MlflowApi | undefined;
  private run: MlflowRunInfo | undefined;
  private creating: Promise<MlflowRunInfo> | undefined;
  private keys = new KeyCache(() => undefined);
  private readonly keyJson = new Map<string, string>();
  private readonly truncatedParams = new Set<string>();
  private readonly counts = { points: 0, requests: 0, params: 0, artifacts: 0 };
  private outcome: string | undefined;
  private lastError: string | undefined;

  getMetadata(): PluginMetadataInput {
    return { ...MLFLOW };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.settings = readMlflowConfig(config);
    if (this.settings) {
      this.http = new MlflowHttp(this.settings);
      this.api = new MlflowApi(this.http);
    }
    this.keys = new KeyCache((original, key) => context.logger.warn(`name "${original}" is not valid in MLflow; logged as "${key}"`));
  }

  async start(): Promise<void> {
    if (!this.context?.run) return;
    if (!this.settings) throw new Error(NOT_CONFIGURED);
    try {
      await this.ensureRun();
    } catch (err) {
      if (!(err instanceof MlflowError) || !err.transient) throw err;
      this.context.logger.warn(`${err.message}; the MLflow run will be created when the server answers`);
    }
  }

  stop(): void {
    this.http?.dispose();
  }

  getStatus(): PluginStatus {
    return {
      configured: this.settings !== undefined,
      trackingUri: this.settings?.trackingUri,
      experiment: this.settings?.experimentName,
      runId: this.run?.run_id,
      ...this.counts,
      outcome: this.outcome,
      lastError: this.lastError,
    };
  }

  logMetric(name: string, value: number, iteration?: number): Promise<void> {
    return this.logBatch([{ name, value, step: iteration, time: Date.now() }]);
  }

  async logBatch(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const run = await this.ensureRun();
    const entries = points.map((p) => metricJson(this.jsonKey(p.name), p));
    const limits = { maxEntries: this.settings!.batchSize, maxBytes: MLFLOW_LIMITS.requestBytes };
    for (const body of logBatchBodies(run.run_id, 'metrics', entries, limits)) await this.send(() => this.api!.logBatch(body));
    this.counts.points += points.length;
  }

  async logParams(params: Record<string, unknown>): Promise<void> {
    const run = await this.ensureRun();
    const entries: string[] = [];
    for (const [name, raw] of Object.entries(params)) {
      if (raw === undefined) continue;
      const key = this.keys.get(name);
      entries.push(keyValueJson(key, this.paramValue(key, raw)));
    }
    const limits = { maxEntries: MLFLOW_LIMITS.paramsOrTagsPerBatch, maxBytes: MLFLOW_LIMITS.requestBytes };
    for (const body of logBatchBodies(run.run_id, 'params', entries, limits)) await this.send(() => this.api!.logBatch(body));
    this.counts.params += entries.length;
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    const run = await this.ensureRun();
    const root = proxyArtifactRoot(run.artifact_uri ?? `mlflow-artifacts:/${run.experiment_id}/${run.run_id}/artifacts`);
    this.counts.artifacts += await this.send(() => uploadArtifacts(this.http!, root, localPath, artifactPath));
  }

  async finishRun(status: RunStatus, endTime: number): Promise<void> {
    const run = await this.ensureRun();
    await this.send(() => this.api!.updateRun(run.run_id, mlflowStatus(status), endTime));
    this.outcome = mlflowStatus(status);
  }

  /** For the configuration form: can we reach the server, and is the experiment there? */
  async testConnection(config: PluginConfig): Promise<{ ok: boolean; message: string }> {
    let http: MlflowHttp | undefined;
    try {
      const settings = readMlflowConfig(config);
      if (!settings) return { ok: false, message: NOT_CONFIGURED };
      http = new MlflowHttp({ ...settings, timeoutMs: Math.min(settings.timeoutMs, 10_000) });
      const experiment = await new MlflowApi(http).experimentByName(settings.experimentName);
      if (!experiment) return { ok: true, message: `Connected to ${http.origin}; experiment "${settings.experimentName}" will be created by the first run.` };
      if (experiment.lifecycle_stage === 'deleted')
        return { ok: false, message: `Connected to ${http.origin}, but experiment "${settings.experimentName}" is deleted: restore it or pick another name.` };
      return { ok: true, message: `Connected to ${http.origin}; experiment "${settings.experimentName}" has id ${experiment.experiment_id}.` };
    } catch (err) {
      return { ok: false, message: errorText(err) };
    } finally {
      http?.dispose();
    }
  }

  private ensureRun(): Promise<MlflowRunInfo> {
    if (this.run) return Promise.resolve(this.run);
    const info = this.context?.run;
    if (!this.api) return Promise.reject(new Error(NOT_CONFIGURED));
    if (!info) return Promise.reject(new Error('mlflow: this instance records no run (it was not created for a run)'));
    this.creating ??= this.send(async () => {
      const experiment = await this.api!.getOrCreateExperiment(this.settings!.experimentName);
      const earlier = await this.api!.existingRun(experiment.experiment_id, info);
      this.run = earlier ?? (await this.api!.createRun(experiment.experiment_id, info));
      const made = earlier ? 'goes on in the MLflow run an earlier window made,' : 'is MLflow run';
      this.context?.logger.info(`run ${info.id} ${made} ${this.run.run_id} in experiment "${experiment.name}" (${experiment.experiment_id})`);
      return this.run;
    }).finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    this.counts.requests += 1;
    try {
      const result = await call();
      this.lastError = undefined;
      return result;
    } catch (err) {
      this.lastError = errorText(err);
      throw err;
    }
  }

  private jsonKey(name: string): string {
    let json = this.keyJson.get(name);
    if (json === undefined) {
      json = JSON.stringify(this.keys.get(name));
      this.keyJson.set(name, json);
    }
    return json;
  }

  private paramValue(key: string, raw: unknown): string {
    const text = typeof raw === 'string' ? raw : typeof raw === 'object' && raw !== null ? (JSON.stringify(raw) ?? String(raw)) : String(raw);
    const max = this.settings!.maxParamLength;
    if (text.length <= max) return text;
    const chars = Array.from(text);
    if (chars.length <= max) return text;
    if (!this.truncatedParams.has(key)) {
      this.truncatedParams.add(key);
      this.context?.logger.warn(`param "${key}" has ${chars.length} characters; MLflow keeps ${max}, so it is cut to that length`);
    }
    return chars.slice(0, max).join('');
  }
}
