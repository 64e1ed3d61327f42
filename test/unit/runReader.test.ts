import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MetricsLogWriter } from '../../src/core/store/metricsLog';
import { downsample, metricsToCsv, readRunSeries, readSeries } from '../../src/core/store/runReader';
import { points, tempDir } from './pipelineHelpers';

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
    assert.ok(series.points.some((p) => p.value === 1e9), 'the spike survives');
    assert.equal(series.points[0]!.step, 0);
    assert.equal(series.points.at(-1)!.step, 9_999);
    const steps = series.points.map((p) => p.step!);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'time order is kept');
    assert.deepEqual(readSeries(dir, 'nope'), { name: 'nope', points: [], total: 0 });
  });

  it('leaves short series alone', () => {
    assert.equal(downsample(points(5), 100).length, 5);
  });

  it('writes CSV other tools can read', () => {
    const csv = metricsToCsv([{ name: 'a,b', value: 0.5, step: 1, time: 0 }, { name: 'c', value: 2, time: 1000 }]);
    assert.equal(csv, 'metric,step,value,time\n"a,b",1,0.5,1970-01-01T00:00:00.000Z\nc,,2,1970-01-01T00:00:01.000Z\n');
  });
});
