// One contender of bench/stdout.bench.ts in its own process, so that the JIT compiles each parser for
// its own input only (code optimised for one contender or one part of the mix slows another in the
// same process). Args: contender, sizeMB, chunk size in bytes, `mix` or a group index, repeats.
// Prints one JSON line (WorkerResult).
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricRecord } from '../src/core/parse/metricRecord';
import { StdoutParser } from '../src/core/parse/stdoutParser';
import { buildSyntheticLog, chunked, compose, groups } from './stdoutLog';

/** `bundled`: the parser as the extension ships it; `bundled-fresh`: the same, every line read from scratch; `tsx`: the sources; `baseline`: the naive approach. */
export type Contender = 'bundled' | 'bundled-fresh' | 'tsx' | 'baseline';

export interface WorkerResult {
  megabytes: number;
  mix: string;
  /** Best of the repeats, by wall clock and by this process's CPU time. */
  seconds: number;
  cpuSeconds: number;
  records: number;
}

type ParserClass = typeof StdoutParser;

/**
 * The parser bundled by esbuild into one scope, as the extension ships it.
 * Under tsx every call between two of its modules goes through an export
 * getter, which the bundle does not have.
 */
function bundledParser(): ParserClass {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-')), 'stdoutParser.js');
  buildSync({
    entryPoints: [path.join(__dirname, '..', 'src', 'core', 'parse', 'stdoutParser.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(out) as { StdoutParser: ParserClass };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return mod.StdoutParser;
}

/** The naive approach: split lines, strip ANSI with one simple regex, one big key/value regex per line. */
function naiveParse(chunks: readonly string[]): number {
  const ansi = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
  const kv = /(\w+)[=:]\s*([-\d.e]+)/g;
  let pending = '';
  let records = 0;
  let lineNo = 0;
  const out: MetricRecord[] = [];
  for (const chunk of chunks) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const raw of lines) {
      lineNo++;
      const line = raw.replace(ansi, '');
      kv.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = kv.exec(line)) !== null) {
        const value = parseFloat(m[2]!);
        if (!Number.isNaN(value)) out.push({ name: m[1]!, value, line: lineNo });
      }
    }
    records += out.length;
    out.length = 0;
  }
  return records;
}

function parser(contender: Contender): (chunks: readonly string[]) => number {
  if (contender === 'baseline') return naiveParse;
  const Parser = contender === 'tsx' ? StdoutParser : bundledParser();
  const options = { rememberLineShapes: contender !== 'bundled-fresh' };
  return (chunks) => {
    const p = new Parser(options);
    let records = 0;
    for (const chunk of chunks) records += p.push(chunk).length;
    return records + p.end().length;
  };
}

/**
 * The fastest of `repeats` runs, by wall clock and by CPU time: on a shared
 * machine other processes only ever slow a run down, so the minimum is the
 * best estimate of the code's own cost, and CPU time is not stretched when
 * the process waits for a core.
 */
function timeIt(fn: () => number, repeats: number): { seconds: number; cpuSeconds: number; records: number } {
  let best = Infinity;
  let bestCpu = Infinity;
  let records = 0;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    records = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
  }
  return { seconds: best, cpuSeconds: bestCpu, records };
}

function main(): void {
  const [contender, sizeArg, chunkArg, partArg, repeatsArg] = process.argv.slice(2) as [Contender, string, string, string, string];
  const sizeMB = Number(sizeArg);
  const { text, mix } = partArg === 'mix' ? buildSyntheticLog(sizeMB) : compose([{ ...groups()[Number(partArg)]!, share: 1 }], sizeMB);
  const chunks = chunked(text, Number(chunkArg));
  const parse = parser(contender);
  // Warm up on the log's first 4 MB so the JIT has compiled the parser before timing.
  const warm = chunked(text.slice(0, 4_000_000), Number(chunkArg));
  for (let i = 0; i < 3; i++) parse(warm);
  const t = timeIt(() => parse(chunks), Number(repeatsArg));
  const result: WorkerResult = { megabytes: Buffer.byteLength(text) / 1e6, mix, ...t };
  console.log(JSON.stringify(result));
}

main();
