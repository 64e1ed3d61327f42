import * as os from 'node:os';
import * as path from 'node:path';
import type { PluginManager } from '../manager';
import type { MetricRecord } from '../parse/metricRecord';
import { StdoutParser } from '../parse/stdoutParser';
import { Emitter } from '../events';
import { sinkForBackend, type BackendSink } from '../pipeline/backendSink';
import { ProcessorChain, type ProcessorCost, type RunProcessor } from '../pipeline/processors';
import { RunPipeline, type PipelineStatus } from '../pipeline/runPipeline';
import type { RouteRule } from '../pipeline/routing';
import type { BackendLike, CollectorLike, OutputParser } from '../plugin';
import { resolveWithin } from '../paths/confine';
import { DEFAULT_OUTPUT_LOG_MAX_MB } from '../output/outputFiles';
import { OutputLog } from '../output/outputLog';
import { ensureGitIgnored } from '../store/gitIgnore';
import type { FsyncPolicy } from '../store/fsyncPolicy';
import { newRunRecord, runDirIn, type RunRecord } from '../store/runRecord';
import type { Logger, MetricPoint, RunInfo, RunStatus } from '../types';
import { parseCommandParams, scriptName } from './commandLine';
import { maskCommandLine, maskParams } from '../secrets/maskSecrets';
import { flattenNumbers } from './flatten';
import { newRunId } from './runId';
import { errorText } from '../errors';

export interface RunSessionOptions {
  manager: PluginManager;
  runsRoot: string;
  logger: Logger;
  command: string;
  cwd: string;
  /** Root of the process tree to sample (the command, or the terminal's shell). */
  pid?: number;
  name?: string;
  /** When the command started (ms since the epoch), if tracking began later; default now. */
  startTime?: number;
  versions?: Record<string, string>;
  /** System and process sampling period; 0 turns it off. */
  sampleIntervalMs?: number;
  /** When the run's log is flushed to the disk itself (tracelet.run.fsync); default DEFAULT_FSYNC. */
  fsync?: FsyncPolicy;
  routes?: readonly RouteRule[];
  /** What reads the output; default a parser from the first active outputParser plugin, else the core's own. */
  parser?: OutputParser;
  /** Extra params (from params files). */
  params?: Record<string, unknown>;
  /** Secret values the user stored (SecretStorage): masked wherever the command line or params hold them. */
  knownSecrets?: readonly string[];
  /** Told at the end of the run what each processor cost (for the Plugins view). */
  onProcessorCosts?: (costs: ProcessorCost[]) => void;
  /** output.log's size cap in bytes (tracelet.run.outputLogMaxMB); 0 keeps no output. Default 10 MB. */
  outputLogMaxBytes?: number;
  /** Folders (relative to `cwd`) whose TensorBoard event files and Lightning metrics.csv files the run's file sources tail. */
  logFolders?: readonly string[];
  /** When the log folders come from a workspace setting: the folder they must stay inside. */
  logFoldersWithin?: string;
}

/**
 * One tracked run: names it, collects its context (git, environment), parses
 * its output into metrics, samples its processes, and sends it all through a
 * run pipeline to every active backend. Knows nothing of VS Code.
 */
export class RunSession {
  private readonly parser: OutputParser;
  private readonly counters = new Map<string, number>();
  private readonly samplers: { name: string; prefix: string; instance: CollectorLike; processTree: boolean }[] = [];
  private readonly fileWatches: { poll(): Promise<void>; dispose(): void }[] = [];
  private readonly changed = new Emitter<void>();
  private sampleTimer: NodeJS.Timeout | undefined;
  private sampleIndex = 0;
  private sampling = false;
  private ended = false;
  private lastUsage: Record<string, number> = {};

  /** Fires when the run's numbers or status change (throttled by the sampling period). */
  readonly onDidChange = this.changed.event;

  private constructor(
    private readonly options: RunSessionOptions,
    readonly pipeline: RunPipeline,
    parser: OutputParser,
    private readonly processors: readonly (RunProcessor & { stop(): unknown })[],
    private readonly output: OutputLog | undefined,
  ) {
    this.parser = parser;
  }

