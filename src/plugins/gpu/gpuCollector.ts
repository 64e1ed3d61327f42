import { GPU } from '../collectorDeclarations';
import { CollectorPlugin, type PluginMetadataInput } from '../../core/plugin';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';
import type { GpuReading } from './nvidiaSmiCsv';
import { NvidiaSmiStream } from './nvidiaSmiStream';

/** What the `gpu` collector returns: nothing at all when there is no GPU to read. (A type, so it fits CollectedValues.) */
export type GpuValues = {
  count?: number;
  /** The busiest GPU's utilisation and memory use, for a one-number readout. */
  maxUtilizationPercent?: number;
  maxMemoryPercent?: number;
  gpus?: GpuReading[];
};

export interface GpuCollectorOptions {
  /** Environment for the child (its PATH finds the command); default process.env. */
  env?: NodeJS.ProcessEnv;
  initialBackoffMs?: number;
}

function max(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

/**
 * NVIDIA GPUs through one long-lived nvidia-smi that streams a CSV line per GPU
 * every interval; collect() returns the latest lines. Without nvidia-smi or a
 * GPU it says so in its status and returns no values.
 */
export class GpuCollector extends CollectorPlugin {
  private stream: NvidiaSmiStream | undefined;
  private command = 'nvidia-smi';
  private intervalMs = 2000;
  private idleStopMs = 30_000;

  constructor(private readonly options: GpuCollectorOptions = {}) {
    super();
  }

  getMetadata(): PluginMetadataInput {
    return { ...GPU };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    if (typeof config.command === 'string' && config.command) this.command = config.command;
    if (typeof config.intervalMs === 'number') this.intervalMs = config.intervalMs;
    if (typeof config.idleStopMs === 'number') this.idleStopMs = config.idleStopMs;
  }

  start(): void {
    const options = {
      command: this.command,
      intervalMs: this.intervalMs,
      idleStopMs: this.idleStopMs,
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(this.options.initialBackoffMs !== undefined ? { initialBackoffMs: this.options.initialBackoffMs } : {}),
      ...(this.context ? { logger: this.context.logger } : {}),
    };
    this.stream = new NvidiaSmiStream(options);
    this.stream.start();
  }

  stop(): void {
    this.stream?.stop();
    this.stream = undefined;
  }

  getStatus(): PluginStatus {
    const s = this.stream?.status();
    const gpus = this.stream?.peek().map((g) => g.name) ?? [];
    return {
      state: s?.state ?? 'stopped',
      message: s?.message || (s?.state === 'streaming' ? `${gpus.length} GPU${gpus.length === 1 ? '' : 's'}` : ''),
      gpus,
      restarts: s?.restarts ?? 0,
      lastExit: s?.lastExit ?? '',
      command: this.command,
      intervalMs: this.intervalMs,
    };
  }

  async collect(): Promise<GpuValues> {
    const stream = this.stream;
    if (!stream) return {};
    const wasIdle = stream.state === 'idle';
    let gpus = stream.read();
    if (wasIdle) {
      // Restarted after an idle stop: nvidia-smi prints its first sample right away, usually within a few hundred ms.
      await stream.waitForReadings(900);
      gpus = stream.read();
    }
    if (gpus.length === 0) return {};
    const values: GpuValues = { count: gpus.length, gpus };
    const util = max(gpus.map((g) => g.utilizationPercent));
    const mem = max(gpus.map((g) => g.memoryPercent));
    if (util !== undefined) values.maxUtilizationPercent = util;
    if (mem !== undefined) values.maxMemoryPercent = mem;
    return values;
  }
}
