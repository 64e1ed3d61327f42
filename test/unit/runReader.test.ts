import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import { downsample, exportMetricsCsv, metricsToCsv, readRunSeries, readSeries } from '../../src/core/store/runReader';
import type { MetricPoint } from '../../src/core/types';
import { seededRandom } from '../support/seededRandom';
import { points, tempDir } from './pipelineHelpers';

/** downsample() as it was before it streamed: what the streaming one must still give. */
function reference(points: readonly MetricPoint[], maxPoints: number): MetricPoint[] {
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

describe('run reader', () => {
  it('groups a run’s points by metric and downsamples long series keeping extremes', () => {
    const dir = tempDir('tracelet-reader-');
    const w = MetricsLogWriter.open(path.join(dir, 'metrics.bin'));
    const loss = points(10_000, 0, 'loss').map((p) => ({ ...p, value: p.step === 5_000 ? 1e9 : Math.sin(p.step! / 100) }));
    w.append(loss);
    w.append(points(3, 0, 'acc'));
    w.close();
    const all = readRunSeries(dir);
    assert.deepEqual([...all.keys()], ['loss', 'acc']);
    const series = readSeries(dir, 'loss', 200);
    assert.equal(series.total, 10_000);
    assert.ok(series.points.length <= 200, `${series.points.length} points`);
    assert.ok(
      series.points.some((p) => p.value === 1e9),
      'the spike survives',
    );
    assert.equal(series.points[0]!.step, 0);
    assert.equal(series.points.at(-1)!.step, 9_999);
    const steps = series.points.map((p) => p.step!);
    assert.deepEqual(
      steps,
      [...steps].sort((a, b) => a - b),
      'time order is kept',
    );
    assert.deepEqual(readSeries(dir, 'nope'), { name: 'nope', points: [], total: 0 });
  });

  it('leaves short series alone', () => {
    assert.equal(downsample(points(5), 100).length, 5);
  });

  it('writes CSV other tools can read', () => {
    const csv = metricsToCsv([
      { name: 'a,b', value: 0.5, step: 1, time: 0 },
      { name: 'c', value: 2, time: 1000 },
    ]);
    assert.equal(csv, 'metric,step,value,time\n"a,b",1,0.5,1970-01-01T00:00:00.000Z\nc,,2,1970-01-01T00:00:01.000Z\n');
  });

  it('downsamples a streamed series exactly as the whole series was, ties, NaN and short series included', () => {
    const random = seededRandom(7);
    const dir = tempDir('tracelet-reader-');
    for (let round = 0; round < 40; round++) {
      const n = Math.floor(random() * 400);
      const series = Array.from({ length: n }, (_, i): MetricPoint => {
        const r = random();
        const p: MetricPoint = { name: 'm', value: r < 0.05 ? NaN : r < 0.3 ? 1 : Math.round(random() * 20), time: 1000 + i };
        if (random() < 0.8) p.step = i;
        return p;
      });
      for (const max of [0, 1, 3, 4, 5, 7, 10, 50, 399, 1000, Infinity])
        assert.deepEqual(downsample(series, max), reference(series, max), `${n} points to ${max}`);
      const file = path.join(dir, 'metrics.bin');
      fs.rmSync(file, { force: true });
      fs.rmSync(path.join(dir, 'metrics.idx'), { force: true });
      const w = MetricsLogWriter.open(file);
      for (let from = 0; from < n; from += 37) w.append([...series.slice(from, from + 37), { name: 'other', value: from, time: 0 }]);
      w.close();
      assert.deepEqual(readSeries(dir, 'm', 10), { name: 'm', points: reference(series, 10), total: n }, `${n} points from the log`);
    }
  });

  it('exports CSV a block at a time, as metricsToCsv writes it, through damage and into a file that replaces a link', () => {
    const dir = tempDir('tracelet-csv-');
    const file = path.join(dir, 'metrics.bin');
    const w = MetricsLogWriter.open(file);
    w.append([
      { name: 'a,"quoted"', value: 0.5, step: 1, time: 0 },
      { name: 'plain', value: -2, time: 1000 },
    ]);
    const second = w.bytes;
    w.append([{ name: 'plain', value: 3, step: 2, time: 2000 }]);
    w.append([
      { name: 'plain', value: 4, step: 3, time: 3000 },
      { name: 'odd time', value: 5, time: NaN },
    ]);
    w.close();
    const bytes = fs.readFileSync(file);
    bytes[second + 30]! ^= 1;
    fs.writeFileSync(file, bytes);
    const target = path.join(dir, 'metrics.csv');
    const elsewhere = path.join(dir, 'elsewhere.txt');
    fs.writeFileSync(elsewhere, 'keep');
    fs.symlinkSync(elsewhere, target);
    const scan = exportMetricsCsv(file, target);
    assert.equal(scan.damage?.ranges.length, 1);
    const csv = fs.readFileSync(target, 'utf8');
    assert.equal(csv, metricsToCsv(readAllPoints(file).points));
    assert.equal(
      csv,
      'metric,step,value,time\n"a,""quoted""",1,0.5,1970-01-01T00:00:00.000Z\nplain,,-2,1970-01-01T00:00:01.000Z\nplain,3,4,1970-01-01T00:00:03.000Z\nodd time,,5,\n',
    );
    assert.equal(fs.readFileSync(elsewhere, 'utf8'), 'keep', 'the link was replaced, not written through');
  });
});
