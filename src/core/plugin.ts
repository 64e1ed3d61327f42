import type {
  Awaitable,
  MetricPoint,
  PluginConfig,
  PluginContext,
  PluginMetadata,
  PluginStatus,
  RunStatus,
} from './types';

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

/** Optional: a form can offer "Test connection" when a plugin implements this. */
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

/** Methods each plugin type must have beyond the lifecycle; checked at load time. */
export const REQUIRED_METHODS: Record<string, readonly string[]> = {
  base: ['getMetadata', 'initialize', 'start', 'stop', 'getStatus'],
  backend: ['logMetric', 'logParams', 'logArtifact'],
  collector: ['collect'],
  framework: [],
  processor: [],
};
