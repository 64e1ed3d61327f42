import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { MetricPoint } from '../../src/core/types';
import { TensorBoardBackend } from '../../src/plugins/tensorboard/tensorboardBackend';
import { findTensorBoard, startTensorBoard } from '../../src/plugins/tensorboard/tensorboardLauncher';
import { watchTfEvents } from '../../src/plugins/tensorboard/tfeventsWatch';
import { peerTest, requirePeers, type Peers } from '../support/peers';
import { testContext, testRun } from '../support/runContext';

const run = promisify(execFile);

/** Reads a run folder with TensorBoard's own loaders, the one behind the Scalars tab included. */
const READ_WITH_TENSORBOARD = `
import json, math, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.backend.event_processing import plugin_event_accumulator
num = lambda v: v if math.isfinite(v) else repr(v)
ea = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0})
ea.Reload()
out = {"file_version": ea.file_version, "scalars": {}, "text": {}, "scalars_plugin": {}}
for tag in ea.Tags()["scalars"]:
    out["scalars"][tag] = [[e.step, num(e.value), e.wall_time] for e in ea.Scalars(tag)]
for tag in ea.Tags()["tensors"]:
    out["text"][tag] = [e.tensor_proto.string_val[0].decode() for e in ea.Tensors(tag)]
pa = plugin_event_accumulator.EventAccumulator(sys.argv[1], size_guidance={"tensors": 0})
pa.Reload()
for tag in pa.Tags()["tensors"]:
    if pa.SummaryMetadata(tag).plugin_data.plugin_name == "scalars":
        out["scalars_plugin"][tag] = len(pa.Tensors(tag))
print(json.dumps(out))
`;

describe('TensorBoard event files against Python tensorboard', peerTest(), () => {
  let peers: Peers;
  let tmp: string;

  before(() => {
    peers = requirePeers();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-tb-peer-'));
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes files that TensorBoard's EventAccumulator reads back exactly (tags, steps, float32 values, wall times, params text)", async () => {
    const backend = new TensorBoardBackend();
    backend.initialize({ logDir: path.join(tmp, 'logs') }, testContext('tensorboard', tmp, testRun({ name: 'exp/1: lr=0.1' })).context);
    await backend.start();
    const t0 = 1_700_000_000_000;
    const points: MetricPoint[] = [];
    for (let step = 0; step < 200; step++) {
      points.push({ name: 'train/loss', value: Math.exp(-step / 50) + step * 1e-9, step, time: t0 + step * 250 });
      if (step % 20 === 0) points.push({ name: 'val/acc', value: step / 200, step, time: t0 + step * 250 });
    }
    points.push(
      { name: 'edge', value: 3.4e38, step: 0, time: t0 },
      { name: 'edge', value: -1e-40, step: 1, time: t0 },
      { name: 'edge', value: Number.NaN, step: 2, time: t0 },
    );
    points.push({ name: 'big_step', value: 1, step: 2 ** 40, time: t0 });
    for (let i = 0; i < points.length; i += 37) await backend.logBatch(points.slice(i, i + 37));
    await backend.logParams({ lr: 0.1, optimizer: 'adam|w' });
    await backend.stop();
    const runDir = String(backend.getStatus().runDir);
    assert.equal(path.basename(runDir), 'exp_1_ lr=0.1');

    const { stdout } = await run(peers.python, ['-c', READ_WITH_TENSORBOARD, runDir], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
    const got = JSON.parse(stdout) as {
      file_version: number;
      scalars: Record<string, [number, number | string, number][]>;
      text: Record<string, string[]>;
      scalars_plugin: Record<string, number>;
    };
    assert.equal(got.file_version, 2); // EventAccumulator keeps the number after "brain.Event:"
    const want: Record<string, [number, number | string, number][]> = {};
    for (const p of points) (want[p.name] ??= []).push([p.step!, Number.isNaN(p.value) ? 'nan' : Math.fround(p.value), p.time / 1000]);
    assert.deepEqual(Object.keys(got.scalars).sort(), Object.keys(want).sort());
    for (const tag of Object.keys(want)) assert.deepEqual(got.scalars[tag], want[tag], tag);
    assert.deepEqual(got.scalars_plugin, Object.fromEntries(Object.entries(want).map(([t, v]) => [t, v.length])));
    assert.deepEqual(got.text.params, ['| param | value |\n|---|---|\n| lr | 0.1 |\n| optimizer | adam\\|w |']);
  });

  it("tails files a Python SummaryWriter (tensorboardX) is writing, and reads the tensor form of tensorboard's own writer", async () => {
    const writer = path.join(__dirname, '..', 'fixtures', 'tensorboard', 'write_events.py');
    for (const mode of ['tensorboardx', 'tensor']) {
      const logdir = path.join(tmp, `live-${mode}`);
      const points: MetricPoint[] = [];
      const errors: unknown[] = [];
      const watch = watchTfEvents(logdir, (p) => points.push(...p), { intervalMs: 50, onError: (e) => errors.push(e) });
      const child = spawn(peers.python, [writer, logdir, mode, '--delay', '0.01'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0);
      const seenWhileWriting = points.length;
      await watch.poll();
      watch.dispose();
      const written = JSON.parse(stdout) as { name: string; step: number; value: number; time: number }[];
      const key = (p: { name: string; step?: number }) => `${p.name}@${p.step}`;
      assert.deepEqual(errors, []);
      assert.ok(seenWhileWriting > 0, `${mode}: points arrived while the writer was running`);
      assert.deepEqual(
        points.map((p) => ({ name: p.name, step: p.step, value: p.value, time: p.time })).sort((a, b) => key(a).localeCompare(key(b))),
        written.sort((a, b) => key(a).localeCompare(key(b))),
        mode,
      );
    }
  });

  it('serves our files in a real TensorBoard started the way "Open in TensorBoard" starts it', async () => {
    const backend = new TensorBoardBackend();
    const logs = path.join(tmp, 'served');
    backend.initialize({ logDir: logs }, testContext('tensorboard', tmp, testRun({ name: 'served run' })).context);
    await backend.start();
    await backend.logBatch([0, 1, 2].map((step) => ({ name: 'loss', value: 1 / (step + 1), step, time: 1_700_000_000_000 + step })));
    await backend.stop();
    const exe = findTensorBoard([path.dirname(peers.venv)], { PATH: '' });
    assert.equal(exe, peers.bin('tensorboard'));
    const board = await startTensorBoard(exe!, logs);
    try {
      assert.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      // TensorBoard loads in the background: ask its Scalars API until the run shows up.
      let series: [number, number, number][] = [];
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && series.length < 3; await new Promise((r) => setTimeout(r, 250))) {
        const res = await fetch(new URL('data/plugin/scalars/scalars?run=served%20run&tag=loss', board.url));
        if (res.ok) series = (await res.json()) as [number, number, number][];
      }
      assert.deepEqual(
        series,
        [0, 1, 2].map((step) => [1_700_000_000 + step / 1000, step, Math.fround(1 / (step + 1))]),
      );
    } finally {
      await board.stop();
    }
    assert.equal(board.isRunning(), false);
  });
});
