import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetricsLogReader } from '../store/metricsLog';
import { METRICS_FILE, metricsFolder, type MetricSummary, type RunRecord, summarise, VERSIONS_FOLDER, writeRunRecord } from '../store/runRecord';

/** What versions/<n>/version.json says of a metrics version made by a re-parse. */
export interface VersionInfo {
  version: number;
  /** The version it was made from. */
  from: number;
  createdAt: number;
  /** The outputParser plugin that read the output ('core': the core's own parser). */
  parser: string;
  series: number;
  points: number;
  /** Of `points`, those kept from the samplers and file sources of the version it was made from. */
  carried: number;
}

export const VERSION_FILE = 'version.json';

/** The version the views show. */
export function currentVersion(record: RunRecord): number {
  const v = record.metricsVersion;
  return Number.isSafeInteger(v) && v! > 1 ? v! : 1;
}

/** The run's metrics versions, in order: 1 (metrics.bin) and every versions/<n>/ that holds a metrics.bin. */
export function listVersions(runDir: string): number[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(runDir, VERSIONS_FOLDER));
  } catch {
    // No re-parse yet.
  }
  const made = names.filter((n) => /^[1-9]\d{0,8}$/.test(n) && Number(n) > 1 && isPlainFile(path.join(metricsFolder(runDir, Number(n)), METRICS_FILE)));
  return [1, ...made.map(Number).sort((a, b) => a - b)];
}

export function readVersionInfo(runDir: string, version: number): VersionInfo | undefined {
  if (version <= 1) return undefined;
  try {
    const info = JSON.parse(fs.readFileSync(path.join(metricsFolder(runDir, version), VERSION_FILE), 'utf8')) as VersionInfo;
    return info.version === version ? info : undefined;
  } catch {
    return undefined;
  }
}

function isPlainFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/** Series and points of a metrics log, with the per-metric summaries run.json keeps. */
export function summariseLog(logFile: string): { metrics: Record<string, MetricSummary>; points: number } {
  const metrics: Record<string, MetricSummary> = {};
  const scan = new MetricsLogReader(logFile).scan((block) => {
    const points = new Array(block.length);
    for (let i = 0; i < block.length; i++) {
      const step = block.steps[i]!;
      points[i] = { name: block.names[block.ids[i]!]!, value: block.values[i]!, time: block.times[i]!, ...(Number.isNaN(step) ? {} : { step }) };
    }
    summarise(metrics, points);
  });
  return { metrics, points: scan.points };
}

/**
 * Makes `version` the one the views show: run.json's metricsVersion and its per-metric summaries,
 * read from that version's log. Throws when the run has no such version.
 */
export function switchVersion(runDir: string, record: RunRecord, version: number): void {
  if (!listVersions(runDir).includes(version)) throw new Error(`run ${record.id} has no metrics version ${version}`);
  const { metrics } = summariseLog(path.join(metricsFolder(runDir, version), METRICS_FILE));
  record.metrics = metrics;
  if (version > 1) record.metricsVersion = version;
  else delete record.metricsVersion;
  writeRunRecord(runDir, record);
}
