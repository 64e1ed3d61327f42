// Throughput of the stdout metric parser on a realistic synthetic training log, against a naive
// baseline measured in the same run; each contender in its own process (bench/stdoutWorker.ts).
// Run alone: node --import tsx bench/stdout.bench.ts [sizeMB]
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { groups } from './stdoutLog';
import type { Contender, WorkerResult } from './stdoutWorker';

export const title = 'stdout parsing: metrics from a terminal\'s output';

const TARGET_MB_S = 200;
const REPEATS = 7;
/** Processes for the headline figure and its baseline: how the JIT compiles a parser varies from one process to the next. */
const PROCESSES = 3;

interface Figure {
  mbs: number;
  cpuMbs: number;
  records: number;
  mix: string;
  megabytes: number;
  /** Each process's best by wall clock, when the figure is the best of several processes. */
  perProcess?: number[];
}

function measure(contender: Contender, sizeMB: number, chunkBytes: number, part: 'mix' | number, repeats = REPEATS): Figure {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'stdoutWorker.ts'), contender, String(sizeMB), String(chunkBytes), String(part), String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as WorkerResult;
  return { mbs: r.megabytes / r.seconds, cpuMbs: r.megabytes / r.cpuSeconds, records: r.records, mix: r.mix, megabytes: r.megabytes };
}

/** The best of `PROCESSES` processes (each the best of its runs), with every process's figure. */
function measureBest(contender: Contender, sizeMB: number, chunkBytes: number): Figure {
  const all: Figure[] = [];
  for (let i = 0; i < PROCESSES; i++) all.push(measure(contender, sizeMB, chunkBytes, 'mix'));
  const best = all.reduce((a, b) => (b.mbs > a.mbs ? b : a));
  return { ...best, cpuMbs: Math.max(...all.map((f) => f.cpuMbs)), perProcess: all.map((f) => f.mbs) };
}

export interface StdoutBenchResult {
  /** The parser bundled as shipped, 64 KiB chunks. */
  ours: Figure;
  /** The same with every line read from scratch (no remembered line shapes). */
  oursFresh: Figure;
  /** The TypeScript sources run through tsx. */
  oursTsx: Figure;
  oursSmallChunks: Figure;
  baseline: Figure;
  /** Each group of the mix alone (bundled parser, 64 KiB chunks), to show what dense metric output costs. */
  perGroup: { label: string; figure: Figure }[];
}

export function measureStdout(sizeMB = 64): StdoutBenchResult {
  const big = 65536;
  const ours = measureBest('bundled', sizeMB, big);
  const oursFresh = measure('bundled-fresh', sizeMB, big, 'mix');
  const oursTsx = measure('tsx', sizeMB, big, 'mix');
  const oursSmallChunks = measure('bundled', sizeMB, 4096, 'mix');
  const baseline = measureBest('baseline', sizeMB, big);
  for (const [name, f] of [['without line shapes', oursFresh], ['tsx', oursTsx], ['4 KiB chunks', oursSmallChunks]] as const) {
    if (f.records !== ours.records) throw new Error(`the parser ${name} disagrees: ${f.records} records, bundled ${ours.records}`);
  }
  const perGroup = groups().map((g, i) => ({ label: g.label, figure: measure('bundled', Math.max(4, sizeMB / 8), big, i, 5) }));
  return { ours, oursFresh, oursTsx, oursSmallChunks, baseline, perGroup };
}

export function run(): void {
  const sizeArg = require.main === module ? Number(process.argv[2]) : NaN;
  const r = measureStdout(Number.isFinite(sizeArg) && sizeArg > 0 ? sizeArg : 64);
  const f = (x: number): string => x.toFixed(1).padStart(7);
  const spread = (x: Figure): string => (x.perProcess === undefined ? '' : `  [${PROCESSES} processes: ${x.perProcess.map((v) => v.toFixed(1)).join(', ')}]`);
  const line = (label: string, x: Figure, extra = ''): string => `  ${label.padEnd(34)}${f(x.mbs)} MB/s wall, ${f(x.cpuMbs)} MB/s CPU${extra}${spread(x)}`;
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; Node ${process.version}`);
  console.log(`${r.ours.megabytes.toFixed(1)} MB synthetic training log (${r.ours.mix}; digits shifted each time a recording repeats), fed in 64 KiB strings; each contender in its own process, best of ${REPEATS} runs (ours as shipped and the baseline: best of ${PROCESSES} such processes), by wall clock and by CPU time:`);
  console.log(line('ours (bundled, as shipped):', r.ours, `  (${r.ours.records} records)`));
  console.log(line('ours, every line from scratch:', r.oursFresh, '  (rememberLineShapes: false)'));
  console.log(line('ours (TypeScript via tsx):', r.oursTsx));
  console.log(line('ours (bundled, 4 KiB chunks):', r.oursSmallChunks));
  console.log(line('baseline (strip + one regex):', r.baseline, `  (${r.baseline.records} records: reads every \\r redraw, timestamps and versions; no epochs, JSON or dicts)`));
  const verdict = (x: number): string => (x >= TARGET_MB_S ? 'met' : 'NOT met');
  console.log(`  ours / baseline: ${(r.ours.mbs / r.baseline.mbs).toFixed(2)}x wall, ${(r.ours.cpuMbs / r.baseline.cpuMbs).toFixed(2)}x CPU; remembered line shapes: ${(r.ours.mbs / r.oursFresh.mbs).toFixed(2)}x`);
  console.log(`  target >= ${TARGET_MB_S} MB/s (bundled): ${verdict(r.ours.mbs)} by wall clock, ${verdict(r.ours.cpuMbs)} by CPU time${os.loadavg()[0]! > os.cpus().length ? ' (the machine is busy: wall clock understates)' : ''}`);
  console.log('  each part of the mix alone (bundled):');
  for (const g of r.perGroup) {
    console.log(`    ${`${g.label}:`.padEnd(34)} ${f(g.figure.mbs)} MB/s wall, ${f(g.figure.cpuMbs)} MB/s CPU  (${Math.round(g.figure.records / g.figure.megabytes)} records/MB)`);
  }
}

if (require.main === module) {
  run();
}
