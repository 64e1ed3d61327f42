// The points both sides of bench/mlflow.bench.ts log, and how they are read back and checked.
// bench/mlflowWorker.py makes the same points with the same arithmetic: integer arithmetic and one
// division, exact in both languages, so a stored value can be compared with ===.
import type { MlflowServer } from '../test/support/mlflowServer';
import type { MetricPoint } from '../src/core/types';

const NAMES = ['train/loss', 'train/accuracy', 'lr', 'grad_norm', 'val/loss', 'val/accuracy', 'epoch', 'throughput', 'tokens', 'gpu/util'];

/** Point i of a run that started at t0: ten names in turn, a step per ten points, distinct timestamps. */
export function point(i: number, t0: number): MetricPoint {
  return { name: NAMES[i % NAMES.length]!, value: ((i * 7919) % 10007) / 1000, step: Math.floor(i / NAMES.length), time: t0 + i };
}

/** What one worker process logged, for the check: its timed run, as the worker reports it in `detail`. */
export interface LoggedRun {
  runId: string;
  t0: number;
  points: number;
}

interface StoredMetric {
  key: string;
  value: number;
  timestamp: number | string;
  step?: number | string;
}

/**
 * One metric's history. Asked again once when the connection drops: uvicorn closes an idle
 * keep-alive connection after 5 s, and fetch can pick that connection just as it closes.
 */
async function history(server: MlflowServer, runId: string, key: string): Promise<StoredMetric[]> {
  const ask = (): Promise<{ metrics?: StoredMetric[] }> => server.api('metrics/get-history', { run_id: runId, metric_key: key });
  const answer = await ask().catch((err: unknown) => {
    if (err instanceof TypeError) return ask();
    throw err;
  });
  return answer.metrics ?? [];
}

/**
 * Reads a run back (metrics/get-history per name) and compares every point with what was logged:
 * the same number per name, each with its value, step and timestamp, none twice. Returns what is
 * wrong, empty when the server holds exactly the points.
 */
export async function checkStored(server: MlflowServer, run: LoggedRun): Promise<string[]> {
  const problems: string[] = [];
  for (const [k, key] of NAMES.entries()) {
    const got = (await history(server, run.runId, key)).map((m) => `${Number(m.step ?? 0)} ${Number(m.timestamp)} ${m.value}`);
    const want: string[] = [];
    for (let i = k; i < run.points; i += NAMES.length) {
      const p = point(i, run.t0);
      want.push(`${p.step} ${p.time} ${p.value}`);
    }
    const have = new Set(got);
    const absent = want.filter((w) => !have.has(w));
    if (got.length !== want.length || absent.length > 0) {
      problems.push(
        `run ${run.runId} ${key}: ${got.length} stored, ${want.length} logged${absent[0] ? `; not stored, for example step/timestamp/value ${absent[0]}` : ''}`,
      );
    }
  }
  return problems;
}
