// Our collectors against the systeminformation calls a resource monitor makes for the same readout, in the
// same run: each side in its own Node process, so CPU time is attributed cleanly, including the child
// processes systeminformation spawns (counted once reaped). Both sample at the same rate on one schedule,
// half an interval apart, so that neither side's work overlaps the other's measurements.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Component, WorkerResult } from './samplerWorker';

export const title = 'Sampler: CPU time per sample, our collectors vs systeminformation';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 1000);

interface Worker {
  ready: Promise<void>;
  result: Promise<WorkerResult>;
  go(epoch: number): void;
}

/** Starts one side; it warms up, says `ready`, and starts sampling at the epoch it is sent. */
function startWorker(side: 'ours' | 'si', treeRoot: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'samplerWorker.ts'), side, String(SAMPLES), String(INTERVAL_MS), String(treeRoot)], {
    cwd: path.join(__dirname, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (/^ready$/m.test(out)) markReady();
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult) : reject(new Error(`${side} worker exited with ${String(code)}`))));
  });
  return { ready, result, go: (epoch) => child.stdin.end(`go ${epoch}\n`) };
}

const perSample = (c: Component, n: number): number => (c.selfMs + c.childrenMs) / n;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const core = (ms: number): string => `${((100 * ms) / 1000).toFixed(3)}%`;

function row(c: Component, n: number, indent = '    '): string {
  return `${indent}${c.name.padEnd(44 - indent.length)} ${perSample(c, n).toFixed(3).padStart(9)} ms CPU/sample   self ${(c.selfMs / n).toFixed(3).padStart(8)}   children ${(c.childrenMs / n).toFixed(3).padStart(8)}   wall median ${median(c.wallMs).toFixed(2)} ms`;
}

/**
 * A stand-in for a tracked training run, watched by both sides: a shell running a multi-threaded
 * main process (node, like python with its threads) that started four workers. In its own process
 * group, so that it can be ended as a whole.
 */
function startRun(): ChildProcess {
  const main = `const { spawn } = require('child_process'); for (let i = 0; i < 4; i++) spawn('sleep', ['3600'], { stdio: 'ignore' }); setInterval(() => {}, 1e6);`;
  return spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -e ${JSON.stringify(main)}`], { stdio: 'ignore', detached: true });
}

export async function run(): Promise<void> {
  const fakeRun = startRun();
  await new Promise((r) => setTimeout(r, 500));
  try {
    await compare(fakeRun.pid!);
  } finally {
    process.kill(-fakeRun.pid!, 'SIGKILL');
  }
}

async function compare(treeRoot: number): Promise<void> {
  const processes = fs.existsSync('/proc') ? fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length : 0;
  const siVersion = (JSON.parse(fs.readFileSync(require.resolve('systeminformation/package.json'), 'utf8')) as { version: string }).version;
  console.log(`machine: ${os.platform()} ${os.arch()}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${processes} processes, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; Node ${process.version}; systeminformation ${siVersion}`);
  console.log(`${SAMPLES} samples every ${INTERVAL_MS} ms on each side, in the same ${Math.round((SAMPLES * INTERVAL_MS) / 1000)} s, half an interval apart (after warm-up) ...`);
  const workers = [startWorker('ours', treeRoot), startWorker('si', treeRoot)] as const;
  await Promise.race([Promise.all(workers.map((w) => w.ready)), Promise.all(workers.map((w) => w.result))]);
  const epoch = Date.now() + 200;
  workers[0].go(epoch);
  workers[1].go(epoch + INTERVAL_MS / 2);
  const [ours, si] = await Promise.all(workers.map((w) => w.result));
  const n = SAMPLES;

  console.log(`\nOURS (warm-up ${ours.warmup} samples: V8's optimised code, as after some minutes of status-bar sampling)`);
  for (const note of ours.notes) console.log(`  ${note}`);
  for (const c of ours.components) console.log(row(c, n));
  console.log(row(ours.total, n, '  '));
  console.log(`\nSYSTEMINFORMATION (warm-up ${si.warmup} calls each)`);
  for (const note of si.notes) console.log(`  ${note}`);
  for (const c of si.components) console.log(row(c, n));
  console.log(row(si.total, n, '  '));

  const [system, tree] = ours.components as [Component, Component];
  const oursAll = perSample(ours.total, n);
  const oursReadout = perSample(system, n);
  const siAll = perSample(si.total, n);
  const siReadout = si.components.slice(0, 5).reduce((s, c) => s + perSample(c, n), 0);
  console.log('\nRESULT (CPU time per sample, this process and its children)');
  console.log(`  status-bar readout   ours ${oursReadout.toFixed(3)} ms (system)              si ${siReadout.toFixed(3)} ms (currentLoad, mem, fsSize, disksIO, networkStats)   ratio ${(siReadout / oursReadout).toFixed(1)}x`);
  console.log(`  readout + tree       ours ${oursAll.toFixed(3)} ms (system + process tree)   si ${siAll.toFixed(3)} ms (the above + processes)                              ratio ${(siAll / oursAll).toFixed(1)}x   (target >= 10x: ${siAll / oursAll >= 10 ? 'met' : 'NOT met'})`);
  console.log(`  share of one core at 1 Hz: ours readout ${core(oursReadout)}, readout + tree ${core(oursAll)} (process tree alone ${core(perSample(tree, n))});  si readout ${core(siReadout)}, readout + tree ${core(siAll)}`);
  console.log(`  target < 0.05% of one core at 1 Hz for ours: readout ${oursReadout < 0.5 ? 'met' : 'NOT met'}, readout + tree ${oursAll < 0.5 ? 'met' : 'NOT met'}`);
  console.log(`  GPU: ${hasNvidiaSmi() ? 'nvidia-smi is present but not part of this comparison' : 'not compared: no nvidia-smi here (ours reads one long-lived nvidia-smi stream; si.graphics() runs nvidia-smi synchronously on every call)'}`);
}

function hasNvidiaSmi(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'nvidia-smi')));
}
