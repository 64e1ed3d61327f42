// One side of bench/sampler.bench.ts, in its own process so that neither side's garbage, caches or
// child processes land in the other's figures: `ours` or `si`, SAMPLES samples every INTERVAL_MS ms.
// Prints one JSON line: CPU time per component (self and reaped children) and wall times.
import * as os from 'node:os';
import { silentLogger } from '../src/core/logger';
import { Sampler } from '../src/core/sampler/sampler';
import type { PluginContext } from '../src/core/types';
import { ProcessCollector } from '../src/plugins/process/processCollector';
import { SystemCollector } from '../src/plugins/system/systemCollector';
import { loadSystemInformation } from '../src/plugins/system/systemInformation';
import { cpuSince, readCpu } from './cpuMeter';

export interface Component {
  name: string;
  selfMs: number;
  childrenMs: number;
  wallMs: number[];
}

export interface WorkerResult {
  side: 'ours' | 'si';
  samples: number;
  warmup: number;
  components: Component[];
  total: Component;
  notes: string[];
}

const [side, samplesArg, intervalArg, rootArg] = process.argv.slice(2);
const SAMPLES = Number(samplesArg);
const INTERVAL_MS = Number(intervalArg);
const TREE_ROOT = Number(rootArg);
const context: PluginContext = { pluginName: 'bench', logger: silentLogger, storageDir: os.tmpdir(), coreVersion: '0' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function component(name: string): Component {
  return { name, selfMs: 0, childrenMs: 0, wallMs: [] };
}

/** The components added up, sample by sample (measuring the whole again would add the meter's own cost). */
function sum(name: string, parts: readonly Component[]): Component {
  return {
    name,
    selfMs: parts.reduce((s, c) => s + c.selfMs, 0),
    childrenMs: parts.reduce((s, c) => s + c.childrenMs, 0),
    wallMs: parts[0]!.wallMs.map((_, i) => parts.reduce((s, c) => s + (c.wallMs[i] ?? 0), 0)),
  };
}

async function timed(c: Component | undefined, fn: () => unknown): Promise<void> {
  const cpu = readCpu();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  if (!c) return;
  const used = cpuSince(cpu);
  c.selfMs += used.selfMs;
  c.childrenMs += used.childrenMs;
  c.wallMs.push(wall);
}

/**
 * Prints `ready` and resolves with the `go <epoch>` line the driver sends once both sides are ready:
 * sample i then runs at epoch + i × INTERVAL_MS (Date.now() time).
 */
function startSignal(): Promise<number> {
  process.stdout.write('ready\n');
  return new Promise((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8').on('data', (d: string) => {
      input += d;
      const m = /^go (\d+)$/m.exec(input);
      if (m) {
        process.stdin.pause();
        resolve(Number(m[1]));
      }
    });
  });
}

/** Calls `sample` `warmup` times back to back (uncounted), then on the schedule shared with the other side. */
async function loop(warmup: number, sample: (counted: boolean) => Promise<void>): Promise<void> {
  for (let i = 0; i < warmup; i++) await sample(false);
  const epoch = await startSignal();
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(Math.max(0, epoch + i * INTERVAL_MS - Date.now()));
    await sample(true);
  }
}

async function ours(): Promise<WorkerResult> {
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
  // Separate samplers so each figure is what that readout costs through the real scheduler.
  const readout = new Sampler({ intervalMs: INTERVAL_MS, sources: () => [{ name: 'system', collector: system }] });
  const withTree = new Sampler({ intervalMs: INTERVAL_MS, sources: () => [{ name: 'process', collector: tree }] });
  const parts = [component('system'), component(`process tree of pid ${TREE_ROOT}`)];
  const whole = component('process tree of pid 1 (the whole machine)');
  // Steady state: the code as V8 has optimised it after some minutes of sampling.
  const warmup = 300;
  let treeSize = 0;
  await loop(warmup, async (counted) => {
    await timed(counted ? parts[0] : undefined, () => readout.tick());
    await timed(counted ? parts[1] : undefined, async () => {
      treeSize = ((await withTree.tick()).values.process as { count?: number } | undefined)?.count ?? 0;
    });
    await timed(counted ? whole : undefined, () => machine.collect());
  });
  const mounts = JSON.stringify(system.getStatus().mounts);
  system.stop();
  tree.stop();
  machine.stop();
  return {
    side: 'ours',
    samples: SAMPLES,
    warmup,
    components: [...parts, whole],
    total: sum('ours', parts),
    notes: [`system: CPU total and per core, load, memory, swap, disk usage of ${mounts}, disk and network rates, uptime`, `process tree of pid ${TREE_ROOT}: ${treeSize} processes`],
  };
}

async function si(): Promise<WorkerResult> {
  const si = await loadSystemInformation();
  let treeSize = 0;
  const calls: [string, () => Promise<unknown>][] = [
    ['currentLoad', () => si.currentLoad()],
    ['mem', () => si.mem()],
    ['fsSize', () => si.fsSize()],
    ['disksIO', () => si.disksIO()],
    ['networkStats', () => si.networkStats()],
    [
      `processes + tree of pid ${TREE_ROOT}`,
      async () => {
        const { list } = await si.processes();
        const tree = [TREE_ROOT];
        for (let i = 0; i < tree.length; i++) for (const p of list) if (p.parentPid === tree[i]) tree.push(p.pid);
        treeSize = tree.length;
      },
    ],
  ];
  const parts = calls.map(([name]) => component(name));
  const warmup = 5;
  await loop(warmup, async (counted) => {
    for (const [i, [, call]] of calls.entries()) await timed(counted ? parts[i] : undefined, call);
  });
  return { side: 'si', samples: SAMPLES, warmup, components: parts, total: sum('systeminformation', parts), notes: [`tree of pid ${TREE_ROOT}: ${treeSize} processes`] };
}

(side === 'ours' ? ours() : si())
  .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
