import * as fs from 'node:fs';
import * as path from 'node:path';
import { childFolder, PathEscapeError, realInside } from '../paths/confine';
import { writeFileAtomic, type AtomicWriteOptions } from './atomicFile';
import type { RunInfo, RunStatus } from '../types';

export interface MetricSummary {
  count: number;
  last: number;
  min: number;
  max: number;
  lastStep?: number;
  lastTime: number;
}

/** The content of a run's `run.json` (docs/run-format.md). */
export interface RunRecord extends RunInfo {
  formatVersion: 1;
  status: RunStatus;
  /** Why the run ended as it did, when that is not obvious from the status. */
  statusReason?: string;
  endTime?: number;
  exitCode?: number | null;
  versions: Record<string, string>;
  params: Record<string, unknown>;
  /** Facts from collectors at run start: git, environment. */
  context: Record<string, unknown>;
  /** Backends the run was sent to. */
  backends: string[];
  /** Parts of the command's output that never reached the run, each saying why: the views show them (docs/run-format.md). */
  outputNotes?: string[];
  /** Backends that had not received everything, or not been told the outcome, when the run was last written. */
  pendingBackends?: string[];
  /** The tracked process (the shell or the command), for telling a crash from a live run after a reload. */
  pid?: number;
  /** The extension host that records the run. */
  ownerPid: number;
  metrics: Record<string, MetricSummary>;
  updatedAt: number;
  /** Metric prefixes of the run's samplers and file sources (`system`, `tensorboard`): what a re-parse of its output keeps. */
  sourcePrefixes?: string[];
  /** Names of the series the samplers and file sources wrote, as stored (after the processors): what a re-parse carries over. */
  sourceSeries?: string[];
  /** The metrics version the views show: 1 (or absent) is metrics.bin, n > 1 is versions/<n>/ (docs/run-format.md). */
  metricsVersion?: number;
  /** The version the run's backends get (pendingBackends refer to it); absent: 1. */
  backendsVersion?: number;
}

export const RUN_FILE = 'run.json';

/** What a run id may be (docs/run-format.md); it is also the name of the run's folder. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The folder of run `id` under `runsRoot`; throws a PathEscapeError naming the id when it is not one. */
export function runDirIn(runsRoot: string, id: string): string {
  if (typeof id !== 'string' || !RUN_ID_PATTERN.test(id)) {
    throw new PathEscapeError('run id', String(id), runsRoot, 'is not a run id: 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return childFolder('run id', runsRoot, id);
}
export const METRICS_FILE = 'metrics.bin';
/** Where metrics versions after the first live: versions/<n>/ holds version n's metrics.bin and its indexes. */
export const VERSIONS_FOLDER = 'versions';

/** The folder of metrics version `version` of a run (docs/run-format.md): the run folder for 1, versions/<n>/ for n > 1. */
export function metricsFolder(runDir: string, version: number | undefined): string {
  return Number.isSafeInteger(version) && version! > 1 ? path.join(runDir, VERSIONS_FOLDER, String(version)) : runDir;
}

/** The record of a run that starts now, recorded by this process. */
export function newRunRecord(info: RunInfo, fields: Partial<Pick<RunRecord, 'versions' | 'context' | 'backends' | 'pid'>> = {}): RunRecord {
  return {
    ...info,
    formatVersion: 1,
    status: 'running',
    versions: {},
    params: {},
    context: {},
    backends: [],
    ownerPid: process.pid,
    metrics: {},
    updatedAt: 0,
    ...fields,
  };
}

export function writeRunRecord(runDir: string, record: RunRecord, options?: AtomicWriteOptions): void {
  record.updatedAt = Date.now();
  writeFileAtomic(path.join(runDir, RUN_FILE), JSON.stringify(record, null, 2), options);
}

/** The run's output notes, whatever a hand-edited run.json holds there. */
export function outputNotesOf(record: RunRecord): string[] {
  const notes: unknown = record.outputNotes;
  return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === 'string') : [];
}

export function readRunRecord(runDir: string): RunRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILE), 'utf8')) as RunRecord;
    return record.formatVersion === 1 && typeof record.id === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every readable run under a runs folder, newest first. A run.json whose id is not a run id or not its
 * folder's name (a folder copied or crafted by hand) is left out and reported through `onInvalid`.
 */
export function listRuns(runsRoot: string, onInvalid?: (folder: string, problem: string) => void): RunRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsRoot);
  } catch {
    return [];
  }
  const out: RunRecord[] = [];
  for (const name of names) {
    if (!RUN_ID_PATTERN.test(name)) continue;
    const record = readRunRecord(path.join(runsRoot, name));
    if (!record) continue;
    if (record.id !== name)
      onInvalid?.(
        path.join(runsRoot, name),
        `its run.json says id ${JSON.stringify(record.id)}, not the folder's name ${JSON.stringify(name)}; the run is ignored`,
      );
    else out.push(record);
  }
  return out.sort((a, b) => b.startTime - a.startTime);
}

/** Folds points into the per-metric summaries. */
export function summarise(metrics: Record<string, MetricSummary>, points: readonly { name: string; value: number; step?: number; time: number }[]): void {
  for (const p of points) {
    const s = metrics[p.name];
    if (!s) {
      metrics[p.name] = { count: 1, last: p.value, min: p.value, max: p.value, lastTime: p.time, ...(p.step !== undefined ? { lastStep: p.step } : {}) };
      continue;
    }
    s.count += 1;
    s.last = p.value;
    if (p.value < s.min) s.min = p.value;
    if (p.value > s.max) s.max = p.value;
    s.lastTime = p.time;
    if (p.step !== undefined) s.lastStep = p.step;
  }
}

/**
 * Deletes run `id` under `runsRoot`. Refuses (with an error naming the folder) a run folder that is a
 * symbolic link or resolves outside the runs folder, so that nothing outside it is ever removed.
 */
export async function removeRunFolder(runsRoot: string, id: string): Promise<void> {
  const dir = runDirIn(runsRoot, id);
  if ((await fs.promises.lstat(dir)).isSymbolicLink()) throw new Error(`run folder ${dir} is a symbolic link; remove it by hand if you mean to`);
  realInside('run folder', runsRoot, dir);
  await fs.promises.rm(dir, { recursive: true, force: true });
}
