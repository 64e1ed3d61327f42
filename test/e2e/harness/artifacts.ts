import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS_DIR } from './paths';
import type { Page } from 'playwright-core';

/** Every file under `dir` for which `accept` holds, depth first, sorted. */
export function findFiles(dir: string, accept: (file: string) => boolean): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(full, accept));
    else if (accept(full)) out.push(full);
  }
  return out;
}

export interface FailureContext {
  /** Names the folder: test/e2e/.artifacts/<name>/. */
  name: string;
  page: Page | undefined;
  /** Log files to keep, by the name they get in the artifacts folder; missing ones are skipped. */
  logs: [string, string | undefined][];
}

/** Copies what explains a failure out of the test's temporary folders and prints where it went. */
export async function keepArtifacts(failure: FailureContext): Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, failure.name.replace(/[^A-Za-z0-9._-]+/g, '-'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const kept: string[] = [];
  try {
    const shot = path.join(dir, 'screenshot.png');
    if (!failure.page) throw new Error('no browser page');
    await failure.page.screenshot({ path: shot, timeout: 10_000 });
    kept.push(shot);
  } catch (err) {
    kept.push(`(no screenshot: ${(err as Error).message.split('\n')[0]})`);
  }
  for (const [name, from] of failure.logs) {
    if (!from || !fs.existsSync(from)) continue;
    const to = path.join(dir, name);
    fs.copyFileSync(from, to);
    kept.push(to);
  }
  process.stderr.write(`\ne2e: ${failure.name} failed; kept:\n${kept.map((k) => `  ${k}`).join('\n')}\n`);
  return dir;
}
