import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { MetricPoint } from '../../src/core/types';
import { parseCsvLine, parseCsvNumber } from '../../src/plugins/csv/csvLine';
import { LightningCsvSource, watchMetricsCsv } from '../../src/plugins/csv/lightningCsvSource';
import { MetricsCsvTail } from '../../src/plugins/csv/metricsCsvTail';
import { testContext } from '../support/runContext';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-csv-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Row = Record<string, number | undefined>;

/**
 * Writes metrics.csv the way Lightning's CSVLogger does (lightning_fabric/loggers/csv_logs.py,
 * ExperimentWriter.save): sorted header, Python csv's \r\n line ends, empty cells, and the
 * whole file rewritten under a wider header when new metric names appear.
 */
class CsvLoggerLike {
  private keys: string[] = [];
  private pending: Row[] = [];
  /** What save(cut) held back, for finishCut(). */
  private rest = '';
  constructor(readonly file: string) {}

  log(metrics: Row, step: number): void {
    this.pending.push({ ...metrics, step });
  }

  /** With `cut`, only the first `cut` characters reach the file until finishCut(): a write in progress. */
  save(cut?: number): void {
    const added = [...new Set(this.pending.flatMap((r) => Object.keys(r)))].filter((k) => !this.keys.includes(k));
    const exists = fs.existsSync(this.file);
    this.keys = [...this.keys, ...added].sort();
    const line = (r: Row) => `${this.keys.map((k) => (r[k] === undefined ? '' : pyFloat(r[k]!))).join(',')}\r\n`;
    if (added.length > 0 && exists) {
      const old = fs.readFileSync(this.file, 'utf8').split('\r\n').filter(Boolean);
      const oldKeys = old[0]!.split(',');
      const rows = old.slice(1).map((l) => Object.fromEntries(l.split(',').map((c, i) => [oldKeys[i]!, c === '' ? undefined : Number(c)])));
      fs.writeFileSync(this.file, `${this.keys.join(',')}\r\n${rows.map(line).join('')}`);
    }
    const text = (exists ? '' : `${this.keys.join(',')}\r\n`) + this.pending.map(line).join('');
    fs.appendFileSync(this.file, cut === undefined ? text : text.slice(0, cut));
    this.pending = [];
    this.rest = cut === undefined ? '' : text.slice(cut);
  }

  finishCut(): void {
    fs.appendFileSync(this.file, this.rest);
    this.rest = '';
  }
}

/** Python's str() of the values used here (ints as ints, as Lightning logs epoch and step). */
function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

const simple = (points: MetricPoint[]) => points.map((p) => [p.name, p.step, p.value]);

