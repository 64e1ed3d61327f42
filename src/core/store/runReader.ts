import * as path from 'node:path';
import type { MetricPoint } from '../types';
import { writeFileAtomicStream } from './atomicFile';
import { MetricsLogReader, type LogScan, type PointColumns } from './metricsLog';
import { METRICS_FILE } from './runRecord';
import { SeriesSampler } from './seriesSampler';

export { downsample } from './seriesSampler';

export interface Series {
  name: string;
  /** Points kept; at most `maxPoints` when downsampled. */
  points: MetricPoint[];
  /** Points the series has in the store. */
  total: number;
}

/** Calls `visit` with each point's column index and series name, block by block, in logging order. */
function eachPoint(logFile: string, visit: (block: PointColumns, i: number, name: string) => void): LogScan {
  return new MetricsLogReader(logFile).scan((block) => {
    for (let i = 0; i < block.length; i++) visit(block, i, block.names[block.ids[i]!]!);
  });
}

/**
 * Every metric of a run (or only `only`), grouped by name in the order they first appear, each
 * downsampled to `maxPoints` (default: all). Downsampling reads the log twice, once to count and
 * once to sample, so memory holds only the points kept, however long the run.
 */
export function readRunSeries(runDir: string, maxPoints = Infinity, only?: string): Map<string, Series> {
  const logFile = path.join(runDir, METRICS_FILE);
  const totals = new Map<string, number>();
  eachPoint(logFile, (_, __, name) => {
    if (only === undefined || name === only) totals.set(name, (totals.get(name) ?? 0) + 1);
  });
  const samplers = new Map([...totals].map(([name, total]) => [name, new SeriesSampler(total, maxPoints)]));
  eachPoint(logFile, (block, i, name) => samplers.get(name)?.push(block.values[i]!, block.steps[i]!, block.times[i]!, name));
  const out = new Map<string, Series>();
  for (const [name, sampler] of samplers) out.set(name, { name, total: totals.get(name)!, points: sampler.points });
  return out;
}

/** One metric's series, downsampled to `maxPoints`. */
export function readSeries(runDir: string, name: string, maxPoints = Infinity): Series {
  return readRunSeries(runDir, maxPoints, name).get(name) ?? { name, points: [], total: 0 };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const CSV_HEADER = 'metric,step,value,time\n';

/** One CSV line; a time no date can show (a hand-made log) is left empty rather than failing the export. */
function csvLine(field: string, value: number, step: number | undefined, time: number): string {
  const date = new Date(time);
  return `${field},${step === undefined || Number.isNaN(step) ? '' : step},${value},${Number.isNaN(date.getTime()) ? '' : date.toISOString()}\n`;
}

/** The run's metrics as CSV in long form: `metric,step,value,time` (ISO 8601), in logging order. */
export function metricsToCsv(points: readonly MetricPoint[]): string {
  let out = CSV_HEADER;
  for (const p of points) out += csvLine(csvField(p.name), p.value, p.step, p.time);
  return out;
}

/**
 * Writes the log's points to `target` as metricsToCsv does, a block at a time, so that memory stays
 * that of one block however long the run; the file appears whole or not at all (writeFileAtomic).
 */
export function exportMetricsCsv(logFile: string, target: string): LogScan {
  let scan: LogScan | undefined;
  writeFileAtomicStream(target, (write) => {
    write(CSV_HEADER);
    const fields: string[] = [];
    scan = new MetricsLogReader(logFile).scan((block) => {
      let chunk = '';
      for (let i = 0; i < block.length; i++) {
        const id = block.ids[i]!;
        chunk += csvLine((fields[id] ??= csvField(block.names[id]!)), block.values[i]!, block.steps[i], block.times[i]!);
      }
      write(chunk);
    });
  });
  return scan!;
}
