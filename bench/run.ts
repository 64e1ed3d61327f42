// Runs every bench/*.bench.ts in turn (`npm run bench`), or those whose file name contains an argument
// (`npm run bench -- sampler`). A benchmark module exports `title` and `run()`, which prints its own figures.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface BenchModule {
  title?: string;
  run(): Promise<void> | void;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
    .sort();
  if (files.length === 0) throw new Error(`no bench/*.bench.ts matches ${filters.join(', ') || 'anything'}`);
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as BenchModule;
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
    console.log(`\n=== ${mod.title ?? file} (${file}) ===`);
    await mod.run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
