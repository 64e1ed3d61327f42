import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProcessorChain, ProcessorMeter, perPoint, type RunProcessor } from '../../src/core/pipeline/processors';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { readAllPoints } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';
import { RateProcessor } from '../../src/plugins/processors/rateProcessor';
import { RenameProcessor } from '../../src/plugins/processors/renameProcessor';
import { newRecord, points, quietLogger, tempDir } from './pipelineHelpers';

const context = { pluginName: 'p', logger: quietLogger, storageDir: '/tmp', coreVersion: '0' };

function chainOf(processors: RunProcessor[], budgetMs = 100): { chain: ProcessorChain; errors: string[] } {
  const errors: string[] = [];
  return { chain: new ProcessorChain(processors, (_, m) => errors.push(m), budgetMs), errors };
}

describe('processors before the log', () => {
  it('runs processors in order and stays synchronous when they are', () => {
    const { chain, errors } = chainOf([
      { name: 'double', process: (pts) => pts.map((p) => ({ ...p, value: p.value * 2 })) },
      { name: 'odd-out', process: (pts) => pts.filter((p) => p.value % 4 === 0) },
    ]);
    const out = chain.run(points(4));
    assert.ok(Array.isArray(out), 'no promise when every processor answers at once');
    assert.deepEqual(
      out.map((p) => p.value),
      [0, 4],
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      chain.report().map((c) => [c.name, c.points]),
      [
        ['double', 4],
        ['odd-out', 4],
      ],
    );
  });

  for (const [what, processor, reason] of [
    [
      'throws',
      {
        name: 'bad',
        process: () => {
          throw new Error('boom');
        },
      },
      /processor bad threw: boom; it is switched off for this run and its points go on unchanged/,
    ],
    ['rejects', { name: 'bad', process: () => Promise.reject(new Error('late boom')) }, /processor bad rejected: late boom/],
    ['never answers', { name: 'bad', process: () => new Promise<MetricPoint[]>(() => undefined) }, /processor bad did not answer within 30 ms/],
    [
      'returns something else',
      { name: 'bad', process: () => [{ nope: 1 }] as unknown as MetricPoint[] },
      /processor bad returned something other than a list of points/,
    ],
    [
      'runs over its budget',
      {
        name: 'bad',
        process: (pts: readonly MetricPoint[]) => {
          const until = performance.now() + 60;
          while (performance.now() < until);
          return [...pts];
        },
      },
      /processor bad took \d+ ms for 3 points \(the budget is 30 ms\)/,
    ],
  ] as [string, RunProcessor, RegExp][]) {
    it(`switches off a processor that ${what}, names it, and drops no point`, async () => {
      const { chain, errors } = chainOf([processor, { name: 'tag', process: (pts) => pts.map((p) => ({ ...p, name: `t/${p.name}` })) }], 30);
      const first = await chain.run(points(3));
      assert.deepEqual(
        first.map((p) => [p.name, p.value]),
        [
          ['t/loss', 0],
          ['t/loss', 1],
          ['t/loss', 2],
        ],
        'its input went on to the next processor unchanged',
      );
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, reason);
      const second = await chain.run(points(2, 10));
      assert.deepEqual(
        second.map((p) => p.value),
        [10, 11],
      );
      assert.equal(errors.length, 1, 'switched off: not called again');
      assert.ok(chain.report()[0]!.off);
    });
  }

  it('keeps batches in order behind an asynchronous processor, and the pipeline stores what it returned', async () => {
    const runDir = path.join(tempDir('tracelet-proc-'), 'run');
    const slowFirst: RunProcessor = {
      name: 'slow-then-fast',
      process: async (pts) => {
        await new Promise((r) => setTimeout(r, pts[0]!.value === 0 ? 40 : 0));
        return pts.map((p) => ({ ...p, value: p.value + 1000 }));
      },
    };
    const pipe = RunPipeline.open({ runDir, record: newRecord('run'), sinks: [], logger: quietLogger, processors: [slowFirst] });
    pipe.ingest(points(3));
    pipe.flush();
    pipe.ingest(points(3, 3));
    pipe.flush();
    await pipe.finish('finished');
    assert.deepEqual(
      readAllPoints(path.join(runDir, 'metrics.bin')).points.map((p) => p.value),
      [1000, 1001, 1002, 1003, 1004, 1005],
    );
  });

  it('adds costs up per processor, for the Plugins view', () => {
    const meter = new ProcessorMeter();
    meter.add([{ name: 'rate', points: 1000, ms: 0.5 }]);
    meter.add([{ name: 'rate', points: 3000, ms: 1.5, off: 'threw: x' }]);
    const rate = meter.summary().get('rate')!;
    assert.deepEqual(rate, { points: 4000, ms: 2, runs: 2, lastOff: 'threw: x' });
    assert.equal(perPoint(rate), '0.50 µs/point');
  });
});

describe('built-in processors', () => {
  it('rate: adds a per-second rate beside each counter, and starts over when a counter goes down', () => {
    const rate = new RateProcessor();
    rate.initialize({ metrics: ['io/*Bytes'] }, context);
    const at = (value: number, time: number, name = 'io/readBytes'): MetricPoint => ({ name, value, time, step: time / 1000 });
    const out = rate.process([at(0, 1000), at(500, 2000), at(2000, 2500), at(100, 3000), at(7, 3000, 'loss'), at(300, 4000)]);
    assert.deepEqual(
      out.map((p) => [p.name, p.value]),
      [
        ['io/readBytes', 0],
        ['io/readBytes', 500],
        ['io/readBytes/per_second', 500],
        ['io/readBytes', 2000],
        ['io/readBytes/per_second', 3000],
        ['io/readBytes', 100],
        ['loss', 7],
        ['io/readBytes', 300],
        ['io/readBytes/per_second', 200],
      ],
    );
    assert.equal(out[2]!.step, 2);
  });

  it('rename: whole names first, then the longest prefix', () => {
    const rename = new RenameProcessor();
    rename.initialize({ names: { acc: 'accuracy' }, prefixes: { 'tensorboard/': 'tb/', 'tensorboard/train/': 'train/' } }, context);
    const pts: MetricPoint[] = ['acc', 'tensorboard/loss', 'tensorboard/train/loss', 'other'].map((name) => ({ name, value: 1, time: 0 }));
    assert.deepEqual(
      rename.process(pts).map((p) => p.name),
      ['accuracy', 'tb/loss', 'train/loss', 'other'],
    );
  });
});
