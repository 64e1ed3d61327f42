// One contender of bench/stdout.bench.ts in its own process, so that the JIT compiles each parser for
// its own input only (code optimised for one contender slows another in the same process).
// Args: contender, log file, chunk size in bytes, timed passes, file for the records (round 0 only, or -).
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricRecord } from '../src/core/parse/metricRecord';
import type { StdoutParser } from '../src/core/parse/stdoutParser';
import { chunked } from './stdoutLog';
import { median } from './stats';
import { emit, round } from './worker';

/**
 * `bundled`: the parser as the extension ships it; `bundled-fresh`: the same, every line read from scratch;
 * `before`: the parser of an earlier commit, bundled the same way from the source tree the benchmark
 * extracted to BENCH_STDOUT_BEFORE_SRC; `baseline`: the naive approach; `alternating`: `bundled` and
 * `before` in one process, their passes taken in turn (two bundles are two copies of the code, so
 * neither's compiled code is shaped by the other's input), for their ratio under the same load;
 * `chunk-sizes`: `bundled` on the log in 4 KiB chunks and in 64 KiB chunks (the same text, so one
 * copy of the code serves both), passes in turn.
 */
type Contender = 'bundled' | 'bundled-fresh' | 'before' | 'baseline' | 'alternating' | 'chunk-sizes';

const ROOT = path.join(__dirname, '..');

/** Parses the chunks, handing every record to `keep` (timed passes only count them, as the Guild worker does). */
type Parse = (chunks: readonly string[], keep?: (r: MetricRecord) => void) => number;

/**
 * The parser bundled by esbuild into one scope, as the extension ships it. Under tsx every call
 * between two of its modules goes through an export getter, which the bundle does not have.
 */
function bundledParser(sourceRoot: string): typeof StdoutParser {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bench-')), 'stdoutParser.js');
  buildSync({
    entryPoints: [path.join(sourceRoot, 'src', 'core', 'parse', 'stdoutParser.ts')],
    // An extracted tree outside the checkout finds its packages (re2js, ajv) in the checkout's node_modules.
    nodePaths: [path.join(ROOT, 'node_modules')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(out) as { StdoutParser: typeof StdoutParser };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return mod.StdoutParser;
}

/** The naive approach: split lines, strip ANSI with one simple regex, one big key/value regex per line. */
function naiveParse(chunks: readonly string[], keep?: (r: MetricRecord) => void): number {
  const ansi = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
  const kv = /(\w+)[=:]\s*([-\d.e]+)/g;
  let pending = '';
  let lineNo = 0;
  let records = 0;
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
    // Records per chunk, as the parser returns them from push().
    records += out.length;
    if (keep) out.forEach(keep);
    out.length = 0;
  }
  return records;
}

function parser(contender: Exclude<Contender, 'alternating' | 'chunk-sizes'>): Parse {
  if (contender === 'baseline') return naiveParse;
  const root = contender === 'before' ? process.env.BENCH_STDOUT_BEFORE_SRC : ROOT;
  if (!root) throw new Error('the before contender needs BENCH_STDOUT_BEFORE_SRC');
  const Parser = bundledParser(root);
  const options = { rememberLineShapes: contender !== 'bundled-fresh' };
  return (chunks, keep) => {
    const p = new Parser(options);
    let records = 0;
    for (const chunk of chunks) {
      const got = p.push(chunk);
      records += got.length;
      if (keep) got.forEach(keep);
    }
    const rest = p.end();
    if (keep) rest.forEach(keep);
    return records + rest.length;
  };
}

/** One JSON array a line, [line, name, value, step], non-finite values as strings and no step as null (as the Guild worker writes them). */
function writeRecords(file: string, records: readonly MetricRecord[]): void {
  const value = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
  fs.writeFileSync(file, `${records.map((r) => JSON.stringify([r.line, r.name, value(r.value), r.step ?? null])).join('\n')}\n`);
}

/** CPU milliseconds of one parse of the chunks. */
function cpuMs(parse: Parse, chunks: readonly string[]): number {
  const c0 = process.cpuUsage();
  parse(chunks);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** A parse of some chunks, and its warm-up. */
interface Pass {
  parse: Parse;
  chunks: readonly string[];
  warm: readonly string[];
}

/**
 * The median over pairs of passes taken in turn of `other`'s CPU time over `ours` (above 1: ours is
 * faster). Which goes first changes every pair, so that neither always runs right after a collection
 * the other caused.
 */
function alternate(ours: Pass, other: Pass, pairs: number): number {
  for (let i = 0; i < 3; i++) {
    ours.parse(ours.warm);
    other.parse(other.warm);
  }
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let oursMs: number;
    let otherMs: number;
    if (i % 2 === 0) {
      oursMs = cpuMs(ours.parse, ours.chunks);
      otherMs = cpuMs(other.parse, other.chunks);
    } else {
      otherMs = cpuMs(other.parse, other.chunks);
      oursMs = cpuMs(ours.parse, ours.chunks);
    }
    ratios.push(otherMs / oursMs);
  }
  return median(ratios);
}

function main(): void {
  const [contender, logFile, chunkArg, passesArg, recordsFile] = process.argv.slice(2) as [Contender, string, string, string, string];
  const text = fs.readFileSync(logFile, 'utf8');
  const megabytes = Buffer.byteLength(text) / 1e6;
  const chunks = chunked(text, Number(chunkArg));
  // Warm-up on the log's first 4 MB, so the JIT has compiled the parser before timing.
  const warm = chunked(text.slice(0, 4_000_000), Number(chunkArg));
  if (contender === 'alternating') {
    // Before's CPU time over ours, the same chunks.
    emit({ ratio: alternate({ parse: parser('bundled'), chunks, warm }, { parse: parser('before'), chunks, warm }, Number(passesArg)) });
    return;
  }
  if (contender === 'chunk-sizes') {
    // The CPU time in 64 KiB chunks over that in `chunkArg`-byte chunks: the speed in small chunks over that in large ones.
    const parse = parser('bundled');
    const large = { parse, chunks: chunked(text, 65536), warm: chunked(text.slice(0, 4_000_000), 65536) };
    emit({ ratio: alternate({ parse, chunks, warm }, large, Number(passesArg)) });
    return;
  }
  const parse = parser(contender);
  for (let i = 0; i < 3; i++) parse(warm);
  const wall: number[] = [];
  const cpu: number[] = [];
  let records = 0;
  for (let i = 0; i < Number(passesArg); i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    records = parse(chunks);
    wall.push(megabytes / (Number(process.hrtime.bigint() - t0) / 1e9));
    const c = process.cpuUsage(c0);
    cpu.push(megabytes / ((c.user + c.system) / 1e6));
  }
  if (round === 0 && recordsFile !== '-') {
    const kept: MetricRecord[] = [];
    parse(chunks, (r) => kept.push(r));
    writeRecords(recordsFile, kept);
  }
  emit({ mbs: median(wall), cpuMbs: median(cpu), records });
}

main();