  static async start(options: RunSessionOptions): Promise<RunSession> {
    const { manager, logger } = options;
    const startTime = options.startTime ?? Date.now();
    const id = newRunId(startTime);
    // Secrets typed on the command line never reach run.json, a backend or the log.
    const known = options.knownSecrets ?? [];
    const command = maskCommandLine(options.command, known);
    const script = scriptName(command);
    const info: RunInfo = {
      id,
      name: options.name ?? `${script ?? command.split(/\s+/)[0] ?? 'run'} ${new Date(startTime).toLocaleTimeString()}`,
      command,
      cwd: options.cwd,
      startTime,
      host: os.hostname(),
      user: os.userInfo().username,
      tags: {},
    };
    const context = await RunSession.collectContext(manager, info, logger);
    Object.assign(info.tags, repositoryTags(context));
    const record = newRunRecord(info, { versions: { ...options.versions }, context, ...(options.pid ? { pid: options.pid } : {}) });
    record.sourcePrefixes = sourcePrefixes(manager);
    ensureGitIgnored(options.runsRoot);
    const sinks = await RunSession.openSinks(options, info, record);
    const processors = await RunSession.openProcessors(manager, info, logger);
    const pipeline = RunPipeline.open({
      runDir: runDirIn(options.runsRoot, id),
      record,
      sinks,
      routes: options.routes ?? [],
      processors,
      logger,
      onProcessorError: (err) => logger.warn(`run ${id}: ${err.message}`),
      fsync: options.fsync,
    });
    const runDir = runDirIn(options.runsRoot, id);
    const session = new RunSession(
      options,
      pipeline,
      options.parser ?? RunSession.outputParser(manager, logger, id),
      processors,
      RunSession.openOutput(options, runDir),
    );
    pipeline.logParams(maskParams({ ...parseCommandParams(command), ...options.params }, known));
    await session.startSampling(info);
    session.watchLogFolders(info);
    logger.info(`run ${id} started: ${command} (${sinks.length} backend${sinks.length === 1 ? '' : 's'} besides the local store)`);
    return session;
  }

  get id(): string {
    return this.pipeline.record.id;
  }

