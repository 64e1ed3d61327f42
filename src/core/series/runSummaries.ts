import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_FILE, RUN_ID_PATTERN, type RunRecord } from '../store/runRecord';
import type { RunStatus } from '../types';

/** What the Runs view and the runs table show of a run: its run.json less what they never show (the environment), kept small for 10,000 runs. */
export interface RunSummary {
  id: string;
  dir: string;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  exitCode?: number | null;
  command: string;
  cwd: string;
  git: { branch?: string; commit?: string; dirty?: boolean };
  params: Record<string, unknown>;
  metrics: Record<string, { count: number; last: number; min: number; max: number; lastStep?: number }>;
  /** The record as read, for callers that need more (its `context.environment` left out). */
  record: RunRecord;
}

interface Entry {
  mtimeMs: number;
  size: number;
  summary: RunSummary | undefined;
}

/**
 * Run summaries of a runs folder through one cache, keyed by folder and run.json's mtime and size:
 * a listing stats every run.json and reads only those that changed since (the Runs view refreshes
 * every second while a run is tracked, and a workspace can hold 10,000 runs). A run.json that does
 * not parse, or whose id is not its folder's name, is left out (the latter reported, as listRuns does).
 */
export class RunSummaries {
  /** Per runs folder, its runs by folder name: each listing makes a new map, so deleted runs leave with it. */
  private readonly roots = new Map<string, Map<string, Entry>>();
  /** run.json files read (parsed) since the cache was made: what a test or a benchmark checks. */
  reads = 0;

  /** Every readable run under `runsRoot`, newest first. */
  list(runsRoot: string, onInvalid?: (folder: string, problem: string) => void): RunSummary[] {
    let names: string[];
    try {
      names = fs.readdirSync(runsRoot);
    } catch {
      this.roots.delete(runsRoot);
      return [];
    }
    const before = this.roots.get(runsRoot);
    const after = new Map<string, Entry>();
    const out: RunSummary[] = [];
    for (const name of names) {
      if (!RUN_ID_PATTERN.test(name)) continue;
      const entry = this.entry(runsRoot, name, before?.get(name), onInvalid);
      if (!entry) continue;
      after.set(name, entry);
      if (entry.summary) out.push(entry.summary);
    }
    this.roots.set(runsRoot, after);
    return out.sort((a, b) => b.startTime - a.startTime);
  }

  /** One run folder's summary, read again only when its run.json changed. */
  get(dir: string, onInvalid?: (folder: string, problem: string) => void): RunSummary | undefined {
    const root = path.dirname(dir);
    const name = path.basename(dir);
    let entries = this.roots.get(root);
    const entry = this.entry(root, name, entries?.get(name), onInvalid);
    if (!entry) {
      entries?.delete(name);
      return undefined;
    }
    if (!entries) this.roots.set(root, (entries = new Map()));
    entries.set(name, entry);
    return entry.summary;
  }

  /** Forgets a folder (after a rename or delete made here), so that the next listing reads it again. */
  forget(dir: string): void {
    this.roots.get(path.dirname(dir))?.delete(path.basename(dir));
  }

  /** `cached` when run.json's mtime and size are still its own, else run.json read again; undefined when there is none. */
  private entry(root: string, name: string, cached: Entry | undefined, onInvalid?: (folder: string, problem: string) => void): Entry | undefined {
    const dir = path.join(root, name);
    const stat = fs.statSync(path.join(dir, RUN_FILE), { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    return { mtimeMs: stat.mtimeMs, size: stat.size, summary: this.read(dir, onInvalid) };
  }

  private read(dir: string, onInvalid?: (folder: string, problem: string) => void): RunSummary | undefined {
    let record: RunRecord;
    try {
      this.reads++;
      record = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8')) as RunRecord;
    } catch {
      return undefined;
    }
    if (record?.formatVersion !== 1 || typeof record.id !== 'string') return undefined;
    const folder = path.basename(dir);
    if (record.id !== folder) {
      onInvalid?.(dir, `its run.json says id ${JSON.stringify(record.id)}, not the folder's name ${JSON.stringify(folder)}; the run is ignored`);
      return undefined;
    }
    return summarise(dir, record);
  }
}

const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

type MetricEntry = RunSummary['metrics'][string];

/** A metric summary as run.json holds it, if it has the types the table sorts on (a NaN is written as null). */
function wellFormed(m: unknown): m is MetricEntry {
  if (!m || typeof m !== 'object') return false;
  const { count, last, min, max, lastStep } = m as Record<string, unknown>;
  return (
    typeof count === 'number' &&
    typeof last === 'number' &&
    typeof min === 'number' &&
    typeof max === 'number' &&
    (lastStep === undefined || typeof lastStep === 'number')
  );
}

/** The record's metric summaries: its own object when every one is well formed (no copy for 10,000 runs), else the usable ones coerced. */
function metricsOf(record: RunRecord): RunSummary['metrics'] {
  const all = record.metrics && typeof record.metrics === 'object' ? (record.metrics as Record<string, unknown>) : {};
  if (Object.values(all).every(wellFormed)) return all as RunSummary['metrics'];
  const kept: RunSummary['metrics'] = {};
  for (const [name, m] of Object.entries(all)) {
    if (!m || typeof m !== 'object' || typeof (m as MetricEntry).count !== 'number') continue;
    const e = m as MetricEntry;
    kept[name] = { count: e.count, last: Number(e.last), min: Number(e.min), max: Number(e.max) };
    if (typeof e.lastStep === 'number') kept[name]!.lastStep = e.lastStep;
  }
  return kept;
}

/**
 * A summary from a record as read, which it takes over (its context loses the environment): every field is checked
 * for its type, as run.json is a file anyone can write, and kept as parsed when it has the right one.
 */
export function summarise(dir: string, record: RunRecord): RunSummary {
  const context = record.context && typeof record.context === 'object' ? record.context : {};
  const git = (context as { git?: unknown }).git;
  const g = git && typeof git === 'object' ? (git as Record<string, unknown>) : {};
  if ('environment' in context) {
    const { environment: _environment, ...keptContext } = context as Record<string, unknown>;
    record.context = keptContext;
  } else record.context = context;
  const summary: RunSummary = {
    id: record.id,
    dir,
    name: text(record.name, record.id),
    status: record.status,
    startTime: num(record.startTime) ?? 0,
    command: text(record.command),
    cwd: text(record.cwd),
    git: {},
    params: record.params && typeof record.params === 'object' ? record.params : {},
    metrics: metricsOf(record),
    record,
  };
  const endTime = num(record.endTime);
  if (endTime !== undefined) summary.endTime = endTime;
  if (record.exitCode !== undefined) summary.exitCode = record.exitCode;
  if (typeof g.branch === 'string') summary.git.branch = g.branch;
  if (typeof g.commit === 'string') summary.git.commit = g.commit;
  if (typeof g.dirty === 'boolean') summary.git.dirty = g.dirty;
  return summary;
}
