import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FuzzTarget } from './harness';

/** Every fuzz target: the `targets` export of each test/fuzz/*.fuzz.ts file, in file-name order. */
export async function loadTargets(): Promise<FuzzTarget[]> {
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.fuzz.ts'))
    .sort();
  const out: FuzzTarget[] = [];
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as { targets?: FuzzTarget[] };
    if (!Array.isArray(mod.targets)) throw new Error(`test/fuzz/${file} does not export targets`);
    out.push(...mod.targets);
  }
  return out;
}
