import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeSeriesIndex, encodeSeriesIndex, SERIES_INDEX_FILE } from '../../src/core/series/indexFile';
import { openRunSeries, openRunSeriesAsync, type IndexedSeriesReader } from '../../src/core/series/runSeries';
import { SeriesIndex } from '../../src/core/series/seriesIndex';
import { indexTail } from '../../src/core/series/logRange';
import type { MetricPoint } from '../../src/core/types';
import { rng, storedSeries, T0, tempRun, writeRun } from './seriesHelpers';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function run(): string {
  const dir = tempRun();
  dirs.push(dir);
  return dir;
}

/** Random batches: a few metrics, some without steps, the odd NaN, block sizes from 1 to 3,000 points. */
function randomBatches(seed: number, batches: number, firstStep = 0): MetricPoint[][] {
  const r = rng(seed);
  const names = ['train/loss', 'train/acc', 'system/cpu', 'eval/loss', `only/${seed}`];
  let step = firstStep;
  return Array.from({ length: batches }, () =>
    Array.from({ length: 1 + Math.floor(r() * 3000) }, () => {
      const name = names[Math.floor(r() ** 2 * names.length)]!;
      const value = r() < 0.002 ? Number.NaN : r() * 10 - 5;
      const p: MetricPoint = { name, value, time: T0 + step * 7 };
      if (!name.startsWith('system/')) p.step = step;
      step++;
      return p;
    }),
  );
}

/** The index a whole scan of the log builds, as series.idx bytes. */
function scanned(dir: string): Buffer {
  const index = new SeriesIndex();
  indexTail(index, path.join(dir, 'metrics.bin'));
  return encodeSeriesIndex(index);
}

const sidecar = (dir: string): string => path.join(dir, SERIES_INDEX_FILE);