  get record(): RunRecord {
    return this.pipeline.record;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** CPU % and RSS of the run's process tree at the last sample. */
  get usage(): Readonly<Record<string, number>> {
    return this.lastUsage;
  }

  status(): PipelineStatus {
    return this.pipeline.status();
  }

  /** Reads a chunk of the command's output. */
  feed(chunk: string | Uint8Array): void {
    if (this.ended) return;
    this.output?.push(chunk);
    this.ingestRecords(this.parser.push(chunk));
  }

  rename(name: string): void {
    this.pipeline.rename(name);
    this.changed.fire();
  }

  /** Ends the run with its outcome; waits (up to `drainTimeoutMs`) for backends to catch up. */
  async end(status: RunStatus, exitCode?: number | null, reason?: string, drainTimeoutMs = 10_000): Promise<string[]> {
    if (this.ended) return [];
    this.ingestRecords(this.parser.end());
    this.output?.close();
    for (const w of this.fileWatches.splice(0)) {
      await w.poll().catch(() => undefined);
      w.dispose();
    }
    this.ended = true;
    clearTimeout(this.sampleTimer);
    for (const s of this.samplers) await this.options.manager.call(s.name, 'stop', () => s.instance.stop()).catch(() => undefined);
    const behind = await this.pipeline.finish(status, { exitCode: exitCode ?? null, ...(reason ? { reason } : {}) }, drainTimeoutMs);
    await this.closeProcessors();
    this.options.logger.info(
      `run ${this.id} ${status}${exitCode !== undefined && exitCode !== null ? ` (exit ${exitCode})` : ''}: ${this.pipeline.acknowledged} points stored`,
    );
    this.changed.fire();
    this.changed.dispose();
    return behind;
  }

  /** Leaves the run for recovery by the next window (this one is closing). */
  async suspend(): Promise<void> {
    if (this.ended) return;
    this.output?.close();
    for (const w of this.fileWatches.splice(0)) w.dispose();
    this.ended = true;
    clearTimeout(this.sampleTimer);
    await this.pipeline.suspend();
    await this.closeProcessors();
  }

  /** Stops the run's processor instances and reports what each cost. */
  private async closeProcessors(): Promise<void> {
    const costs = this.pipeline.processorCosts();
    if (costs.length > 0) this.options.onProcessorCosts?.(costs);
    await RunSession.stopProcessors(this.options.manager, this.processors);
  }

  /**
   * The run's processors as one chain for `body` (a re-parse puts its points through them as the live run
   * did), stopped after it; one that fails is switched off for the rest and named in the log.
   */
  static async withProcessors<T>(manager: PluginManager, run: RunInfo, logger: Logger, body: (chain: ProcessorChain) => Promise<T>): Promise<T> {
    const processors = await RunSession.openProcessors(manager, run, logger);
    try {
      return await body(new ProcessorChain(processors, (name, message) => logger.warn(`run ${run.id}: processor ${name} switched off: ${message}`)));
    } finally {
      await RunSession.stopProcessors(manager, processors);
    }
  }

  private static async stopProcessors(manager: PluginManager, processors: readonly (RunProcessor & { stop(): unknown })[]): Promise<void> {
    for (const p of processors) await manager.call(p.name, 'stop', () => p.stop()).catch(() => undefined);
  }

  private ingestRecords(records: readonly MetricRecord[]): void {
    if (records.length === 0) return;
    const now = Date.now();
    const points: MetricPoint[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const count = this.counters.get(r.name) ?? 0;
      this.counters.set(r.name, count + 1);
      points[i] = { name: r.name, value: r.value, step: r.step ?? count, time: now };
    }
    this.pipeline.ingest(points);
  }

  /** One instance per active processor plugin for this run, in start order (a processor may keep per-run state). */
  private static async openProcessors(manager: PluginManager, run: RunInfo, logger: Logger): Promise<(RunProcessor & { stop(): unknown })[]> {
    const out: (RunProcessor & { stop(): unknown })[] = [];
    for (const { name } of manager.capable('processor')) {
      try {
        const instance = await manager.createRunInstanceOf(name, 'processor', run);
        out.push({ name, process: (points) => instance.process(points), stop: () => instance.stop() });
      } catch (err) {
        logger.warn(`run ${run.id}: processor ${name} is not used for this run: ${errorText(err)}`);
      }
    }
    return out;
  }

  /** A parser from the first active outputParser plugin, with its settings as they are now, else the core's own with its defaults. */
  static outputParser(manager: PluginManager, logger: Logger, id: string): OutputParser {
    const [provider, ...others] = manager.capable('outputParser');
    if (others.length > 0) logger.info(`run ${id}: output read by ${provider!.name}; ${others.map((o) => o.name).join(', ')} also offer outputParser`);
    return provider ? provider.instance.createParser() : new StdoutParser();
  }

  /** The run's output.log, unless the cap is 0 or the file cannot be made (the run goes on without it). */
  private static openOutput(options: RunSessionOptions, runDir: string): OutputLog | undefined {
    const maxBytes = options.outputLogMaxBytes ?? DEFAULT_OUTPUT_LOG_MAX_MB * 1024 * 1024;
    if (!(maxBytes > 0)) return undefined;
    const warn = (err: unknown) => options.logger.warn(`run ${path.basename(runDir)}: its output is not kept in output.log: ${errorText(err)}`);
    try {
      return new OutputLog({ runDir, maxBytes, fsync: options.fsync, knownSecrets: options.knownSecrets ?? [], onError: warn });
    } catch (err) {
      warn(err);
      return undefined;
    }
  }

  private static async collectContext(manager: PluginManager, run: RunInfo, logger: Logger): Promise<Record<string, unknown>> {
    const context: Record<string, unknown> = {};
    for (const { name } of manager.capable('runContext')) {
      try {
        const instance = await manager.createRunInstanceOf(name, 'runContext', run);
        context[name] = await manager.call(name, 'collect', () => instance.collect());
        await manager.call(name, 'stop', () => instance.stop());
      } catch (err) {
        logger.warn(`run ${run.id}: ${errorText(err)}`);
      }
    }
    return context;
  }

  private static async openSinks(options: RunSessionOptions, run: RunInfo, record: RunRecord): Promise<BackendSink[]> {
    const { manager, logger } = options;
    const sinks: BackendSink[] = [];
    for (const info of manager.listPlugins('backend')) {
      // A run store gets no points: the run's own log is the local store.
      if (info.state !== 'active' || info.metadata?.capabilities.includes('runStore')) continue;
      try {
        const instance = (await manager.createRunInstance(info.name, run)) as BackendLike;
        sinks.push(sinkForBackend(info.name, instance, (phase, fn) => manager.call(info.name, phase, fn)));
      } catch (err) {
        const message = errorText(err);
        logger.warn(`run ${run.id}: not sent to ${info.name}: ${message}`);
        const errors = (record.context.backendErrors ??= {}) as Record<string, string>;
        errors[info.name] = message;
      }
    }
    return sinks;
  }

  /** Tails the run's TensorBoard and Lightning CSV logs, for scripts that log to files rather than print. */
  private watchLogFolders(run: RunInfo): void {
    const { manager, logger } = this.options;
    for (const { name, metadata, instance: source } of manager.capable('fileSource')) {
      const prefix = metadata.metricPrefix;
      for (const folder of this.options.logFolders ?? []) {
        try {
          const watch = source.watch(
            resolveWithin('tracelet.run.logFolders entry', run.cwd, folder, this.options.logFoldersWithin),
            (points) => {
              const named = points.map((p) => ({ ...p, name: `${prefix}/${p.name}` }));
              if (!this.ended) this.pipeline.ingest(named, 'source');
            },
            { ignoreOlderThan: run.startTime - 1000 },
          );
          this.fileWatches.push(watch);
        } catch (err) {
          logger.warn(`run ${run.id}: cannot watch ${folder} with ${name}: ${errorText(err)}`);
        }
      }
    }
  }

  private async startSampling(run: RunInfo): Promise<void> {
    const period = this.options.sampleIntervalMs ?? 5000;
    if (period <= 0) return;
    const { manager, logger } = this.options;
    for (const { name, metadata } of manager.capable('runSampler')) {
      const prefix = metadata.metricPrefix;
      try {
        if (metadata.capabilities.includes('processTree')) {
          // A process-tree sampler watches the run's command; without its pid there is nothing of the run's to watch.
          if (!this.options.pid) continue;
          const instance = await manager.createRunInstanceOf(name, 'processTree', run);
          instance.attachToProcessTree(this.options.pid);
          this.samplers.push({ name, prefix, instance, processTree: true });
          continue;
        }
        const instance = await manager.createRunInstanceOf(name, 'runSampler', run);
        this.samplers.push({ name, prefix, instance, processTree: false });
      } catch (err) {
        logger.warn(`run ${run.id}: ${errorText(err)}`);
      }
    }
    const tick = async (): Promise<void> => {
      if (this.ended || this.sampling) return;
      this.sampling = true;
      try {
        await this.sample();
      } finally {
        this.sampling = false;
        if (!this.ended) this.sampleTimer = setTimeout(() => void tick(), period);
      }
    };
    this.sampleTimer = setTimeout(() => void tick(), Math.min(period, 1000));
  }

  private async sample(): Promise<void> {
    const step = this.sampleIndex++;
    const time = Date.now();
    const points: MetricPoint[] = [];
    for (const s of this.samplers) {
      try {
        const values = await this.options.manager.call(s.name, 'collect', () => s.instance.collect());
        const flat = flattenNumbers(values);
        if (s.processTree) this.lastUsage = flat;
        for (const [key, value] of Object.entries(flat)) points.push({ name: `${s.prefix}/${key}`, value, step, time });
      } catch (err) {
        this.options.logger.debug(`run ${this.id}: ${errorText(err)}`);
      }
    }
    if (!this.ended && points.length > 0) this.pipeline.ingest(points, 'source');
    this.changed.fire();
  }
}

/** The metric prefixes of the samplers and file sources: their points are not the output's (a re-parse keeps them). */
function sourcePrefixes(manager: PluginManager): string[] {
  return [...new Set([...manager.capable('runSampler'), ...manager.capable('fileSource')].map((p) => p.metadata.metricPrefix))];
}

/** The run's `git.commit` and `git.branch` tags, from a context value shaped like a repository's (the git collector's, or another's). */
function repositoryTags(context: Record<string, unknown>): Record<string, string> {
  for (const value of Object.values(context)) {
    const v = value as { repository?: unknown; commit?: unknown; branch?: unknown } | undefined;
    if (v?.repository !== true) continue;
    return {
      ...(typeof v.commit === 'string' && v.commit ? { 'git.commit': v.commit } : {}),
      ...(typeof v.branch === 'string' && v.branch ? { 'git.branch': v.branch } : {}),
    };
  }
  return {};
}
