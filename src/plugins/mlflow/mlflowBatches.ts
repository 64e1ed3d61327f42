import type { MetricPoint } from '../../core/types';
import { MLFLOW_LIMITS } from './mlflowConfig';

/**
 * One metric as the JSON text runs/log-batch takes. The step defaults to 0 like the
 * Python client's, and nothing here depends on call order, so a batch sent again
 * after a partial failure has the same (key, timestamp, step, value) as the first
 * time and the server drops the copies (its metrics primary key; see README).
 * JSON has no NaN or Infinity: protobuf's JSON form spells them as strings.
 */
export function metricJson(keyJson: string, point: MetricPoint): string {
  const value = Number.isFinite(point.value) ? String(point.value) : Number.isNaN(point.value) ? '"NaN"' : point.value > 0 ? '"Infinity"' : '"-Infinity"';
  const timestamp = Number.isFinite(point.time) && point.time > 0 ? Math.floor(point.time) : 0;
  const step = point.step !== undefined && Number.isFinite(point.step) ? clampInt(Math.trunc(point.step)) : 0;
  return `{"key":${keyJson},"value":${value},"timestamp":${timestamp},"step":${step}}`;
}

export function keyValueJson(key: string, value: string): string {
  return `{"key":${JSON.stringify(key)},"value":${JSON.stringify(value)}}`;
}

export interface BatchLimits {
  /** Most entries of this kind per request. */
  maxEntries: number;
  /** Most bytes per request body. */
  maxBytes: number;
}

/**
 * Splits serialised entries into runs/log-batch bodies `{"run_id":…,"<field>":[…]}`,
 * each within the entry count and byte limits, keeping their order.
 */
export function logBatchBodies(runId: string, field: 'metrics' | 'params' | 'tags', entries: readonly string[], limits: BatchLimits): string[] {
  const head = `{"run_id":${JSON.stringify(runId)},"${field}":[`;
  const tail = ']}';
  const envelope = Buffer.byteLength(head) + tail.length;
  const maxEntries = Math.max(1, Math.min(limits.maxEntries, MLFLOW_LIMITS.entitiesPerBatch));
  const bodies: string[] = [];
  let current: string[] = [];
  let bytes = envelope;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry);
    if (current.length > 0 && (current.length >= maxEntries || bytes + 1 + size > limits.maxBytes)) {
      bodies.push(head + current.join(',') + tail);
      current = [];
      bytes = envelope;
    }
    bytes += size + (current.length > 0 ? 1 : 0);
    current.push(entry);
  }
  if (current.length > 0) bodies.push(head + current.join(',') + tail);
  return bodies;
}

function clampInt(n: number): number {
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}
