// A backend handed to the extension through its API (registerPlugin), as another extension would: it keeps
// what each run sends it, so a test can compare that with what the script printed.
import type { MetricPoint, RunStatus } from '../../../src/core/types';

export interface Received {
  runId: string | undefined;
  points: MetricPoint[];
  params: Record<string, unknown>;
  finished?: RunStatus;
}

/** Every run instance the extension made of the backend, in order. */
export const received: Received[] = [];

export class RecordingBackend {
  private run: Received | undefined;

  getMetadata() {
    return {
      name: 'integration_recorder',
      version: '0.1.0',
      description: 'Keeps in memory what tracked runs send it (integration tests).',
      author: 'Tracelet integration tests',
      pluginType: 'backend',
      entryPoint: 'api:RecordingBackend',
      dependencies: [],
      configSchema: { type: 'object', properties: {}, additionalProperties: false },
    };
  }

  initialize(_config: unknown, context: { run?: { id: string } }): void {
    this.run = { runId: context.run?.id, points: [], params: {} };
    received.push(this.run);
  }

  start(): void {}

  stop(): void {}

  getStatus(): Record<string, unknown> {
    return { points: this.run?.points.length ?? 0 };
  }

  logMetric(name: string, value: number, step?: number): void {
    this.run?.points.push({ name, value, ...(step === undefined ? {} : { step }), time: Date.now() });
  }

  logBatch(points: readonly MetricPoint[]): void {
    this.run?.points.push(...points);
  }

  logParams(params: Record<string, unknown>): void {
    Object.assign(this.run?.params ?? {}, params);
  }

  logArtifact(): void {}

  finishRun(status: RunStatus): void {
    if (this.run) this.run.finished = status;
  }
}
