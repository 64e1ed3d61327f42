import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { openRunSeries } from '../../src/core/series/runSeries';
import type { MetricPoint } from '../../src/core/types';
import { EventFileWriter } from '../../src/plugins/tensorboard/eventFileWriter';
import { scalarEvent } from '../../src/plugins/tensorboard/eventProto';
import { startTensorBoard } from '../../src/plugins/tensorboard/tensorboardLauncher';
import { peerTest, requirePeers } from '../support/peers';
import { T0, tempRun, writeRun } from './seriesHelpers';

const STEPS = 1_000_000;
const SPIKE = 777_777;
const value = (step: number): number => (step === SPIKE ? 50 : 1 / (1 + step / 10_000));

describe('a 1,000,000-step series with one spike: TensorBoard (default sampling) against our index', peerTest(), () => {
  const dir = tempRun('tracelet-tb-spike-');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("TensorBoard's scalars API returns 1,000 sampled points without the spike; our query has it at every zoom level", async () => {
    const peers = requirePeers();
    // The same points into our store and into a tfevents file.
    const run = path.join(dir, 'ours');
    fs.mkdirSync(run);
    const batches: MetricPoint[][] = [];
    for (let from = 0; from < STEPS; from += 8192)
      batches.push(
        Array.from({ length: Math.min(8192, STEPS - from) }, (_, i) => ({ name: 'loss', value: value(from + i), step: from + i, time: T0 + (from + i) * 10 })),
      );
    writeRun(run, batches, { seriesIndex: true });
    const events = await EventFileWriter.open(path.join(dir, 'logs', 'spike'), T0);
    for (let from = 0; from < STEPS; from += 10_000) {
      await events.write(
        Array.from({ length: 10_000 }, (_, i) => scalarEvent((T0 + (from + i) * 10) / 1000, from + i, [{ tag: 'loss', value: value(from + i) }])),
      );
    }
    await events.close();

    const board = await startTensorBoard(peers.bin('tensorboard'), path.join(dir, 'logs'));
    let series: [number, number, number][] = [];
    try {
      // TensorBoard loads in the background; its reservoir always keeps the last step, so that step marks a whole load.
      for (const deadline = Date.now() + 240_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
        const res = await fetch(new URL('data/plugin/scalars/scalars?run=spike&tag=loss', board.url)).catch(() => undefined);
        if (res?.ok) series = (await res.json()) as [number, number, number][];
        if (series.some(([, step]) => step === STEPS - 1)) break;
      }
    } finally {
      await board.stop();
    }
    assert.ok(
      series.some(([, step]) => step === STEPS - 1),
      'TensorBoard loaded the whole file',
    );
    assert.equal(series.length, 1000, "TensorBoard's default keeps 1,000 scalars per tag");
    assert.equal(
      series.some(([, step, v]) => step === SPIKE || v === 50),
      false,
      'the spike is not among them',
    );

    const reader = openRunSeries(run);
    for (const range of [undefined, [0, 999_999], [700_000, 800_000], [777_000, 778_000], [777_770, 777_790]] as const) {
      const slice = await reader.query({ metric: 'loss', x: 'step', range, columns: 800 });
      assert.ok(slice.xs.length <= 4 * 800);
      const at = slice.xs.indexOf(SPIKE);
      assert.ok(at >= 0 && slice.ys[at] === 50, `the spike at ${range ? range.join('–') : 'the whole series'}`);
    }
    reader.close();
  });
});
