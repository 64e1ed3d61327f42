// One contender of bench/sampler.bench.ts, in its own process so that neither side's garbage, caches
// or child processes land in the other's figures. Args: side, samples, interval ms, warm-up samples,
// pid of the stand-in training run. Figures: CPU ms per sample (this process and its reaped children).
import * as fs from 'node:fs';
import * as os from 'node:os';
import { silentLogger } from '../src/core/logger';
import { Sampler } from '../src/core/sampler/sampler';
import type { PluginContext } from '../src/core/types';
import { ProcessCollector } from '../src/plugins/process/processCollector';
import { SystemCollector } from '../src/plugins/system/systemCollector';
import { loadSystemInformation, type Si } from '../src/plugins/system/systemInformation';
import { cpuSince, readCpu } from './cpuMeter';
import { emit, startSignal } from './worker';

type Side = 'ours' | 'si-monitor' | 'si-fresh';

/** Per component: CPU ms per sample, split into this process and its children. */
export interface Part {
  name: string;
  selfMs: number;
  childrenMs: number;
}

export interface Detail {
  parts: Part[];
  notes: string[];
}

const [side, samplesArg, intervalArg, warmupArg, rootArg] = process.argv.slice(2) as [Side, string, string, string, string];
const SAMPLES = Number(samplesArg);
const INTERVAL_MS = Number(intervalArg);
const WARMUP = Number(warmupArg);
const TREE_ROOT = Number(rootArg);
/** Our system collector's cache times (src/plugins/system/procSystemSampler.ts), applied to the peer for the same freshness. */
const DISK_USAGE_TTL_MS = 10_000;
const context: PluginContext = { pluginName: 'bench', logger: silentLogger, storageDir: os.tmpdir(), coreVersion: '0' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Call = [name: string, fn: () => unknown];

/** Each call is metered alone; the meter's own reads stay outside the window it measures (cpuMeter.ts). */
async function sampleOnce(calls: readonly Call[], parts: Part[] | undefined): Promise<void> {
  for (const [i, [, fn]] of calls.entries()) {
    const cpu = readCpu();
    await fn();
    if (!parts) continue;
    const used = cpuSince(cpu);
    parts[i]!.selfMs += used.selfMs;
    parts[i]!.childrenMs += used.childrenMs;
  }
}

/** The same warm-up on every side (WARMUP samples back to back, uncounted), then SAMPLES on the shared schedule. */
async function run(calls: readonly Call[]): Promise<Part[]> {
  for (let i = 0; i < WARMUP; i++) await sampleOnce(calls, undefined);
  const parts = calls.map(([name]) => ({ name, selfMs: 0, childrenMs: 0 }));
  const epoch = await startSignal();
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(Math.max(0, epoch + i * INTERVAL_MS - Date.now()));
    await sampleOnce(calls, parts);
  }
  return parts.map((p) => ({ name: p.name, selfMs: p.selfMs / SAMPLES, childrenMs: p.childrenMs / SAMPLES }));
}

/** What the status bar runs per tick: the system collector as shipped, through the real scheduler. */
async function ours(): Promise<Detail> {
  const system = new SystemCollector();
  system.initialize({}, context);
  system.setWorkspaceFolders([process.cwd()]);
  system.start();
  const tree = new ProcessCollector();
  tree.initialize({ rootPid: TREE_ROOT }, context);
  tree.start();
  const machine = new ProcessCollector();
  machine.initialize({ rootPid: 1, maxProcesses: 100_000 }, context);
  machine.start();
  const readout = new Sampler({ intervalMs: INTERVAL_MS, sources: () => [{ name: 'system', collector: system }] });
  const treeSampler = new Sampler({ intervalMs: INTERVAL_MS, sources: () => [{ name: 'process', collector: tree }] });
  let treeSize = 0;
  let machineSize = 0;
  const parts = await run([
    ['readout', () => readout.tick()],
    ['tree', async () => (treeSize = ((await treeSampler.tick()).values.process as { count?: number } | undefined)?.count ?? 0)],
    ['machine', () => (machineSize = (machine.collect() as { count: number }).count)],
  ]);
  const mounts = JSON.stringify(system.getStatus().mounts);
  for (const c of [system, tree, machine]) c.stop();
  return { parts, notes: [`disk usage of ${mounts}`, `stand-in run's tree: ${treeSize} processes`, `whole machine: ${machineSize} processes`] };
}

/** The interfaces our collector sums by default (every one in /proc/net/dev but loopback). */
function interfaces(): string[] {
  return fs
    .readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter((n) => n !== '' && n !== 'lo');
}

/** The tree of TREE_ROOT in a whole-machine listing: systeminformation has no call for one tree. */
async function siTree(si: Si): Promise<number> {
  const { list } = await si.processes();
  const tree = [TREE_ROOT];
  for (let i = 0; i < tree.length; i++) for (const p of list) if (p.parentPid === tree[i]) tree.push(p.pid);
  return tree.length;
}

/**
 * What a systeminformation-based status-bar monitor calls on every tick for the same readout (as
 * chneau's Resource Monitor calls currentLoad, mem, networkStats and fsStats, and mutantdino's resmon
 * fsSize, each tick), and for a tracked run's tree the whole-machine processes() it has to list.
 */
async function siMonitor(si: Si): Promise<Detail> {
  let treeSize = 0;
  const parts = await run([
    ['currentLoad', () => si.currentLoad()],
    ['mem', () => si.mem()],
    ['fsSize', () => si.fsSize()],
    ['fsStats', () => si.fsStats()],
    ['networkStats', () => si.networkStats()],
    ['tree', async () => (treeSize = await siTree(si))],
  ]);
  return { parts, notes: [`stand-in run's tree found in processes(): ${treeSize} processes`] };
}

/**
 * The readings our system collector makes, as often as it makes them: CPU total and per core, memory
 * and swap, disk and network throughput of the same interfaces every tick; disk usage at most every
 * 10 s. The load average comes with currentLoad every tick (ours re-reads it every 5 s). Uptime is
 * left out: si.time() runs `date` for the time zone on every call, work ours does not do.
 */
async function siFresh(si: Si): Promise<Detail> {
  const ifaces = interfaces().join(',');
  let usageAt = -Infinity;
  const parts = await run([
    ['currentLoad', () => si.currentLoad()],
    ['mem', () => si.mem()],
    ['fsStats', () => si.fsStats()],
    ['networkStats', () => si.networkStats(ifaces)],
    [
      'fsSize every 10 s',
      () => {
        if (performance.now() - usageAt < DISK_USAGE_TTL_MS) return undefined;
        usageAt = performance.now();
        return si.fsSize();
      },
    ],
  ]);
  return { parts, notes: [`network interfaces ${ifaces}`] };
}

const perSample = (p: Part): number => p.selfMs + p.childrenMs;

async function main(): Promise<void> {
  const detail =
    side === 'ours' ? await ours() : side === 'si-monitor' ? await siMonitor(await loadSystemInformation()) : await siFresh(await loadSystemInformation());
  const tree = detail.parts.find((p) => p.name === 'tree');
  const readout = detail.parts.filter((p) => p.name !== 'tree' && p.name !== 'machine').reduce((s, p) => s + perSample(p), 0);
  const figures: Record<string, number> = { readout };
  if (tree) figures.tree = perSample(tree);
  const machine = detail.parts.find((p) => p.name === 'machine');
  if (machine) figures.machine = perSample(machine);
  emit(figures, detail);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
