// What a tracked script printed against what its run stored, for the suites that track real commands in a terminal.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LOST_OUTPUT_START } from '../../src/core/run/outputStart';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { outputNotesOf, type RunRecord } from '../../src/core/store/runRecord';

/** `name=value` pairs per name in what a script printed, the params line and `epoch` (a step, not a metric) aside. */
export function printedCounts(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of output.split('\n')) {
    if (line.startsWith('params ')) continue;
    for (const m of line.matchAll(/(\w+)=[-\d.e]+/g)) if (m[1] !== 'epoch') counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
  }
  return counts;
}

/** Points per metric in a run's log, the samplers' (system, process, gpu) aside. */
export function storedCounts(runDir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of readAllPoints(path.join(runDir, 'metrics.bin')).points) {
    if (/^(system|process|gpu)\//.test(p.name)) continue;
    counts[p.name] = (counts[p.name] ?? 0) + 1;
  }
  return counts;
}

/**
 * The run stores every point printed, or it says that VS Code did not pass on the start of the output (a race in
 * VS Code, see outputStart.ts) and stores no more than was printed: nothing is lost without the run saying so.
 */
export function assertStoredAsPrinted(runDir: string, run: RunRecord, printed: Record<string, number>): void {
  const stored = storedCounts(runDir);
  if (!outputNotesOf(run).includes(LOST_OUTPUT_START)) {
    assert.deepEqual(stored, printed, 'the store holds exactly what the command printed, per metric');
    return;
  }
  for (const [name, count] of Object.entries(stored)) assert.ok(count <= (printed[name] ?? 0), `${name}: ${count} stored, ${printed[name] ?? 0} printed`);
}