describe('series index (series.idx)', () => {
  it('kept by the writer as blocks are stored, equals the index a whole scan builds, after random appends and a reopen', () => {
    for (const seed of [11, 12, 13]) {
      const dir = run();
      writeRun(dir, randomBatches(seed, 40), { seriesIndex: true });
      assert.deepEqual(fs.readFileSync(sidecar(dir)), scanned(dir), `seed ${seed}`);
      // Reopened as recovery reopens a run: it goes on from series.idx.
      writeRun(dir, randomBatches(seed + 100, 10, 1e6), { seriesIndex: true });
      assert.deepEqual(fs.readFileSync(sidecar(dir)), scanned(dir), `seed ${seed}, reopened`);
    }
  });

  it('gives the same metrics and charts whether read through series.idx or built on first open (streaming), and writes it', async () => {
    const dir = run();
    writeRun(dir, randomBatches(21, 30));
    assert.equal(fs.existsSync(sidecar(dir)), false);
    const built = openRunSeries(dir);
    assert.equal(fs.existsSync(sidecar(dir)), true, 'the first open writes series.idx');
    const loaded = await openRunSeriesAsync(dir);
    assert.deepEqual(loaded.metrics(), built.metrics());
    for (const request of [
      { metric: 'train/loss', x: 'step' as const, columns: 64, smoothing: 0.8 },
      { metric: 'system/cpu', x: 'relative' as const, columns: 16, range: [1000, 50_000] as const },
    ]) {
      assert.deepEqual(await loaded.query(request), await built.query(request));
    }
    const stored = storedSeries(dir, 'train/loss');
    assert.equal(built.metrics().find((m) => m.name === 'train/loss')!.count, stored.length);
  });

  it('refresh() indexes what was appended since, and says which metrics changed', async () => {
    const dir = run();
    const writer = writeRun(dir, randomBatches(31, 5), { end: false, seriesIndex: true });
    const reader = openRunSeries(dir, { persist: false }) as IndexedSeriesReader;
    const before = reader.metrics().find((m) => m.name === 'train/loss')!.count;
    assert.deepEqual((await reader.refresh()).changed, []);
    writer.append([
      { name: 'train/loss', value: 42, step: 1e7, time: T0 + 1e9 },
      { name: 'brand/new', value: 1, step: 0, time: T0 + 1e9 },
    ]);
    assert.deepEqual((await reader.refresh()).changed.sort(), ['brand/new', 'train/loss']);
    const loss = reader.metrics().find((m) => m.name === 'train/loss')!;
    assert.deepEqual([loss.count, loss.last, loss.lastStep], [before + 1, 42, 1e7]);
    const zoom = await reader.query({ metric: 'train/loss', x: 'step', range: [1e7 - 1, 1e7], columns: 10 });
    assert.deepEqual([...zoom.ys], [42]);
    writer.end();
    // The reader's index now equals a whole scan of the log.
    assert.deepEqual(encodeSeriesIndex((reader as unknown as { index: SeriesIndex }).index), scanned(dir));
  });

  it('reports a torn tail and damage in health(), and shows the points before and after them', async () => {
    const dir = run();
    const batches = randomBatches(41, 6);
    writeRun(dir, batches);
    const log = path.join(dir, 'metrics.bin');
    const size = fs.statSync(log).size;
    // A block cut short at the end (a crash mid-write): the start of a copy of the first block.
    fs.appendFileSync(log, fs.readFileSync(log).subarray(0, 100));
    const reader = openRunSeries(dir, { persist: false });
    assert.deepEqual(reader.health(), { tornBytes: 100, damaged: [], unnamedPoints: 0 });
    const all = batches.flat().filter((p) => p.name === 'train/loss');
    assert.equal(reader.metrics().find((m) => m.name === 'train/loss')!.count, all.length);
    // A flipped bit in the middle of the log: that block is skipped and named, the rest is shown.
    const buf = fs.readFileSync(log);
    buf[Math.floor(size / 2)]! ^= 0x40;
    fs.writeFileSync(log, buf);
    const damaged = openRunSeries(dir, { persist: false });
    const health = damaged.health();
    assert.equal(health.tornBytes, 100);
    assert.equal(health.damaged.length, 1);
    assert.ok(health.damaged[0]!.lostPoints > 0);
    const count = damaged.metrics().find((m) => m.name === 'train/loss')!.count;
    assert.ok(count < all.length && count > 0);
    const slice = await damaged.query({ metric: 'train/loss', x: 'step', columns: 100 });
    assert.equal(slice.inRange, count);
  });

  it('never trusts a damaged, truncated, foreign or stale series.idx: it rebuilds or catches up, with the same answers', async () => {
    const dir = run();
    writeRun(dir, randomBatches(51, 20), { seriesIndex: true });
    const good = fs.readFileSync(sidecar(dir));
    const want = openRunSeries(dir, { persist: false }).metrics();
    const other = run();
    writeRun(other, randomBatches(52, 20), { seriesIndex: true });
    const cases: [string, Buffer][] = [
      ['a flipped byte', Buffer.from(good).fill(0x55, 200, 201)],
      ['cut short', good.subarray(0, good.length - 9)],
      ['empty', Buffer.alloc(0)],
      ["another run's", fs.readFileSync(sidecar(other))],
    ];
    for (const [what, bytes] of cases) {
      fs.writeFileSync(sidecar(dir), bytes);
      assert.deepEqual(openRunSeries(dir, { persist: false }).metrics(), want, what);
    }
    assert.equal(decodeSeriesIndex(Buffer.from(good).fill(0x55, 200, 201)), undefined);
    // A file of version 1 (its columns after the name, not on 8-byte boundaries) is not read: the run is indexed again
    // on first open, with the same answers, and series.idx written in the current version.
    const older = Buffer.from(good);
    older.writeUInt32LE(1, 4);
    fs.writeFileSync(sidecar(dir), older);
    assert.equal(decodeSeriesIndex(older), undefined);
    const reindexed = openRunSeries(dir);
    assert.deepEqual(reindexed.metrics(), want, 'version 1');
    reindexed.close();
    assert.deepEqual(fs.readFileSync(sidecar(dir)), good, 'written again as the writer wrote it');
    // A link at series.idx is not followed.
    fs.rmSync(sidecar(dir));
    fs.symlinkSync(sidecar(other), sidecar(dir));
    assert.deepEqual(openRunSeries(dir, { persist: false }).metrics(), want, 'a link');
    fs.rmSync(sidecar(dir));
    // Stale: written before the last blocks (a crash between rewrites) — the reader indexes the rest.
    fs.writeFileSync(sidecar(dir), good);
    writeRun(dir, randomBatches(53, 3, 1e6), { seriesIndex: false });
    const caughtUp = openRunSeries(dir, { persist: false }) as IndexedSeriesReader;
    assert.deepEqual(encodeSeriesIndex((caughtUp as unknown as { index: SeriesIndex }).index), scanned(dir));
  });

  it('starts again when the log was replaced by a shorter one (a run deleted and made again)', async () => {
    const dir = run();
    writeRun(dir, randomBatches(61, 10), { seriesIndex: true });
    const reader = openRunSeries(dir, { persist: false });
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    writeRun(dir, [[{ name: 'fresh', value: 1, step: 0, time: T0 }]]);
    const { changed } = await reader.refresh();
    assert.ok(changed.includes('fresh') && changed.includes('train/loss'));
    assert.deepEqual(
      reader.metrics().map((m) => m.name),
      ['fresh'],
    );
  });
});
