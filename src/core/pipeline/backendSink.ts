import type { BackendLike } from '../plugin';
import type { MetricPoint, RunStatus } from '../types';

/** Runs a call into plugin code under the manager's guard (timeout, error naming the plugin and phase). */
export type GuardedCall = <T>(phase: string, fn: () => T | Promise<T>) => Promise<T>;

/** The pipeline's view of one backend recording one run. */
export interface BackendSink {
  readonly name: string;
  send(points: readonly MetricPoint[]): Promise<void>;
  logParams(params: Record<string, unknown>): Promise<void>;
  finish(status: RunStatus, endTime: number): Promise<void>;
}

/** Wraps a per-run backend instance: logBatch when it has one, else logMetric point by point. */
export function sinkForBackend(name: string, backend: BackendLike, call: GuardedCall): BackendSink {
  return {
    name,
    send: (points) =>
      call('logBatch', async () => {
        if (typeof backend.logBatch === 'function') {
          await backend.logBatch(points);
          return;
        }
        for (const p of points) await backend.logMetric(p.name, p.value, p.step);
      }),
    logParams: (params) => call('logParams', () => backend.logParams(params)),
    finish: async (status, endTime) => {
      if (typeof backend.finishRun === 'function') await call('finishRun', () => backend.finishRun!(status, endTime));
      await call('stop', () => backend.stop());
    },
  };
}
