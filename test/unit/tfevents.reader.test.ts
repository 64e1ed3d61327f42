import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { MetricPoint } from '../../src/core/types';
import { TensorBoardBackend } from '../../src/plugins/tensorboard/tensorboardBackend';
import { TfEventsSource } from '../../src/plugins/tensorboard/tfeventsSource';
import { watchTfEvents } from '../../src/plugins/tensorboard/tfeventsWatch';
import { testContext, testRun } from '../support/runContext';
import { waitUntil } from '../support/waitUntil';

const fixtures = path.join(__dirname, '..', 'fixtures', 'tensorboard');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-tfevents-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Expected = { name: string; step: number; value: number | string; time: number }[];
const expected = (mode: string): Expected => JSON.parse(fs.readFileSync(path.join(fixtures, `${mode}.expected.json`), 'utf8'));
const key = (p: { name: string; step?: number; time: number }) => `${p.name}@${p.step}@${p.time}`;
const sorted = <T extends { name: string; step?: number; time: number }>(points: T[]): T[] => [...points].sort((a, b) => key(a).localeCompare(key(b)));
const plain = (points: readonly MetricPoint[]) => sorted(points.map((p) => ({ name: p.name, step: p.step!, value: p.value, time: p.time })));

async function readAll(dir: string, options: Parameters<typeof watchTfEvents>[2] = {}): Promise<MetricPoint[]> {
  const points: MetricPoint[] = [];
  const watch = watchTfEvents(dir, (p) => points.push(...p), { intervalMs: 60_000, ...options });
  await watch.poll();
  watch.dispose();
  return points;
}

describe('tfevents reader on files written by Python writers (committed fixtures)', () => {
  it('reads tensorboardX / SummaryWriter files: simple_value scalars, add_scalars sub-folders, int64 steps', async () => {
    assert.deepEqual(plain(await readAll(path.join(fixtures, 'tensorboardx'))), sorted(expected('tensorboardx')));
  });

  it('reads the tensor form (plugin "scalars"; float_val, double_val, tensor_content; metadata on the first value only) and skips non-scalars', async () => {
    assert.deepEqual(plain(await readAll(path.join(fixtures, 'tensor'))), sorted(expected('tensor')));
  });

  it('waits for a record that is still being written, however the bytes arrive', async () => {
    const source = path.join(fixtures, 'tensorboardx', fs.readdirSync(path.join(fixtures, 'tensorboardx')).find((f) => f.includes('tfevents'))!);
    const data = fs.readFileSync(source);
    const dir = path.join(tmp, 'torn');
    fs.mkdirSync(dir);
    const file = path.join(dir, path.basename(source));
    const points: MetricPoint[] = [];
    const errors: unknown[] = [];
    const watch = watchTfEvents(dir, (p) => points.push(...p), { intervalMs: 60_000, onError: (e) => errors.push(e) });
    for (let at = 0; at < data.length; at += 7) {
      fs.appendFileSync(file, data.subarray(at, Math.min(data.length, at + 7)));
      await watch.poll();
    }
    watch.dispose();
    assert.deepEqual(errors, []);
    assert.deepEqual(plain(points), sorted(expected('tensorboardx').filter((p) => !p.name.startsWith('acc/'))));
  });

  it('watches a folder that does not exist yet, and skips files older than the run', async () => {
    const dir = path.join(tmp, 'later', 'runs');
    const points: MetricPoint[] = [];
    const startedAt = Date.now();
    const watch = watchTfEvents(dir, (p) => points.push(...p), { intervalMs: 60_000, ignoreOlderThan: startedAt - 1000 });
    await watch.poll();
    fs.mkdirSync(path.join(dir, 'old'), { recursive: true });
    fs.cpSync(path.join(fixtures, 'tensor'), path.join(dir, 'old'), { recursive: true });
    for (const f of fs.readdirSync(path.join(dir, 'old')))
      fs.utimesSync(path.join(dir, 'old', f), new Date(startedAt - 3_600_000), new Date(startedAt - 3_600_000));
    fs.cpSync(path.join(fixtures, 'tensor'), dir, { recursive: true });
    await watch.poll();
    watch.dispose();
    assert.deepEqual(plain(points), sorted(expected('tensor')));
  });

  it('reports a corrupt file once, naming it, and goes on with the others', async () => {
    const dir = path.join(tmp, 'corrupt');
    fs.cpSync(path.join(fixtures, 'tensor'), path.join(dir, 'good'), { recursive: true });
    const bad = Buffer.from(
      fs.readFileSync(path.join(fixtures, 'tensorboardx', fs.readdirSync(path.join(fixtures, 'tensorboardx')).find((f) => f.includes('tfevents'))!)),
    );
    bad[200]! ^= 0xff;
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'events.out.tfevents.1.host'), bad);
    const errors: string[] = [];
    const points: MetricPoint[] = [];
    const watch = watchTfEvents(dir, (p) => points.push(...p), { intervalMs: 60_000, onError: (e) => errors.push((e as Error).message) });
    await watch.poll();
    await watch.poll();
    watch.dispose();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^tfevents: .*bad[/\\]events\.out\.tfevents\.1\.host: bad data checksum at byte \d+ .*the rest of the file is skipped/);
    assert.ok(points.filter((p) => p.name.startsWith('good/')).length === expected('tensor').length);
  });
});

