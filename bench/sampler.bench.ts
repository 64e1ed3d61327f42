// The status-bar sampler's CPU cost against systeminformation's, two ways: the same readings at the
// same freshness (the headline: both sides do the same work) and product against product (what each
// monitor really does per status-bar tick: ours caches the load average 5 s and disk usage 10 s, a
// systeminformation monitor calls everything every tick). The three contenders run side by side on
// one schedule, a third of an interval apart, so that no side's work overlaps another's samples.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measure, nodeWorker, startWorker, type Contender, type WorkerOutput } from './harness';
import { outcome, type BenchOutcome } from './report';
import type { Detail } from './samplerWorker';
import { fmt, median } from './stats';

export const title = 'Sampler: CPU time per status-bar tick, our collectors vs systeminformation';

/** The status bar's default interval (tracelet.statusBar.interval), so our caches work as in use. */
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 2000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 8);
/** The same for every side: enough for V8 to have optimised our code (see docs/benchmarks.md). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);

/**
 * A stand-in for a tracked training run: a shell running a multi-threaded main process (node, like
 * python with its threads) that started four workers. In its own process group, so that it can be
 * ended as a whole; it also ends with its workers when its stdin closes, so a benchmark that is
 * interrupted leaves nothing behind.
 */
function startRun(): ChildProcess {
  const main = `const { spawn } = require('child_process'); const kids = []; for (let i = 0; i < 4; i++) kids.push(spawn('sleep', ['3600'], { stdio: 'ignore' })); process.stdin.on('end', () => { for (const k of kids) k.kill(); process.exit(); }).resume();`;
  return spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -e ${JSON.stringify(main)}`], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
}

/** All sides warm up at once, then sample on one schedule, each a fraction of an interval after the last. */
async function sideBySide(contenders: readonly Contender[], round: number): Promise<WorkerOutput[]> {
  const running = contenders.map((c) => startWorker(c, round));
  await Promise.race([Promise.all(running.map((r) => r.ready)), Promise.all(running.map((r) => r.output))]);
  const epoch = Date.now() + 200;
  running.forEach((r, i) => r.send(`go ${epoch + Math.round((i * INTERVAL_MS) / running.length)}`));
  return Promise.all(running.map((r) => r.output));
}

/** Where each side's time goes, median over the processes, for the docs. */
function breakdown(outputs: Record<string, WorkerOutput[]>): string[] {
  const lines = [
    "Where the time goes (CPU ms per sample, median over the processes; children are the programs systeminformation starts, counted in 10 ms ticks when reaped, so one call can be charged for another's programs; the sums per side hold):",
    '',
    '| contender | call | self | children |',
    '|---|---|---|---|',
  ];
  for (const [name, outs] of Object.entries(outputs)) {
    const details = outs.map((o) => o.detail as Detail);
    for (const [i, part] of details[0]!.parts.entries()) {
      const self = median(details.map((d) => d.parts[i]!.selfMs));
      const children = median(details.map((d) => d.parts[i]!.childrenMs));
      lines.push(`| ${name} | ${part.name} | ${fmt(self)} | ${fmt(children)} |`);
    }
  }
  const notes = Object.entries(outputs).map(([name, outs]) => `${name}: ${(outs[0]!.detail as Detail).notes.join('; ')}`);
  return [...lines, '', `Seen in the first round: ${notes.join('. ')}.`];
}

function hasNvidiaSmi(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'nvidia-smi')));
}

export async function run(): Promise<BenchOutcome> {
  const fakeRun = startRun();
  await new Promise((r) => setTimeout(r, 500));
  try {
    const args = [String(SAMPLES), String(INTERVAL_MS), String(WARMUP), String(fakeRun.pid)];
    const si = (JSON.parse(fs.readFileSync(require.resolve('systeminformation/package.json'), 'utf8')) as { version: string }).version;
    const contenders: Contender[] = [
      {
        name: 'ours',
        label: 'Tracelet system and process collectors through the Sampler',
        role: 'ours',
        command: nodeWorker('samplerWorker.ts', 'ours', ...args),
      },
      {
        name: 'si-fresh',
        label: `systeminformation ${si}, our readings at our freshness`,
        role: 'peer',
        command: nodeWorker('samplerWorker.ts', 'si-fresh', ...args),
      },
      {
        name: 'si-monitor',
        label: `systeminformation ${si}, as a status-bar monitor calls it`,
        role: 'peer',
        command: nodeWorker('samplerWorker.ts', 'si-monitor', ...args),
      },
    ];
    console.log(
      `${SAMPLES} samples every ${INTERVAL_MS} ms per process after ${WARMUP} warm-up samples, the sides a third of an interval apart; CPU ms per sample, self + reaped children`,
    );
    const m = await measure({ contenders, round: sideBySide });
    return outcome(
      m,
      [
        {
          label: 'same readings, same freshness: CPU ms per status-bar tick',
          unit: 'ms',
          better: 'lower',
          ours: 'ours',
          figure: 'readout',
          against: 'si-fresh',
          headline: true,
        },
        {
          label: 'same readings: every process on the machine, CPU ms per listing',
          unit: 'ms',
          better: 'lower',
          ours: 'ours',
          figure: 'machine',
          against: 'si-monitor',
          againstFigure: 'tree',
        },
        { label: 'product against product: CPU ms per status-bar tick', unit: 'ms', better: 'lower', ours: 'ours', figure: 'readout', against: 'si-monitor' },
        {
          label: "product against product: a tracked run's process tree, CPU ms per sample",
          unit: 'ms',
          better: 'lower',
          ours: 'ours',
          figure: 'tree',
          against: 'si-monitor',
        },
      ],
      {
        settings: { 'interval ms': INTERVAL_MS, 'samples per process': SAMPLES, 'warm-up samples (every side)': WARMUP },
        notes: [
          "Same readings, same freshness (the headline): both sides read CPU (total and per core), memory, swap, disk and network throughput of the same interfaces every tick, and disk usage at most every 10 s, as our collector does; systeminformation's currentLoad also reads the load average every tick (ours every 5 s), and ours also reads the uptime (si.time() would run `date` each call, so the peer is spared it). Product against product: ours as shipped against the calls a systeminformation status-bar monitor makes every tick (currentLoad, mem, fsSize, fsStats, networkStats), and for a tracked run's tree the whole-machine processes() it must list, against our /proc walk of the tree alone.",
          '',
          `GPU: ${hasNvidiaSmi() ? 'nvidia-smi is here but not part of this comparison' : 'not compared, no nvidia-smi here'} (ours reads one long-lived nvidia-smi stream; systeminformation's graphics() runs nvidia-smi on every call).`,
          '',
          ...breakdown(m.outputs),
        ],
      },
    );
  } finally {
    process.kill(-fakeRun.pid!, 'SIGKILL');
  }
}
