import type { MetricRecord } from './parse/metricRecord';
import type { Awaitable, Capability, MetricPoint, PluginConfig, PluginContext, PluginMetadata, PluginStatus, PluginType, RunInfo, RunStatus } from './types';

/**
 * What `getMetadata()` may return: the camelCase form, or the Python seed's
 * snake_case keys (`plugin_type`, `entry_point`, `config_schema`).
 */
export type PluginMetadataInput = Partial<PluginMetadata> & {
  plugin_type?: string;
  entry_point?: string;
  config_schema?: Record<string, unknown>;
};

/** The contract every plugin meets; classes may extend `PluginBase` or just implement these methods. */
export interface PluginLike {
  getMetadata(): PluginMetadataInput;
  initialize(config: PluginConfig, context: PluginContext): Awaitable<void>;
  start(): Awaitable<void>;
  stop(): Awaitable<void>;
  getStatus(): Awaitable<PluginStatus>;
}

export interface BackendLike extends PluginLike {
  logMetric(name: string, value: number, iteration?: number): Awaitable<void>;
  logParams(params: Record<string, unknown>): Awaitable<void>;
  logArtifact(localPath: string, artifactPath?: string): Awaitable<void>;
  /**
   * Optional: many points in one call, in order. The pipeline prefers it to
   * logMetric when present. Throwing means none of the batch is acknowledged:
   * the pipeline retries the whole batch, so a backend should tolerate a
   * repeated point.
   */
  logBatch?(points: readonly MetricPoint[]): Awaitable<void>;
  /** Optional: the run's outcome, called once before stop(). */
  finishRun?(status: RunStatus, endTime: number): Awaitable<void>;
}

/** A collector returns a flat or nested record; numbers are metrics, the rest is context. */
export type CollectedValues = { [key: string]: unknown };

export interface CollectorLike extends PluginLike {
  collect(): Awaitable<CollectedValues>;
}

/** connectionTest (any type): the configuration form offers "Test connection", which calls this with the form's config. */
export interface ConnectionTestable {
  testConnection(config: PluginConfig): Awaitable<{ ok: boolean; message: string }>;
}

export abstract class PluginBase implements PluginLike {
  protected config: PluginConfig = {};
  protected context: PluginContext | undefined;

  abstract getMetadata(): PluginMetadataInput;

  initialize(config: PluginConfig, context: PluginContext): Awaitable<void> {
    this.config = config;
    this.context = context;
  }

  abstract start(): Awaitable<void>;
  abstract stop(): Awaitable<void>;
  abstract getStatus(): Awaitable<PluginStatus>;
}

export abstract class BackendPlugin extends PluginBase implements BackendLike {
  abstract logMetric(name: string, value: number, iteration?: number): Awaitable<void>;
  abstract logParams(params: Record<string, unknown>): Awaitable<void>;
  abstract logArtifact(localPath: string, artifactPath?: string): Awaitable<void>;
}

export abstract class CollectorPlugin extends PluginBase implements CollectorLike {
  abstract collect(): Awaitable<CollectedValues>;
}

// ---- capabilities ---------------------------------------------------------------------
// What a plugin can do beyond its type, declared in `getMetadata().capabilities` (and, for a package,
// in its package.json). The host picks plugins by these and never by name: a third-party plugin with a
// capability is used exactly as a built-in with it. Each capability's members are checked at load time.

/** outputParser: the reader of one tracked command's terminal output. */
export interface OutputParser {
  /** Reads a chunk (text, or UTF-8 bytes that may split a character); returns the records of the lines it finished. */
  push(chunk: string | Uint8Array): MetricRecord[];
  /** The output has ended; returns the records of its last line. */
  end(): MetricRecord[];
}

/** outputParser (framework): makes a fresh parser for each tracked command. */
export interface OutputParserProvider extends PluginLike {
  createParser(): OutputParser;
  /**
   * Optional: a fresh parser for `config` (validated against the plugin's schema, defaults applied) instead of the
   * plugin's own settings, leaving the plugin as it is. The configuration form's "Try on the last run's output" reads
   * a run's stored output with it twice, with the unsaved draft and with the saved settings, to show what each
   * captures. It may throw to refuse a config (an unusable pattern); an error with `configErrors` (a list of
   * `{ path, message }`, `path` a JSON Pointer) shows each message at its field. A plugin without this method still
   * gets Try, showing what `createParser()` captures with its saved settings.
   */
  createParserFor?(config: PluginConfig): OutputParser;
}

export interface FileWatch {
  /** Reads what was appended since the last read. */
  poll(): Promise<void>;
  dispose(): void;
}

