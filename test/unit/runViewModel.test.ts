import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunRecord } from '../../src/core/store/runRecord';
import * as fs from 'node:fs';
import type { RunSeriesReader } from '../../src/core/series/api';
import { openRunSeries } from '../../src/core/series/runSeries';
import { answerQuery, CSV_HEADER, csvLines, exportFileName, healthNotices, mergeMetrics, runHeader } from '../../src/vscode/views/runViewModel';
import type { RunHeader, SliceData } from '../../src/webviewProtocol/runViewProtocol';
import { groupMetrics, pageOf, paramsTable, plotColumns, valueNear, zoomRange } from '../../webview/charts/chartModel';
import { tempRun, T0, writeRun } from './seriesHelpers';

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'r1',
    name: 'run one',
    command: 'python train.py --lr 0.1',
    cwd: '/w',
    startTime: 1000,
    host: 'h',
    user: 'u',
    tags: {},
    formatVersion: 1,
    status: 'finished',
    versions: {},
    params: { lr: 0.1, opt: 'sgd', layers: [64, 32] },
    context: { git: { branch: 'main', commit: '0123456789abcdef', dirty: true }, environment: { SECRET_THING: 'x' } },
    backends: [],
    ownerPid: 1,
    metrics: { loss: { count: 3, last: 0.5, min: 0.4, max: 2, lastTime: 5 } },
    updatedAt: 0,
    endTime: 61_000,
    exitCode: 0,
    ...over,
  };
}

