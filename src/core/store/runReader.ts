import * as path from 'node:path';
import type { MetricPoint } from '../types';
import { readAllPoints } from './metricsLog';
import { METRICS_FILE } from './runRecord';

export interface Series {
  name: string;
  /** Points kept; at most `maxPoints` when downsampled. */
  points: MetricPoint[];
  /** Points the series has in the store. */
  total: number;
}

/**
 * Keeps the first and last point and, for each of the buckets between, the
 * lowest and highest value in time order, so spikes survive downsampling.
 */
export function downsample(points: readonly MetricPoint[], maxPoints: number): MetricPoint[] {
  if (points.length <= maxPoints || maxPoints < 4) return points.slice(0, Math.max(maxPoints, 0) || points.length);
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = points.length - 2;
  const out: MetricPoint[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (points[i]!.value < points[lo]!.value) lo = i;
      if (points[i]!.value > points[hi]!.value) hi = i;
    }
    if (to <= from) continue;
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** Every metric of a run, grouped by name, each downsampled to `maxPoints` (default: all). */
export function readRunSeries(runDir: string, maxPoints = Infinity): Map<string, Series> {
  const grouped = new Map<string, MetricPoint[]>();
  for (const p of readAllPoints(path.join(runDir, METRICS_FILE)).points) {
    let list = grouped.get(p.name);
    if (!list) grouped.set(p.name, (list = []));
    list.push(p);
  }
  const out = new Map<string, Series>();
  for (const [name, points] of grouped) {
    out.set(name, { name, total: points.length, points: Number.isFinite(maxPoints) ? downsample(points, maxPoints) : points });
  }
  return out;
}

/** One metric's series, downsampled to `maxPoints`. */
export function readSeries(runDir: string, name: string, maxPoints = Infinity): Series {
  return readRunSeries(runDir, maxPoints).get(name) ?? { name, points: [], total: 0 };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The run's metrics as CSV in long form: `metric,step,value,time` (ISO 8601), in logging order. */
export function metricsToCsv(points: readonly MetricPoint[]): string {
  const lines = ['metric,step,value,time'];
  for (const p of points) lines.push(`${csvField(p.name)},${p.step ?? ''},${p.value},${new Date(p.time).toISOString()}`);
  return lines.join('\n') + '\n';
}