describe('tensorboard writer and tfevents source together', () => {
  it('reads back what the backend writes, values as float32, missing steps counted per tag', async () => {
    const run = testRun({ name: 'round trip', cwd: tmp });
    const backend = new TensorBoardBackend();
    backend.initialize({ logDir: 'tb' }, testContext('tensorboard', tmp, run).context);
    await backend.start();
    const t0 = 1_700_000_000_000;
    const points: MetricPoint[] = [
      { name: 'loss', value: 0.1, step: 5, time: t0 },
      { name: 'acc', value: 0.9, step: 5, time: t0 },
      { name: 'loss', value: 0.05, step: 6, time: t0 + 10 },
      { name: 'tokens', value: 123456789, time: t0 + 20 },
      { name: 'tokens', value: 2, time: t0 + 30 },
    ];
    await backend.logBatch(points);
    await backend.logMetric('tokens', 3);
    await backend.logParams({ lr: 0.1 });
    await backend.stop();
    assert.equal(backend.getStatus().runDir, path.join(tmp, 'tb', 'round trip'));

    const source = new TfEventsSource();
    source.initialize({ pollIntervalMs: 60_000 }, testContext('tfevents', tmp).context);
    source.start();
    const got: MetricPoint[] = [];
    const watch = source.watch(path.join(tmp, 'tb', 'round trip'), (p) => got.push(...p));
    await watch.poll();
    watch.dispose();
    source.stop();
    assert.deepEqual(
      got.slice(0, 5).map((p) => [p.name, p.step, p.value, p.time]),
      [
        ['loss', 5, Math.fround(0.1), t0],
        ['acc', 5, Math.fround(0.9), t0],
        ['loss', 6, Math.fround(0.05), t0 + 10],
        ['tokens', 0, 123456792, t0 + 20],
        ['tokens', 1, 2, t0 + 30],
      ],
    );
    assert.deepEqual([got[5]!.name, got[5]!.step, got[5]!.value], ['tokens', 2, 3]);
    assert.equal(got.length, 6);
    assert.deepEqual(source.getStatus(), { watching: 0, points: 6, lastError: undefined });
  });

  it('picks up appended records from file-change events, without waiting for the interval', async () => {
    const dir = path.join(tmp, 'live');
    const source = new TfEventsSource();
    source.initialize({ pollIntervalMs: 60_000 }, testContext('tfevents', tmp).context);
    const got: MetricPoint[] = [];
    fs.mkdirSync(dir);
    const watch = source.watch(dir, (p) => got.push(...p));
    await watch.poll();
    const backend = new TensorBoardBackend();
    backend.initialize({ logDir: tmp }, testContext('tensorboard', tmp, testRun({ name: 'live' })).context);
    await backend.start();
    await backend.logBatch([1, 2, 3].map((v) => ({ name: 'x', value: v, step: v, time: Date.now() })));
    // Well within the 60 s poll interval: only a file-change event can have delivered them.
    await waitUntil(() => got.length >= 3, 'fs.watch delivered the points');
    watch.dispose();
    await backend.stop();
    assert.deepEqual(
      got.map((p) => p.value),
      [1, 2, 3],
    );
  });
});