describe('CSV cells', () => {
  it('splits quoted cells and reads Python float spellings', () => {
    assert.deepEqual(parseCsvLine('a,"b,c","say ""hi""",,'), ['a', 'b,c', 'say "hi"', '', '']);
    assert.deepEqual(['0.5', '1e-05', '-3', 'nan', 'inf', '-inf', '', 'abc', '1.2.3', 'True'].map(parseCsvNumber), [
      0.5,
      1e-5,
      -3,
      Number.NaN,
      Infinity,
      -Infinity,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('Lightning metrics.csv tail', () => {
  it('reads rows as they are saved, across a rewrite under a wider header, each row once', async () => {
    const file = path.join(tmp, 'metrics.csv');
    const logger = new CsvLoggerLike(file);
    const tail = new MetricsCsvTail(file, () => 1000);
    const got: MetricPoint[] = [];
    assert.deepEqual(await tail.read().catch(() => 'missing'), 'missing');
    logger.log({ epoch: 0, train_loss: 0.9 }, 0);
    logger.log({ epoch: 0, train_loss: 0.8 }, 1);
    logger.save();
    got.push(...(await tail.read()));
    assert.equal(fs.readFileSync(file, 'utf8'), 'epoch,step,train_loss\r\n0,0,0.9\r\n0,1,0.8\r\n');
    logger.log({ epoch: 0, val_loss: 0.7, val_acc: 0.5 }, 1);
    logger.log({ epoch: 1, train_loss: 0.6 }, 2);
    logger.save(); // new names: the file is rewritten
    assert.match(fs.readFileSync(file, 'utf8'), /^epoch,step,train_loss,val_acc,val_loss\r\n0,0,0.9,,\r\n/);
    got.push(...(await tail.read()));
    logger.log({ epoch: 1, train_loss: Number.NaN }, 3);
    logger.save(10); // the row written up to its \r: not complete yet
    const torn = await tail.read();
    assert.deepEqual(torn, []);
    logger.finishCut();
    got.push(...(await tail.read()));
    assert.deepEqual(simple(got), [
      ['epoch', 0, 0],
      ['train_loss', 0, 0.9],
      ['train_loss', 1, 0.8],
      ['val_acc', 1, 0.5],
      ['val_loss', 1, 0.7],
      ['epoch', 2, 1],
      ['train_loss', 2, 0.6],
      ['train_loss', 3, Number.NaN],
    ]);
    assert.ok(got.every((p) => p.time === 1000));
  });

  it('does not read rows twice when it looks in the middle of a rewrite', async () => {
    const file = path.join(tmp, 'midway.csv');
    fs.writeFileSync(file, 'epoch,step,a\r\n0,0,1\r\n0,1,2\r\n0,2,3\r\n');
    const tail = new MetricsCsvTail(file);
    const first = await tail.read();
    fs.writeFileSync(file, 'epoch,step,a,b\r\n0,0,1,\r\n'); // truncated and partly rewritten
    const second = await tail.read();
    fs.appendFileSync(file, '0,1,2,\r\n0,2,3,\r\n0,3,,9\r\n');
    const third = await tail.read();
    assert.deepEqual(simple([...first, ...second, ...third]), [
      ['epoch', 0, 0],
      ['a', 0, 1],
      ['a', 1, 2],
      ['a', 2, 3],
      ['b', 3, 9],
    ]);
  });

  it('finds metrics.csv in lightning_logs/version_N as it appears, skipping older versions', async () => {
    const root = path.join(tmp, 'lightning_logs');
    fs.mkdirSync(path.join(root, 'version_0'), { recursive: true });
    fs.writeFileSync(path.join(root, 'version_0', 'metrics.csv'), 'epoch,step,old\r\n0,0,1\r\n');
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(root, 'version_0', 'metrics.csv'), past, past);
    const source = new LightningCsvSource();
    source.initialize({ pollIntervalMs: 60_000 }, testContext('lightning-csv', tmp).context);
    source.start();
    const got: MetricPoint[] = [];
    const watch = source.watch(root, (p) => got.push(...p), { ignoreOlderThan: Date.now() - 1000 });
    await watch.poll();
    const logger = new CsvLoggerLike(path.join(root, 'version_1', 'metrics.csv'));
    fs.mkdirSync(path.join(root, 'version_1'));
    logger.log({ epoch: 0, loss: 2.5 }, 49);
    logger.save();
    await watch.poll();
    watch.dispose();
    source.stop();
    assert.deepEqual(simple(got), [
      ['epoch', 49, 0],
      ['loss', 49, 2.5],
    ]);
    assert.deepEqual(source.getStatus(), { watching: 0, points: 2, lastError: undefined });
  });

  it('watches a metrics.csv path that does not exist yet', async () => {
    const file = path.join(tmp, 'later', 'metrics.csv');
    const got: MetricPoint[] = [];
    const watch = watchMetricsCsv(file, (p) => got.push(...p), { intervalMs: 60_000 });
    await watch.poll();
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'step,x\n7,0.25\n');
    await watch.poll();
    watch.dispose();
    assert.deepEqual(simple(got), [['x', 7, 0.25]]);
  });
});
