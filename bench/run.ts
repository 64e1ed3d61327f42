// Runs every bench/*.bench.ts in turn (`npm run bench`), or those whose file name contains an argument
// (`npm run bench -- sampler`). A benchmark exports `title` and `run()`; run() returns what
// report.ts `outcome` made (or nothing when it skipped, saying why), which is written to
// bench/results/<name>.json; docs/benchmarks.md is then regenerated from all the results files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_DIR, writeDocs } from './docs';
import { describeMachine, loadNow } from './machine';
import type { BenchOutcome, BenchResult } from './report';

interface BenchModule {
  title?: string;
  run(): Promise<BenchOutcome | void> | BenchOutcome | void;
}

async function runOne(file: string): Promise<void> {
  const name = file.replace(/\.bench\.ts$/, '');
  const mod = (await import(path.join(__dirname, file))) as BenchModule;
  if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
  const title = mod.title ?? name;
  console.log(`\n=== ${title} (${file}) ===`);
  const machine = describeMachine();
  const started = Date.now();
  const outcome = await mod.run();
  if (!outcome) return;
  const result: BenchResult = {
    name,
    title,
    date: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { ...machine, loadAfter: loadNow() },
    ...outcome,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Six significant digits: the figures' own noise is far larger, and the committed files diff cleanly.
  const rounded = JSON.stringify(result, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v), 2);
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${rounded}\n`);
  console.log(`\n  ${title}: ${result.durationSeconds} s; wrote ${path.relative(process.cwd(), path.join(RESULTS_DIR, `${name}.json`))}`);
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
    .sort();
  if (files.length === 0) throw new Error(`no bench/*.bench.ts matches ${filters.join(', ') || 'anything'}`);
  const started = Date.now();
  const failed: string[] = [];
  for (const file of files) {
    try {
      await runOne(file);
    } catch (err) {
      // The other benchmarks still run; the failure is printed in full and fails the command.
      console.error(`\n${file} FAILED:`, err);
      failed.push(file);
    }
  }
  console.log(`\nwrote ${writeDocs()}; ${files.length} benchmark(s) in ${Math.round((Date.now() - started) / 1000)} s`);
  if (failed.length > 0) throw new Error(`failed: ${failed.join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
