import * as fs from 'node:fs';
import { listRuns, runDirIn, writeRunRecord, type RunRecord } from '../store/runRecord';
import type { Logger, RunStatus } from '../types';
import type { BackendSink } from './backendSink';
import { RunPipeline } from './runPipeline';
import { sendMetricsVersion, versionRunInfo } from './sendVersion';

export interface RecoveryCandidate {
  runDir: string;
  record: RunRecord;
  /** The status the run ends with. */
  status: RunStatus;
  reason: string | undefined;
}

/** True if a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs left behind by a window that is gone: still `running` with a dead owner,
 * or ended with backends that had not caught up. Runs whose owner lives (another
 * window) are left alone.
 */
export function findRunsToRecover(
  runsRoot: string,
  isAlive: (pid: number | undefined) => boolean = processAlive,
  onInvalid?: (folder: string, problem: string) => void,
): RecoveryCandidate[] {
  const out: RecoveryCandidate[] = [];
  for (const record of listRuns(runsRoot, onInvalid)) {
    const runDir = runDirIn(runsRoot, record.id);
    if (record.ownerPid !== process.pid && isAlive(record.ownerPid) && record.status === 'running') continue;
    if (record.status === 'running') {
      const stillRunning = isAlive(record.pid);
      out.push({
        runDir,
        record,
        status: stillRunning ? 'stopped' : 'crashed',
        reason: stillRunning
          ? 'tracking ended when the window that tracked it closed; the process went on'
          : 'the window that tracked it closed and the process is gone',
      });
    } else if ((record.pendingBackends ?? []).length > 0) {
      out.push({ runDir, record, status: record.status, reason: record.statusReason });
    }
  }
  return out;
}

/**
 * Re-delivers what the backends of a recovered run had not acknowledged, from
 * the run's log, and then records its final status. `sinkFor` makes a sink
 * that resumes the backend's record of this run, or undefined if the backend
 * is no longer available (its points then stay pending).
 */
export async function recoverRun(
  candidate: RecoveryCandidate,
  sinkFor: (backend: string, record: RunRecord) => Promise<BackendSink | undefined>,
  logger: Logger,
  drainTimeoutMs = 10_000,
): Promise<string[]> {
  const { record } = candidate;
  const wanted = record.status === 'running' ? record.backends : (record.pendingBackends ?? []);
  // A run folder deleted meanwhile has nothing to send: open no backend instance for it.
  if (!fs.existsSync(candidate.runDir)) return wanted;
  // A re-parsed version being sent when the window closed: its backends go on with it, each in the run it records that version in.
  const version = record.status !== 'running' && (record.backendsVersion ?? 1) > 1 ? record.backendsVersion! : 1;
  const sinks: BackendSink[] = [];
  const unavailable: string[] = [];
  for (const name of wanted) {
    try {
      const sink = await sinkFor(name, version > 1 ? { ...record, ...versionRunInfo(record, version) } : record);
      if (sink) sinks.push(sink);
      else unavailable.push(name);
    } catch (err) {
      logger.warn(`run ${record.id}: cannot resume backend ${name}: ${err instanceof Error ? err.message : String(err)}`);
      unavailable.push(name);
    }
  }
  const behind =
    version > 1
      ? await sendMetricsVersion({ runDir: candidate.runDir, record, version, sinks, fromStart: false, logger, drainTimeoutMs })
      : await RunPipeline.open({ runDir: candidate.runDir, record, sinks, logger }).finish(candidate.status, { reason: candidate.reason }, drainTimeoutMs);
  if (unavailable.length > 0) {
    record.pendingBackends = [...new Set([...behind, ...unavailable])];
    writeRunRecord(candidate.runDir, record);
  }
  return [...behind, ...unavailable];
}
