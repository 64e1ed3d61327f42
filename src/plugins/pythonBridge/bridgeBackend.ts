import { execFile } from 'node:child_process';
import { BackendPlugin } from '../../core/plugin';
import { interpreterFor } from '../../core/python/pythonSources';
import { checkPythonDependencies, parsePythonDependency, type PythonDependencyProblem } from '../../core/python/pythonDependencies';
import type { Interpreter } from '../../core/python/interpreter';
import { programEnv } from '../../core/secrets/programEnv';
import type { MetricPoint, PluginConfig, PluginContext, PluginStatus, RunStatus } from '../../core/types';
import { errorText } from '../../core/errors';
import { BridgeCallError, BridgeProcess } from './bridgeProcess';
import { pointsRequest, type BridgeRun } from './bridgeProtocol';

/** What a tracker's plugin tells the shared bridge backend. */
export interface BridgeSettings {
  /** The `start` request's config: everything the adapter needs, no secret. */
  startConfig: Record<string, unknown>;
  /** Secrets and SDK settings for the bridge's environment only (`WANDB_API_KEY`, …). */
  env: Record<string, string>;
  callTimeoutMs: number;
}

export class PythonDependencyError extends Error {
  constructor(
    readonly problems: PythonDependencyProblem[],
    readonly interpreter: string,
  ) {
    super(problems.map((p) => p.reason).join('; '));
    this.name = 'PythonDependencyError';
  }

  /** What the Plugins view's "Run Fix in Terminal" runs: every problem's pip command. */
  get fix(): string {
    return this.problems
      .map((p) => p.fix)
      .filter((f) => f !== '')
      .join(' && ');
  }
}

/** Runs the probe with the interpreter: execFile, no shell, a bounded time. */
function runProbe(interpreter: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(interpreter, [...args], { env, timeout: 20_000, maxBuffer: 1 << 20, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      resolve({ code, stdout, stderr: err && code === null ? `${stderr}${err.message}` : stderr });
    });
  });
}

/** The time a hung `hello` (an SDK import) or `start` (wandb.init, Task.init) may take, whatever callTimeoutMs says. */
const START_TIMEOUT_MS = 180_000;

/**
 * A backend that records a run through a tracker's Python SDK, in a bridge process (docs/python-bridge.md).
 * The instance made for a run starts its bridge in the background; each batch the pipeline hands over is
 * acknowledged only once the bridge says the SDK took it. A bridge that dies or hangs fails the batch (the
 * pipeline keeps it and retries), and the next call starts a new bridge that continues the tracker's run.
 */
export abstract class PythonBridgeBackend extends BackendPlugin {
  protected settings: BridgeSettings | undefined;
  private interpreter: Interpreter | undefined;
  private bridge: BridgeProcess | undefined;
  private connecting: Promise<BridgeProcess> | undefined;
  private params: Record<string, unknown> | undefined;
  private readonly renamed = new Map<string, string>();
  protected readonly counts = { points: 0, batches: 0, dropped: 0, bridgesStarted: 0, artifacts: 0 };
  protected sdk: { python: string; sdk: string } | undefined;
  protected startReply: Record<string, unknown> | undefined;
  private lastError: string | undefined;
  private outcome: string | undefined;

