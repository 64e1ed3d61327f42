import * as path from 'node:path';
import { realInside } from '../paths/confine';
import { METRICS_FILE, metricsFolder, type RunRecord, writeRunRecord } from '../store/runRecord';
import { MetricsLogReader } from '../store/metricsLog';
import type { Logger, RunInfo } from '../types';
import type { BackendSink } from './backendSink';
import { CursorStore } from './cursorStore';
import { DeliveryQueue, type DeliveryOptions } from './deliveryQueue';
import { routeFilter, type RouteRule } from './routing';

const DEFAULT_DELIVERY: DeliveryOptions = { batchSize: 1000, maxDelayMs: 200, retryInitialMs: 500, retryMaxMs: 30_000 };

export interface SendVersionOptions {
  runDir: string;
  record: RunRecord;
  /** A metrics version after the first: the first went to the backends while the run was tracked. */
  version: number;
  /** One per backend, each recording a run of its own for this version (versionRunInfo). */
  sinks: readonly BackendSink[];
  /** True for a send the user asked for: every point from the start. False when recovery goes on with one a closed window left. */
  fromStart: boolean;
  routes?: readonly RouteRule[];
  delivery?: Partial<DeliveryOptions>;
  logger: Logger;
  drainTimeoutMs?: number;
}

/** The run tag that names the metrics version a backend's run holds; the first version's run has none. */
export const METRICS_VERSION_TAG = 'tracelet.metricsVersion';

/**
 * What a backend is told of the run when it gets a re-parsed version: a run of its own (an MLflow
 * run beside the first, so that two versions' points never mix in one history), named after the
 * version and tagged with it; `tracelet.runId` still names the Tracelet run.
 */
export function versionRunInfo(record: RunRecord, version: number): RunInfo {
  const { id, name, command, cwd, startTime, host, user, tags } = record;
  return { id, name: `${name} (metrics v${version})`, command, cwd, startTime, host, user, tags: { ...tags, [METRICS_VERSION_TAG]: String(version) } };
}

/**
 * Sends metrics version `version` of an ended run to the backends, through the same delivery
 * queues a live run uses (batches from the log on disk, retried with back-off, cursors in the
 * version's own cursors.json): its params, every point, and its outcome. run.json's
 * backendsVersion and pendingBackends say what is under way, so that a window that closes meanwhile
 * leaves the rest to the next one (recoverRun). Resolves to the backends still behind after
 * `drainTimeoutMs`.
 */
export async function sendMetricsVersion(options: SendVersionOptions): Promise<string[]> {
  const { runDir, record, version, sinks, logger } = options;
  if (!(version > 1)) throw new Error(`metrics version ${version} went to the backends while run ${record.id} was tracked; only a re-parsed version is sent`);
  const dir = metricsFolder(runDir, version);
  // cursors.json is written there: never through a link out of the run folder.
  realInside('metrics version folder', runDir, dir);
  const logFile = path.join(dir, METRICS_FILE);
  const cursors = new CursorStore(dir);
  if (options.fromStart) for (const s of sinks) cursors.set(s.name, { offset: 0, seq: 0 });
  const total = new MetricsLogReader(logFile).scan(() => undefined).points;
  record.backendsVersion = version;
  record.pendingBackends = [...new Set([...(record.pendingBackends ?? []), ...sinks.map((s) => s.name)])];
  writeRunRecord(runDir, record);
  const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
  const behind: string[] = [];
  await Promise.all(
    sinks.map(async (sink) => {
      const queue = new DeliveryQueue(sink, logFile, cursors, routeFilter(options.routes ?? [], sink.name), delivery, logger);
      queue.sendParams(record.params);
      queue.notify(total);
      const drained = await queue.drain(options.drainTimeoutMs ?? 30_000);
      await queue.close();
      if (!drained) {
        behind.push(sink.name);
        return;
      }
      try {
        await sink.finish(record.status, record.endTime ?? Date.now());
      } catch (err) {
        logger.warn(`could not finish metrics version ${version} of run ${record.id} in ${sink.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
  const sent = new Set(sinks.map((s) => s.name));
  record.pendingBackends = [...(record.pendingBackends ?? []).filter((b) => !sent.has(b)), ...behind];
  writeRunRecord(runDir, record);
  return behind;
}
