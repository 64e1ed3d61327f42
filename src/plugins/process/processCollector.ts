import { PROCESS } from '../collectorDeclarations';
import * as path from 'node:path';
import { CollectorPlugin, type PluginMetadataInput } from '../../core/plugin';
import { monotonicMs, type Clock } from '../../core/clock';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';
import { ProcFile } from '../system/procFiles';
import { detectPageSize } from './procPidStat';
import { ProcessTreeReader } from './processTree';
import type { ProcessValues } from './processValues';
import { siProcessTree } from './siProcessTree';
import { snapshot, treeUsage, type TreeSnapshot } from './treeUsage';

export interface ProcessCollectorOptions {
  /** Where procfs is; tests point it at recorded fixture files. Default `/proc`. */
  procRoot?: string;
  platform?: NodeJS.Platform;
  clock?: Clock;
  /** Bytes per page for RSS; found from our own process when procRoot is the real /proc, else 4096. */
  pageSize?: number;
}

function integer(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/**
 * A process and all its descendants: how many, their threads, CPU and resident
 * memory in total, and the busiest few. Run tracking points it at the command a
 * terminal runs (attachToProcessTree); by default it watches the process it runs in.
 */
export class ProcessCollector extends CollectorPlugin {
  private rootPid = process.pid;
  private topN = 5;
  private maxProcesses = 2000;
  private readonly procRoot: string;
  private readonly platform: NodeJS.Platform;
  private readonly clock: Clock;
  private tree: ProcessTreeReader | undefined;
  private prev: TreeSnapshot | undefined;
  private pageSize = 4096;
  private last: ProcessValues | undefined;
  private uptime: ProcFile | undefined;

  constructor(private readonly options: ProcessCollectorOptions = {}) {
    super();
    this.procRoot = options.procRoot ?? '/proc';
    this.platform = options.platform ?? process.platform;
    this.clock = options.clock ?? monotonicMs;
  }

  getMetadata(): PluginMetadataInput {
    return { ...PROCESS };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    const root = integer(config.rootPid, 0);
    this.rootPid = root > 0 ? root : process.pid;
    this.topN = integer(config.topN, 5);
    this.maxProcesses = integer(config.maxProcesses, 2000);
  }

  start(): void {
    if (this.platform !== 'linux') return;
    this.pageSize = this.options.pageSize ?? (this.procRoot === '/proc' ? detectPageSize(this.procRoot) : 4096);
    this.tree = new ProcessTreeReader(this.procRoot, this.maxProcesses);
    this.uptime = new ProcFile(path.join(this.procRoot, 'uptime'));
    this.prev = this.read();
  }

  stop(): void {
    this.tree?.dispose();
    this.tree = undefined;
    this.uptime?.close();
    this.uptime = undefined;
    this.prev = undefined;
  }

  /** processTree: watches another tree from now on; its CPU % is measured from this moment. */
  attachToProcessTree(pid: number): void {
    this.rootPid = pid;
    this.prev = this.tree ? this.read() : undefined;
  }

  getStatus(): PluginStatus {
    const status: PluginStatus = {
      rootPid: this.rootPid,
      method: this.platform === 'linux' ? (this.tree?.treeMethod ?? 'not read yet') : 'systeminformation',
    };
    if (this.last) {
      status.alive = this.last.alive;
      status.count = this.last.count;
      if (!this.last.alive) status.message = `process ${this.rootPid} does not exist (it may have exited)`;
    }
    return status;
  }

  /** Synchronous on Linux: a few small /proc reads, no promise per sample. */
  collect(): ProcessValues | Promise<ProcessValues> {
    if (this.platform !== 'linux') {
      return siProcessTree(this.rootPid, this.topN, this.maxProcesses).then((v) => (this.last = v));
    }
    if (!this.tree) throw new Error('the process collector is not started');
    const cur = this.read();
    this.last = treeUsage(this.rootPid, this.prev, cur, this.pageSize, this.topN);
    this.prev = cur;
    return this.last;
  }

  private read(): TreeSnapshot {
    const at = this.clock();
    const procs = this.tree!.read(this.rootPid);
    const uptime = Number(this.uptime?.read()?.split(' ')[0]);
    return snapshot(procs, at, Number.isFinite(uptime) ? uptime : undefined);
  }
}
