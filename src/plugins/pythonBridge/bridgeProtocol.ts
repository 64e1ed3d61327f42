// The bridge's wire format, shared by the process wrapper and the tests (docs/python-bridge.md):
// one JSON object per line each way; every request has an id and gets exactly one reply with it.
import type { MetricPoint, RunInfo, RunStatus } from '../../core/types';

export type BridgeOp = 'hello' | 'start' | 'params' | 'points' | 'artifact' | 'finish';

/** The run as the bridge's `start` sees it. */
export interface BridgeRun extends RunInfo {
  /** Short tags from git (branch, commit) for trackers that have tags. */
  gitTags: string[];
  /** The tracker's run (`ref`) the last bridge of this run had, when this bridge follows one that ended. */
  previousRef?: string;
}

export interface BridgeError {
  /** The SDK call that failed (`wandb.init`, `run.log`), or `import wandb`, `protocol`. */
  call: string;
  type: string;
  message: string;
}

export type BridgeReply = { id: number; ok: true; [key: string]: unknown } | { id: number | null; ok: false; error: BridgeError };

export interface HelloReply {
  protocol: number;
  python: string;
  executable: string;
  sdk: { name: string; version: string };
  pid: number;
}

/** A value JSON can carry: non-finite numbers as "NaN", "Infinity", "-Infinity". */
export function wireValue(value: number): number | string {
  return Number.isFinite(value) ? value : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/**
 * A `points` request: names once, then `[nameIndex, value, step or null, time]` per point, in order.
 * `rename` maps a Tracelet name to the name the tracker accepts.
 */
export function pointsRequest(id: number, points: readonly MetricPoint[], rename: (name: string) => string): string {
  const index = new Map<string, number>();
  const names: string[] = [];
  const rows: string[] = [];
  for (const p of points) {
    let i = index.get(p.name);
    if (i === undefined) {
      i = names.length;
      names.push(rename(p.name));
      index.set(p.name, i);
    }
    const value = wireValue(p.value);
    rows.push(`[${i},${typeof value === 'number' ? value : `"${value}"`},${p.step === undefined || !Number.isFinite(p.step) ? 'null' : p.step},${p.time}]`);
  }
  return `{"id":${id},"op":"points","names":${JSON.stringify(names)},"points":[${rows.join(',')}]}`;
}

export function request(id: number, op: BridgeOp, body: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, op, ...body });
}

/** A reply line, checked; undefined when the line is not a reply (the bridge writes nothing else to stdout). */
export function parseReply(line: string): BridgeReply | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { ok?: unknown }).ok !== 'boolean') return undefined;
  const reply = parsed as BridgeReply;
  if (!reply.ok) {
    const e = (reply as { error?: Partial<BridgeError> }).error ?? {};
    return { id: reply.id, ok: false, error: { call: String(e.call ?? 'bridge'), type: String(e.type ?? 'Error'), message: String(e.message ?? '') } };
  }
  return reply;
}

export function finishRequest(id: number, status: RunStatus, endTime: number, exitCode: number | undefined): string {
  return request(id, 'finish', { status, endTime, exitCode: exitCode ?? null });
}
