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
  private readonly entries = new Map<string, Entry>();
  /** run.json files read (parsed) since the cache was made: what a test or a benchmark checks. */
  reads = 0;

  /** Every readable run under `runsRoot`, newest first. */
  list(runsRoot: string, onInvalid?: (folder: string, problem: string) => void): RunSummary[] {
    let names: string[];
    try {
      names = fs.readdirSync(runsRoot);
    } catch {
      return [];
    }
    const out: RunSummary[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (!RUN_ID_PATTERN.test(name)) continue;
      const dir = path.join(runsRoot, name);
      seen.add(dir);
      const summary = this.get(dir, onInvalid);
      if (summary) out.push(summary);
    }
    // Folders that went away (deleted runs) leave the cache with them.
    for (const dir of this.entries.keys()) if (path.dirname(dir) === runsRoot && !seen.has(dir)) this.entries.delete(dir);
    return out.sort((a, b) => b.startTime - a.startTime);
  }

  /** One run folder's summary, read again only when its run.json changed. */
  get(dir: string, onInvalid?: (folder: string, problem: string) => void): RunSummary | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(dir, RUN_FILE));
    } catch {
      this.entries.delete(dir);
      return undefined;
    }
    const cached = this.entries.get(dir);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.summary;
    const summary = this.read(dir, onInvalid);
    this.entries.set(dir, { mtimeMs: stat.mtimeMs, size: stat.size, summary });
    return summary;
  }

  /** Forgets a folder (after a rename or delete made here), so that the next listing reads it again. */
  forget(dir: string): void {
    this.entries.delete(dir);
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

/** A summary from a record as read: every field checked for its type, as run.json is a file anyone can write. */
export function summarise(dir: string, record: RunRecord): RunSummary {
  const context = record.context && typeof record.context === 'object' ? record.context : {};
  const git = (context as { git?: unknown }).git;
  const g = git && typeof git === 'object' ? (git as Record<string, unknown>) : {};
  const metrics: RunSummary['metrics'] = {};
  if (record.metrics && typeof record.metrics === 'object') {
    for (const [name, m] of Object.entries(record.metrics)) {
      if (!m || typeof m !== 'object' || typeof m.count !== 'number') continue;
      metrics[name] = { count: m.count, last: Number(m.last), min: Number(m.min), max: Number(m.max) };
      if (typeof m.lastStep === 'number') metrics[name]!.lastStep = m.lastStep;
    }
  }
  const { environment: _environment, ...keptContext } = context as Record<string, unknown>;
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
    metrics,
    record: { ...record, context: keptContext },
  };
  const endTime = num(record.endTime);
  if (endTime !== undefined) summary.endTime = endTime;
  if (record.exitCode !== undefined) summary.exitCode = record.exitCode;
  if (typeof g.branch === 'string') summary.git.branch = g.branch;
  if (typeof g.commit === 'string') summary.git.commit = g.commit;
  if (typeof g.dirty === 'boolean') summary.git.dirty = g.dirty;
  return summary;
}
