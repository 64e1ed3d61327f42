// Opening a long log for appending, and recovering a crashed run from it, in a process whose heap is too
// small to hold the log's points as objects: memory must not grow with the log. This file is also the
// child process it starts (TRACELET_MEMORY_CHILD), so that each measurement has a heap of its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import { MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import { writeRunRecord } from '../../src/core/store/runRecord';
import type { MetricPoint } from '../../src/core/types';
import { newRecord, quietLogger, tempDir } from './pipelineHelpers';

/** Far below the ~200 MB that 2,000,000 points take as objects. */
const HEAP_MB = 40;
const NAMES = ['train/loss', 'train/acc', 'lr', 'grad_norm', 'val/loss', 'system/cpu'];

function heap(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

/**
 * Run in the child: does `mode` on the run folder and prints how far the heap grew, measured after a
 * collection (what is held, not garbage a collection has yet to take) while delivering and at the end.
 */
async function child(mode: string, root: string): Promise<void> {
  const runDir = path.join(root, 'run');
  const gc = (globalThis as { gc?: () => void }).gc!;
  const held = (): number => {
    gc();
    return heap();
  };
  const before = held();
  let peak = before;
  let delivered = 0;
  let batches = 0;
  if (mode === 'open') {
    const writer = MetricsLogWriter.open(path.join(runDir, 'metrics.bin'));
    peak = Math.max(peak, held());
    delivered = writer.nextSeq;
    writer.close();
  } else if (mode === 'recover') {
    const [candidate] = findRunsToRecover(root);
    const send = async (points: readonly MetricPoint[]): Promise<void> => {
      delivered += points.length;
      if (++batches % 20 === 0) peak = Math.max(peak, held());
    };
    await recoverRun(candidate!, async () => ({ name: 'remote', send, logParams: async () => undefined, finish: async () => undefined }), quietLogger, 600_000);
  } else {
    delivered = readAllPoints(path.join(runDir, 'metrics.bin')).points.length;
  }
  peak = Math.max(peak, held());
  process.stdout.write(`${JSON.stringify({ delivered, growthMB: (peak - before) / 1e6 })}\n`);
}

/** A crashed run of `total` points in 8,192-point blocks, its index left where a crash leaves it (up to 4 MiB behind). */
function crashedRun(total: number): string {
  const root = tempDir('tracelet-memory-');
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir);
  writeRunRecord(runDir, newRecord('run', { ownerPid: 2 ** 22 + 17, pid: 2 ** 22 + 19, backends: ['remote'] }));
  const writer = MetricsLogWriter.open(path.join(runDir, 'metrics.bin'));
  for (let from = 0; from < total; from += 8192) {
    writer.append(
      Array.from({ length: Math.min(8192, total - from) }, (_, i) => ({
        name: NAMES[(from + i) % NAMES.length]!,
        value: Math.sin(from + i),
        step: from + i,
        time: 1.7e12 + from + i,
      })),
    );
  }
  return root;
}

function runChild(mode: string, root: string): { status: number | null; result?: { delivered: number; growthMB: number } } {
  const out = spawnSync(process.execPath, ['--expose-gc', `--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', __filename], {
    env: { ...process.env, TRACELET_MEMORY_CHILD: `${mode} ${root}` },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const last = out.stdout.trim().split('\n').pop();
  return out.status === 0 && last ? { status: 0, result: JSON.parse(last) } : { status: out.status };
}

if (process.env.TRACELET_MEMORY_CHILD) {
  const [mode, root] = process.env.TRACELET_MEMORY_CHILD.split(' ') as [string, string];
  void child(mode, root);
} else {
  describe('memory of opening and recovering a long log', () => {
    it(`does not grow with the log, in a ${HEAP_MB} MB heap that the log's points as objects overflow`, (t) => {
      const small = crashedRun(200_000);
      const large = crashedRun(2_000_000);
      t.after(() => [small, large].forEach((root) => fs.rmSync(root, { recursive: true, force: true })));
      assert.notEqual(runChild('objects', large).status, 0, `reading every point as an object fails in a ${HEAP_MB} MB heap: the limit means something`);
      for (const mode of ['open', 'recover']) {
        const [s, l] = [small, large].map((root) => runChild(mode, root));
        assert.ok(s?.result && l?.result, `${mode} completes in a ${HEAP_MB} MB heap`);
        if (mode === 'recover') assert.deepEqual([s.result.delivered, l.result.delivered], [200_000, 2_000_000], 'every point is delivered');
        assert.ok(
          l.result.growthMB < s.result.growthMB + 2,
          `${mode}: ${l.result.growthMB.toFixed(1)} MB for 2,000,000 points against ${s.result.growthMB.toFixed(1)} MB for 200,000`,
        );
      }
    });
  });
}