describe('run views: what the host sends about runs', () => {
  it('a header holds status, command, git and params as text, and nothing of the environment', () => {
    const h = runHeader(record());
    assert.deepEqual(h.params, [
      ['lr', '0.1'],
      ['opt', 'sgd'],
      ['layers', '[64,32]'],
    ]);
    assert.deepEqual(h.git, { branch: 'main', commit: '0123456789abcdef', dirty: true });
    assert.equal(h.endTime, 61_000);
    assert.ok(!JSON.stringify(h).includes('SECRET_THING'));
    assert.equal(runHeader(record({ context: { git: 'odd' } })).git, undefined);
  });

  it('merges metric lists of several runs, first appearance first', () => {
    assert.deepEqual(
      mergeMetrics([
        { runId: 'a', metrics: [{ name: 'loss', count: 3 }] },
        {
          runId: 'b',
          metrics: [
            { name: 'acc', count: 1 },
            { name: 'loss', count: 5 },
          ],
        },
      ]),
      [
        { name: 'loss', counts: { a: 3, b: 5 } },
        { name: 'acc', counts: { b: 1 } },
      ],
    );
  });

  it('says in words what is wrong with a log', () => {
    assert.deepEqual(healthNotices('r', { tornBytes: 0, damaged: [], unnamedPoints: 0 }), []);
    const notices = healthNotices('r', { tornBytes: 12, damaged: [{ offset: 5, bytes: 9, lostPoints: 3 }], unnamedPoints: 2 });
    assert.equal(notices.length, 3);
    assert.match(notices[0]!.text, /torn \(12 bytes.*every point before it/);
    assert.match(notices[1]!.text, /damaged in 1 place \(3 points lost\)/);
  });

  it('writes CSV with quoted fields and names export files safely', () => {
    const block = { xs: Float64Array.of(1, 2), ys: Float64Array.of(0.5, Number.NaN), steps: Float64Array.of(1, Number.NaN), times: Float64Array.of(0, 1000) };
    assert.equal(
      CSV_HEADER + csvLines('a,"b"', 'loss', block),
      'run,metric,x,step,value,time\n"a,""b""",loss,1,1,0.5,1970-01-01T00:00:00.000Z\n"a,""b""",loss,2,,NaN,1970-01-01T00:00:01.000Z\n',
    );
    assert.equal(exportFileName('../../etc/passwd', 'train/loss', 'step', [1.4, 20.6], 'csv'), '.._.._etc_passwd-train_loss-step-1-21.csv');
  });
});

const slice = (runId: string, xs: number[], ys: (number | null)[], smoothed?: (number | null)[]): SliceData => ({
  runId,
  xs,
  ys,
  inRange: xs.length,
  total: xs.length,
  extent: xs.length ? [xs[0]!, xs.at(-1)!] : null,
  nonFinite: [],
  ...(smoothed ? { smoothed } : {}),
});

describe('run views: answering a chart', () => {
  it('answers every query: a run whose read throws is left out and named, the others answer', async () => {
    const dir = tempRun();
    try {
      writeRun(dir, [[0, 1, 2].map((step) => ({ name: 'loss', value: 1 / (step + 1), step, time: T0 + step }))]);
      const good = openRunSeries(dir);
      // A read that throws where none is expected (a disk error, a bug): the page waits for this answer before it asks again.
      const broken = { ...good, query: () => Promise.reject(new Error('EIO: i/o error, read')) } as RunSeriesReader;
      const runs = [
        { id: 'a', header: runHeader(record({ id: 'a', name: 'broken run' })), reader: broken },
        { id: 'b', header: runHeader(record({ id: 'b', name: 'good run' })), reader: good },
        { id: 'c', header: runHeader(record({ id: 'c', name: 'still indexing' })), reader: undefined },
      ];
      const { reply, failures } = await answerQuery(runs, { type: 'query', requestId: 7, metric: 'loss', x: 'step', columns: 100, smoothing: 0 });
      assert.equal(reply.requestId, 7);
      assert.deepEqual(
        reply.slices.map((sl) => [sl.runId, sl.xs, sl.total]),
        [['b', [0, 1, 2], 3]],
      );
      assert.deepEqual(failures, ['reading loss of run "broken run" failed: EIO: i/o error, read']);
      good.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run views: chart shaping', () => {
  it('groups metrics by prefix, train and eval first, the machine last, and pages a long list', () => {
    const names = ['system/cpu', 'eval/acc', 'train/loss', 'loss', 'process/rss', 'custom/x', 'train/acc'];
    const groups = groupMetrics(names.map((name) => ({ name, counts: {} })));
    assert.deepEqual(
      groups.map((g) => [g.name, g.metrics.map((m) => m.name)]),
      [
        ['metrics', ['loss']],
        ['train', ['train/acc', 'train/loss']],
        ['eval', ['eval/acc']],
        ['custom', ['custom/x']],
        ['system', ['system/cpu']],
        ['process', ['process/rss']],
      ],
    );
    assert.deepEqual(
      groupMetrics(
        names.map((name) => ({ name, counts: {} })),
        'LOSS',
      ).map((g) => g.name),
      ['metrics', 'train'],
    );
    const many = groupMetrics(Array.from({ length: 10_000 }, (_, i) => ({ name: `m/${String(i).padStart(5, '0')}`, counts: {} })));
    const page = pageOf(many, 3, 24);
    assert.equal(page.pages, 417);
    assert.equal(page.total, 10_000);
    assert.equal(page.groups[0]!.metrics[0]!.name, 'm/00072');
    assert.equal(page.groups[0]!.metrics.length, 24);
    assert.equal(pageOf(many, 9999, 24).groups[0]!.metrics.length, 10_000 - 416 * 24, 'a page past the end shows the last');
  });

  it('puts several runs on one x column: holes where a run has no point (spanned), gaps where it has a NaN', () => {
    const cols = plotColumns([slice('b', [1, 3], [10, 30]), slice('a', [0, 1, 2], [1, null, 3], [1, 1, 2])], ['a', 'b'], false);
    assert.deepEqual(cols.xs, [0, 1, 2, 3]);
    assert.deepEqual(cols.meta, [
      { run: 0, raw: true, smoothed: false },
      { run: 0, raw: false, smoothed: true },
      { run: 1, raw: false, smoothed: false },
    ]);
    assert.deepEqual([...cols.series[0]!], [1, null, 3, undefined]);
    assert.deepEqual([...cols.series[2]!], [undefined, 10, undefined, 30]);
    assert.equal(valueNear(cols.series[2]!, 2), 10);
  });

  it('on a log axis, zero and negative values become gaps and are counted, never drawn', () => {
    const cols = plotColumns([slice('a', [0, 1, 2, 3], [-1, 0, 1, null])], ['a'], true);
    assert.deepEqual(cols.series[0], [null, null, 1, null]);
    assert.equal(cols.hiddenOnLog, 2);
  });

  it('marks the params that differ, a missing one included', () => {
    const run = (id: string, params: [string, string][]): RunHeader => ({ id, name: id, status: 'finished', command: '', startTime: 0, params });
    assert.deepEqual(
      paramsTable([
        run('a', [
          ['lr', '0.1'],
          ['opt', 'sgd'],
        ]),
        run('b', [
          ['lr', '0.01'],
          ['opt', 'sgd'],
          ['seed', '1'],
        ]),
      ]),
      [
        { name: 'lr', values: ['0.1', '0.01'], differs: true },
        { name: 'opt', values: ['sgd', 'sgd'], differs: false },
        { name: 'seed', values: [undefined, '1'], differs: true },
      ],
    );
  });

  it('zooms and pans by keyboard within the series', () => {
    assert.deepEqual(zoomRange([0, 100], [0, 100], 0.5), [25, 75]);
    assert.deepEqual(zoomRange([25, 75], [0, 100], 1, -1), [0, 50]);
    assert.deepEqual(zoomRange([25, 75], [0, 100], 4), [0, 100]);
  });
});
