// Runs benchmark contenders the one way every benchmark here uses: each contender in its own process
// (so no contender inherits another's JIT-compiled code, garbage, caches or child processes), the
// contenders alternated round by round (A B A B …, so a machine that gets busier or a database that
// grows hits both alike), each process warming up before it measures (the worker's job), and every
// figure kept per process so the headline can be a median with min and max, never a best.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fmt } from './stats';

export type Role = 'ours' | 'peer' | 'baseline';

/** What one process of a contender prints as its last line (bench/worker.ts `emit`, or the same JSON from Python). */
export interface WorkerOutput {
  figures: Record<string, number>;
  detail?: unknown;
}

export interface Contender {
  /** Key in the results: `ours`, `guild`, `baseline`. */
  name: string;
  /** What it is, for the tables. */
  label: string;
  role: Role;
  /** Program and arguments of one process; it also gets BENCH_ROUND (0-based) in its environment. */
  command: readonly string[];
  env?: Record<string, string>;
}

export interface Running {
  /** Resolves when the worker prints `ready` (workers that start on a signal: bench/worker.ts `startSignal`). */
  ready: Promise<void>;
  send(line: string): void;
  output: Promise<WorkerOutput>;
}

export interface Measurements {
  contenders: readonly Contender[];
  rounds: number;
  /** Per contender name, one output per round. */
  outputs: Record<string, WorkerOutput[]>;
}

export const MIN_ROUNDS = 5;

/** BENCH_ROUNDS overrides the number of processes per contender (fewer than 5 is marked as not a headline). */
function benchRounds(): number {
  const n = Number(process.env.BENCH_ROUNDS);
  return Number.isInteger(n) && n > 0 ? n : MIN_ROUNDS;
}

/** A TypeScript worker in bench/, run through tsx like the benchmarks themselves. */
export function nodeWorker(file: string, ...args: string[]): string[] {
  return [process.execPath, '--import', 'tsx', path.join(__dirname, file), ...args];
}

export function startWorker(c: Contender, round: number): Running {
  const [program, ...args] = c.command;
  const child = spawn(program!, args, {
    cwd: path.join(__dirname, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...c.env, BENCH_ROUND: String(round) },
  });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (/^ready$/m.test(out)) markReady();
  });
  const output = new Promise<WorkerOutput>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0)
        return reject(new Error(`${c.name} (round ${round + 1}) exited with ${signal ?? code}${last ? `; it printed: ${last.slice(0, 500)}` : ''}`));
      try {
        const parsed = JSON.parse(last) as WorkerOutput;
        if (typeof parsed.figures !== 'object' || parsed.figures === null) throw new Error('no figures');
        resolve(parsed);
      } catch (err) {
        reject(new Error(`${c.name} (round ${round + 1}) did not end with a JSON line of figures (${(err as Error).message}): ${last.slice(0, 500)}`));
      }
    });
  });
  child.stdin.on('error', () => undefined); // a worker that exits without reading its stdin
  return { ready, send: (line) => child.stdin.write(`${line}\n`), output: output.finally(() => child.stdin.end()) };
}

/** One process after another, in the order given. */
async function sequentialRound(contenders: readonly Contender[], round: number): Promise<WorkerOutput[]> {
  const outputs: WorkerOutput[] = [];
  for (const c of contenders) outputs.push(await startWorker(c, round).output);
  return outputs;
}

/**
 * `rounds` rounds of one process per contender. `round` replaces the default (one process after
 * another) when the contenders must run side by side, as the sampler's do on one shared schedule.
 */
export async function measure(options: {
  contenders: readonly Contender[];
  rounds?: number;
  round?: (contenders: readonly Contender[], round: number) => Promise<WorkerOutput[]>;
}): Promise<Measurements> {
  const { contenders } = options;
  const rounds = options.rounds ?? benchRounds();
  const outputs: Record<string, WorkerOutput[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
  const width = Math.max(...contenders.map((c) => c.name.length));
  for (let r = 0; r < rounds; r++) {
    const got = await (options.round ?? sequentialRound)(contenders, r);
    contenders.forEach((c, i) => {
      outputs[c.name]!.push(got[i]!);
      const figures = Object.entries(got[i]!.figures).map(([k, v]) => `${k} ${fmt(v)}`);
      console.log(`  round ${r + 1}/${rounds}  ${c.name.padEnd(width)}  ${figures.join('  ')}`);
    });
  }
  return { contenders, rounds, outputs };
}
