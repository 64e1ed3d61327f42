import { SYSTEM } from '../collectorDeclarations';
import * as os from 'node:os';
import { CollectorPlugin, type PluginMetadataInput } from '../../core/plugin';
import { monotonicMs, type Clock } from '../../core/clock';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';
import type { DiskUsageReader } from './diskUsage';
import { ProcSystemSampler } from './procSystemSampler';
import { SiSystemSampler } from './siSystemSampler';
import type { SystemSettings, SystemValues } from './systemValues';

export interface SystemCollectorOptions {
  /** Where procfs is; tests point it at recorded fixture files. Default `/proc`. */
  procRoot?: string;
  platform?: NodeJS.Platform;
  clock?: Clock;
  diskUsage?: DiskUsageReader;
}

function stringList(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : fallback;
}

/**
 * Machine-wide CPU (total and per core), load, memory and swap, disk usage and
 * throughput, network throughput and uptime. On Linux from /proc and statfs; on
 * other systems through systeminformation.
 */
export class SystemCollector extends CollectorPlugin {
  private settings: SystemSettings = { mounts: [], excludeInterfaces: ['lo', 'lo0'] };
  private workspaceFolders: string[] = [];
  private readonly platform: NodeJS.Platform;
  private proc: ProcSystemSampler | undefined;
  private si: SiSystemSampler | undefined;
  private model: string | undefined;
  private samples = 0;
  private lastDisks: string[] = [];

  constructor(private readonly options: SystemCollectorOptions = {}) {
    super();
    this.platform = options.platform ?? process.platform;
  }

  getMetadata(): PluginMetadataInput {
    return { ...SYSTEM };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.settings = { mounts: stringList(config.mounts, []), excludeInterfaces: stringList(config.excludeInterfaces, ['lo', 'lo0']) };
    this.workspaceFolders = [...(context.workspaceFolders ?? [])];
  }

  /** Where the workspace is, so its filesystem is reported by default (the host's context says so at initialize). */
  setWorkspaceFolders(paths: readonly string[]): void {
    this.workspaceFolders = [...paths];
  }

  start(): void {
    if (this.platform === 'linux') {
      this.proc = new ProcSystemSampler(this.options.procRoot ?? '/proc', this.options.clock ?? monotonicMs, () => this.cpuModel(), this.options.diskUsage);
      this.proc.baseline();
    } else {
      this.si = new SiSystemSampler(this.platform);
    }
  }

  stop(): void {
    this.proc?.dispose();
    this.proc = undefined;
    this.si = undefined;
  }

  getStatus(): PluginStatus {
    return {
      source: this.platform === 'linux' ? 'proc' : 'systeminformation',
      samples: this.samples,
      paths: this.paths(),
      mounts: this.lastDisks,
      cpuModel: this.model,
    };
  }

  /** Synchronous on Linux (no promise, no timer per sample) unless a remote filesystem is being asked. */
  collect(): SystemValues | Promise<SystemValues> {
    const sampler = this.proc ?? this.si;
    if (!sampler) throw new Error('the system collector is not started');
    const values = sampler.sample(this.paths(), this.settings.excludeInterfaces);
    return values instanceof Promise ? values.then((v) => this.counted(v)) : this.counted(values);
  }

  private counted(values: SystemValues): SystemValues {
    this.samples += 1;
    this.lastDisks = values.disks.map((d) => d.mount);
    return values;
  }

  /** The configured paths, or the root and the workspace folders. */
  private paths(): string[] {
    if (this.settings.mounts.length > 0) return this.settings.mounts;
    const root = this.platform === 'win32' ? `${process.env.SystemDrive ?? 'C:'}\\` : '/';
    return [root, ...this.workspaceFolders];
  }

  /** The CPU model, read once; it does not change while the machine runs. */
  private cpuModel(): string {
    this.model ??= os.cpus()[0]?.model.trim() ?? '';
    return this.model;
  }
}