  /** `wandb`, `clearml` or `aim`: the adapter the bridge loads. */
  protected abstract readonly backendName: string;
  protected abstract readSettings(config: PluginConfig, context: PluginContext): BridgeSettings;
  /** The name the tracker accepts for a metric (called once per name; a change is logged once). */
  protected abstract mendName(name: string): string;

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.settings = this.readSettings(config, context);
  }

  /**
   * The plugin's own instance checks its Python and the SDK's version (so a missing SDK shows on the plugin
   * with the pip command); an instance for a run starts its bridge in the background.
   */
  async start(): Promise<void> {
    this.interpreter = await this.resolveInterpreter();
    if (!this.context?.run) {
      await this.checkDependencies(this.interpreter.path);
      return;
    }
    this.connecting = this.connect();
    this.connecting.catch(() => undefined); // reported by the first call that needs it
  }

  async stop(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = undefined;
    await bridge?.close(8000);
  }

  getStatus(): PluginStatus {
    return {
      python: this.interpreter ? `${this.interpreter.path} (${this.interpreter.source})` : undefined,
      sdk: this.sdk?.sdk,
      bridgePid: this.bridge?.alive ? this.bridge.pid : undefined,
      ...this.counts,
      trackerRun: this.startReply?.ref,
      outcome: this.outcome,
      lastError: this.lastError,
    };
  }

  logMetric(name: string, value: number, iteration?: number): Promise<void> {
    return this.logBatch([{ name, value, step: iteration, time: Date.now() }]);
  }

  async logBatch(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const reply = await this.send('points', (bridge) => bridge.call('points', (id) => pointsRequest(id, points, (n) => this.trackerName(n))));
    this.counts.points += points.length;
    this.counts.batches += 1;
    this.noteDropped(reply.dropped);
    this.accepted(points, reply);
  }

  async logParams(params: Record<string, unknown>): Promise<void> {
    this.params = { ...this.params, ...params };
    await this.send('params', (bridge) => bridge.call('params', { params }));
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    await this.send('artifact', (bridge) => bridge.call('artifact', { path: localPath, name: artifactPath ?? null }));
    this.counts.artifacts += 1;
  }

  async finishRun(status: RunStatus, endTime: number): Promise<void> {
    const reply = await this.send('finish', (bridge) => bridge.call('finish', { status, endTime, exitCode: null }));
    this.outcome = `${status}${reply.exitCode !== undefined ? ` (exit code ${String(reply.exitCode)})` : ''}`;
    const bridge = this.bridge;
    this.bridge = undefined;
    await bridge?.close(5000);
  }

  /** After a batch was accepted: the W&B plugin keeps recent points to resend to a continuation run. */
  protected accepted(_points: readonly MetricPoint[], _reply: Record<string, unknown>): void {}

  /** Points to send again to a bridge that continues the run (after the last one died), from what its `start` said. */
  protected resendAfterRestart(_startReply: Record<string, unknown>): MetricPoint[] {
    return [];
  }

  protected trackerName(name: string): string {
    let key = this.renamed.get(name);
    if (key === undefined) {
      key = this.mendName(name);
      this.renamed.set(name, key);
      if (key !== name) this.context?.logger.warn(`name "${name}" is not valid in ${this.backendName}; logged as "${key}"`);
    }
    return key;
  }

  private async send(op: string, call: (bridge: BridgeProcess) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    try {
      const bridge = await this.ensureBridge();
      const reply = await call(bridge);
      this.lastError = undefined;
      return reply;
    } catch (err) {
      this.lastError = errorText(err);
      if (err instanceof BridgeCallError && err.bridgeLost) this.bridge = undefined;
      if (err instanceof BridgeCallError || err instanceof PythonDependencyError) throw err;
      throw new Error(`${this.backendName} ${op}: ${errorText(err)}`);
    }
  }

  private ensureBridge(): Promise<BridgeProcess> {
    if (this.bridge?.alive) return Promise.resolve(this.bridge);
    this.connecting ??= this.connect();
    return this.connecting;
  }

  /** Starts a bridge and opens (or continues) the tracker's run in it; the last bridge, if any, is gone. */
  private async connect(): Promise<BridgeProcess> {
    try {
      const info = this.context?.run;
      if (!info) throw new Error(`${this.backendName}: this instance records no run (it was not created for a run)`);
      const settings = this.settings!;
      this.interpreter ??= await this.resolveInterpreter();
      const restart = this.counts.bridgesStarted > 0;
      const bridge = new BridgeProcess({
        backend: this.backendName,
        interpreter: this.interpreter.path,
        env: programEnv(process.env, settings.env),
        cwd: info.cwd,
        logger: this.context!.logger,
        callTimeoutMs: settings.callTimeoutMs,
      });
      this.counts.bridgesStarted += 1;
      try {
        const hello = await bridge.call('hello', {}, Math.max(settings.callTimeoutMs, START_TIMEOUT_MS));
        const sdk = hello.sdk as { name: string; version: string };
        this.sdk = { python: String(hello.python), sdk: `${sdk.name} ${sdk.version}` };
        const previousRef = restart && this.startReply?.ref !== undefined ? String(this.startReply.ref) : undefined;
        const run: BridgeRun = { ...info, gitTags: gitTags(info.tags), ...(previousRef ? { previousRef } : {}) };
        this.startReply = await bridge.call('start', { run, config: settings.startConfig }, Math.max(settings.callTimeoutMs, START_TIMEOUT_MS));
        this.context?.logger.info(
          `run ${info.id} is ${this.backendName} run ${String(this.startReply.ref)} (${this.sdk.sdk}, Python ${this.sdk.python} at ${this.interpreter.path}, bridge pid ${bridge.pid})${restart ? ' after the last bridge ended' : ''}`,
        );
        if (this.params) await bridge.call('params', { params: this.params });
        const again = restart || this.startReply.continues ? this.resendAfterRestart(this.startReply) : [];
        if (again.length > 0) {
          this.context?.logger.info(
            `${again.length} recent points sent again to ${String(this.startReply.ref)}: the last bridge ended before ${this.backendName} wrote them`,
          );
          await bridge.call('points', (id) => pointsRequest(id, again, (n) => this.trackerName(n)));
        }
      } catch (err) {
        bridge.kill();
        throw err;
      }
      this.bridge = bridge;
      return bridge;
    } finally {
      this.connecting = undefined;
    }
  }

  private async resolveInterpreter(): Promise<Interpreter> {
    const found = await interpreterFor(this.context ?? {});
    if (!found.ok) throw new Error(`${this.backendName}: ${found.problem}`);
    return found.interpreter;
  }

  private async checkDependencies(interpreter: string): Promise<void> {
    const deps = (this.getMetadata().dependencies ?? []).filter((d) => d.startsWith('python:')).map(parsePythonDependency);
    const result = await checkPythonDependencies(interpreter, deps, (file, args) => runProbe(file, args, programEnv()));
    if (!result.ok) throw new PythonDependencyError(result.problems, interpreter);
    this.sdk = {
      python: '',
      sdk: Object.entries(result.found)
        .map(([n, v]) => `${n} ${v}`)
        .join(', '),
    };
  }

  private noteDropped(dropped: unknown): void {
    if (typeof dropped !== 'object' || dropped === null) return;
    for (const [name, count] of Object.entries(dropped as Record<string, number>)) {
      this.counts.dropped += count;
      this.context?.logger.warn(`${this.backendName} dropped ${count} point(s) of "${name}": their step is below the step the run is at`);
    }
  }
}

/** Short git tags for trackers that have tags: the branch and the commit's first 8 characters. */
function gitTags(tags: Record<string, string>): string[] {
  const out: string[] = [];
  if (tags['git.branch']) out.push(tags['git.branch']);
  if (tags['git.commit']) out.push(tags['git.commit'].slice(0, 8));
  return out;
}