/**
 * fileSource (framework): tails files a training script writes (event files, CSV logs) in a folder of
 * the run, from its start on; points are stored as `<metricPrefix>/<name>`.
 */
export interface FileSource extends PluginLike {
  watch(target: string, onPoints: (points: MetricPoint[]) => void, options: { ignoreOlderThan?: number }): FileWatch;
}

/**
 * runSampler (collector): sampled every `tracelet.run.sampleInterval` while a run is tracked, in an
 * instance of its own; its numbers are stored as `<metricPrefix>/<key>`.
 */
export type RunSampler = CollectorLike;

/** processTree (collector): watches one process tree; a run attaches it to its command before sampling. */
export interface ProcessTreeCollector extends CollectorLike {
  attachToProcessTree(rootPid: number): void;
}

/** runContext (collector): collected once when a run starts; kept in run.json's `context` under the plugin's name. */
export type RunContextCollector = CollectorLike;

/**
 * statusReadout (collector): sampled for the status-bar readout. Values of a shape the readout knows
 * (the system, GPU and process-tree values of the built-ins) fill its fields; any other plugin's numbers
 * are listed in its tooltip and details. A processTree readout is sampled only while the `proc` field is shown.
 */
export type ReadoutCollector = CollectorLike;

/** runStore (backend): the local store. The run pipeline writes its layout (docs/run-format.md), so it gets no points itself. */
export interface RunStore extends BackendLike {
  /** The folder holding one sub-folder per run. */
  readonly runsRoot: string;
}

/**
 * processor: transforms points before they are logged, so the store, the charts and every backend see
 * the same points. One instance per run (it may keep state, such as a counter's last value). A call
 * that throws, rejects or runs over its time budget switches the processor off for that run with an
 * error naming it, and its input goes on unchanged: no point is ever dropped because a processor failed.
 */
export interface Processor extends PluginLike {
  process(points: readonly MetricPoint[]): Awaitable<MetricPoint[]>;
}

/**
 * tensorboardLogs (backend): writes TensorBoard event files, one sub-folder per run, where its settings say. "Open in
 * TensorBoard" shows that folder, or one run's sub-folder from the Runs view (preferring the plugins the run was sent
 * to, then the active ones). The host passes the plugin's settings as saved, so a plugin switched off since still
 * shows the runs it wrote; the instance may be a fresh one that was never initialized.
 */
export interface TensorBoardLogs extends BackendLike {
  /** The folder of the run sub-folders (what `tensorboard --logdir` takes) for `config`; a relative one is taken from `base`. */
  logFolder(config: PluginConfig, base: string): string;
  /** The sub-folder of `run`'s event files for `config`; a relative folder is taken from the run's `cwd`. */
  runLogFolder(config: PluginConfig, run: RunInfo): string;
}

/** The interface each capability promises. */
export interface CapabilityContracts {
  outputParser: OutputParserProvider;
  fileSource: FileSource;
  runSampler: RunSampler;
  processTree: ProcessTreeCollector;
  runContext: RunContextCollector;
  statusReadout: ReadoutCollector;
  runStore: RunStore;
  processor: Processor;
  connectionTest: PluginLike & ConnectionTestable;
  tensorboardLogs: TensorBoardLogs;
}

/** Members (methods, or for runStore a property) each capability needs, and the plugin types it fits. */
export const CAPABILITY_RULES: { readonly [C in Capability]: { members: readonly string[]; types: readonly PluginType[] } } = {
  outputParser: { members: ['createParser'], types: ['framework'] },
  fileSource: { members: ['watch'], types: ['framework'] },
  runSampler: { members: ['collect'], types: ['collector'] },
  processTree: { members: ['collect', 'attachToProcessTree'], types: ['collector'] },
  runContext: { members: ['collect'], types: ['collector'] },
  statusReadout: { members: ['collect'], types: ['collector'] },
  runStore: { members: ['runsRoot'], types: ['backend'] },
  processor: { members: ['process'], types: ['processor'] },
  connectionTest: { members: ['testConnection'], types: ['backend', 'collector', 'framework', 'processor'] },
  tensorboardLogs: { members: ['logFolder', 'runLogFolder'], types: ['backend'] },
};

/** Methods each plugin type must have beyond the lifecycle; checked at load time. */
export const REQUIRED_METHODS: Record<string, readonly string[]> = {
  base: ['getMetadata', 'initialize', 'start', 'stop', 'getStatus'],
  backend: ['logMetric', 'logParams', 'logArtifact'],
  collector: ['collect'],
  framework: [],
  processor: [],
};
