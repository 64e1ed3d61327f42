import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendSink } from '../../src/core/pipeline/backendSink';
import type { RunRecord } from '../../src/core/store/runRecord';
import type { Logger, MetricPoint, RunStatus } from '../../src/core/types';

export const quietLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function newRecord(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    formatVersion: 1,
    id,
    name: id,
    command: 'python train.py',
    cwd: '/work',
    startTime: Date.now(),
    host: 'host',
    user: 'user',
    tags: {},
    status: 'running',
    versions: {},
    params: {},
    context: {},
    backends: [],
    ownerPid: process.pid,
    metrics: {},
    updatedAt: 0,
    ...overrides,
  };
}

export function points(n: number, from = 0, name = 'loss'): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({ name, value: from + i, step: from + i, time: 1_000 + from + i }));
}

/** A sink that records what it receives and can be told to fail or stall. */
export class RecordingSink implements BackendSink {
  received: MetricPoint[] = [];
  batches: number[] = [];
  params: Record<string, unknown>[] = [];
  finished: { status: RunStatus; endTime: number }[] = [];
  failNext = 0;
  down = false;
  delayMs = 0;
  attempts = 0;

  constructor(readonly name: string) {}

  async send(batch: readonly MetricPoint[]): Promise<void> {
    this.attempts += 1;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.down) throw new Error(`${this.name} is down`);
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error(`${this.name} refused the batch`);
    }
    this.batches.push(batch.length);
    this.received.push(...batch);
  }

  async logParams(params: Record<string, unknown>): Promise<void> {
    if (this.down) throw new Error(`${this.name} is down`);
    this.params.push(params);
  }

  async finish(status: RunStatus, endTime: number): Promise<void> {
    this.finished.push({ status, endTime });
  }
}
