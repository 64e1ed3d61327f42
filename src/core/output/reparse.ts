import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { realInside } from '../paths/confine';
import type { OutputParser } from '../plugin';
import type { FsyncPolicy } from '../store/fsyncPolicy';
import { MetricsLogReader, MetricsLogWriter } from '../store/metricsLog';
import { METRICS_FILE, metricsFolder, type MetricSummary, type RunRecord, summarise, VERSIONS_FOLDER, writeRunRecord } from '../store/runRecord';
import type { MetricPoint } from '../types';
import { currentVersion, listVersions, summariseLog, VERSION_FILE, type VersionInfo } from './metricsVersions';
import { readOutputSegments } from './outputTimes';

export interface ReparseOptions {
  runDir: string;
  record: RunRecord;
  parser: OutputParser;
  /** Which parser it is, for version.json ('core' for the core's own). */
  parserName: string;
  /** Prefixes whose points are carried over when run.json does not list the run's own (a run from before they were kept). */
  fallbackPrefixes?: readonly string[];
  fsync?: FsyncPolicy;
  /** The run's processors (ProcessorChain.run), through which the parsed points go before they are written, as a live run's do. */
  process?: (points: MetricPoint[]) => MetricPoint[] | Promise<MetricPoint[]>;
}

export interface ReparseResult {
  version: number;
  series: number;
  points: number;
  carried: number;
  /** The version it was made from. */
  before: { version: number; series: number; points: number };
}

/** Why a run cannot be re-parsed, in words for the user. */
export class ReparseError extends Error {}

const WRITE_BATCH = 8192;

/**
 * Reads the run's output.log again with `parser` into a new metrics version, versions/<n>/: the
 * output's points are the parser's, each with the time its line was printed (output.times) and, like
 * a live run's, its step or else its count in its series; the points of the run's samplers and file
 * sources are carried over from the version shown now (see `carried`).
 * Nothing of earlier versions is changed. The new version becomes the one the views show; backends
 * get it only when sent (sendMetricsVersion). The folder appears whole or not at all: it is written
 * under another name and renamed.
 */
export async function reparseRun(options: ReparseOptions): Promise<ReparseResult> {
  const { runDir, record, parser } = options;
  if (record.status === 'running') throw new ReparseError(`run "${record.name}" is still being tracked: re-parse it once it has ended`);
  const segments = readOutputSegments(runDir, record.startTime);
  if (segments.length === 0)
    throw new ReparseError(`run "${record.name}" has no stored output (output.log): it started before output was kept, or not in a terminal`);
  const from = currentVersion(record);
  const fromLog = path.join(metricsFolder(runDir, from), METRICS_FILE);
  const before = summariseLog(fromLog);
  const version = Math.max(...listVersions(runDir), from) + 1;
  const versions = path.join(runDir, VERSIONS_FOLDER);
  // A versions/ planted as a link (a run folder from a cloned repository) would take the new version out of the run folder.
  realInside('metrics versions folder', runDir, versions);
  fs.mkdirSync(versions, { recursive: true });
  const staging = path.join(versions, `.${version}.${randomBytes(4).toString('hex')}.tmp`);
  fs.mkdirSync(staging);
  try {
    const metrics: Record<string, MetricSummary> = {};
    const writer = MetricsLogWriter.open(path.join(staging, METRICS_FILE), { fsync: options.fsync });
    const write = (points: MetricPoint[]) => {
      writer.append(points);
      summarise(metrics, points);
    };
    const parsed = await parseSegments(segments, parser, options.process, write);
    const carried = carry(fromLog, carriedFilter(record, options.fallbackPrefixes, Object.keys(metrics)), write);
    writer.close();
    const info: VersionInfo = {
      version,
      from,
      createdAt: Date.now(),
      parser: options.parserName,
      series: Object.keys(metrics).length,
      points: carried + parsed,
      carried,
    };
    fs.writeFileSync(path.join(staging, VERSION_FILE), JSON.stringify(info, null, 2));
    fs.renameSync(staging, metricsFolder(runDir, version));
    record.metrics = metrics;
    record.metricsVersion = version;
    writeRunRecord(runDir, record);
    return {
      version,
      series: info.series,
      points: info.points,
      carried,
      before: { version: from, series: Object.keys(before.metrics).length, points: before.points },
    };
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Which series of the version shown are the samplers' and file sources': those the live run wrote from them
 * (run.json's sourceSeries, named as stored, so a series a `rename` moved out of its prefix too), and any other
 * under one of their prefixes that the parser did not give again (a run from before sourceSeries was kept, or
 * points the last second before a crash wrote); a series the parser gave was the output's, and is replaced.
 */
function carriedFilter(
  record: RunRecord,
  fallbackPrefixes: readonly string[] | undefined,
  parsedSeries: readonly string[],
): ((name: string) => boolean) | undefined {
  const sources = new Set(Array.isArray(record.sourceSeries) ? record.sourceSeries : []);
  const parsed = new Set(parsedSeries);
  const under = (record.sourcePrefixes ?? fallbackPrefixes ?? []).map((p) => `${p}/`);
  if (sources.size === 0 && under.length === 0) return undefined;
  return (name) => sources.has(name) || (!parsed.has(name) && under.some((p) => name.startsWith(p)));
}

/** Writes the points of `logFile` whose series `keep` accepts; returns how many. */
function carry(logFile: string, keep: ((name: string) => boolean) | undefined, write: (points: MetricPoint[]) => void): number {
  if (!keep) return 0;
  let count = 0;
  new MetricsLogReader(logFile).scan((block) => {
    const kept = block.names.map((n) => n !== undefined && keep(n));
    const points: MetricPoint[] = [];
    for (let i = 0; i < block.length; i++) {
      const id = block.ids[i]!;
      if (!kept[id]) continue;
      const step = block.steps[i]!;
      points.push({ name: block.names[id]!, value: block.values[i]!, time: block.times[i]!, ...(Number.isNaN(step) ? {} : { step }) });
    }
    if (points.length > 0) write(points);
    count += points.length;
  });
  return count;
}

/**
 * Feeds the output to the parser a stretch at a time, stamping its records as a live run does, through the
 * processors when there are any; returns the points written.
 */
async function parseSegments(
  segments: readonly { text: string; time: number }[],
  parser: OutputParser,
  process: ReparseOptions['process'],
  write: (points: MetricPoint[]) => void,
): Promise<number> {
  const counters = new Map<string, number>();
  let pending: MetricPoint[] = [];
  let total = 0;
  const take = (records: ReturnType<OutputParser['push']>, time: number) => {
    for (const r of records) {
      const count = counters.get(r.name) ?? 0;
      counters.set(r.name, count + 1);
      pending.push({ name: r.name, value: r.value, step: r.step ?? count, time });
    }
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const points = process ? await process(pending) : pending;
    pending = [];
    write(points);
    total += points.length;
  };
  for (const s of segments) {
    take(parser.push(s.text), s.time);
    if (pending.length >= WRITE_BATCH) await flush();
  }
  take(parser.end(), segments.at(-1)!.time);
  await flush();
  return total;
}
