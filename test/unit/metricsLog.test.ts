import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32 } from '../../src/core/store/blockFormat';
import { MetricsLogReader, MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-log-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function points(n: number, from = 0): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    name: i % 3 === 0 ? 'train/loss' : i % 3 === 1 ? 'accuracy' : 'λ-rate',
    value: (from + i) / 7,
    step: from + i,
    time: 1_700_000_000_000 + from + i,
  }));
}

describe('metrics log', () => {
  it('computes the standard CRC-32 check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('reads back exactly what was appended, names, steps and missing steps included', () => {
    const file = path.join(tmp, 'a.bin');
    const w = MetricsLogWriter.open(file);
    assert.equal(w.append(points(10)), 0);
    assert.equal(w.append([{ name: 'no-step', value: -1.5, time: 5 }]), 10);
    assert.equal(w.append(points(5, 10)), 11);
    w.close();
    const { points: back, tornBytes } = readAllPoints(file);
    assert.equal(tornBytes, 0);
    assert.deepEqual(back, [...points(10), { name: 'no-step', value: -1.5, time: 5 }, ...points(5, 10)]);
  });

  it('skips a torn last block without losing earlier ones, and a reopened writer cuts it off', () => {
    const file = path.join(tmp, 'torn.bin');
    const w = MetricsLogWriter.open(file);
    w.append(points(100));
    w.append(points(100, 100));
    w.close();
    const full = fs.statSync(file).size;
    fs.truncateSync(file, full - 5);
    const torn = readAllPoints(file);
    assert.equal(torn.points.length, 100);
    assert.ok(torn.tornBytes > 0);
    const again = MetricsLogWriter.open(file);
    assert.equal(again.nextSeq, 100);
    again.append(points(3, 500));
    again.close();
    const healed = readAllPoints(file);
    assert.equal(healed.tornBytes, 0);
    assert.deepEqual(healed.points, [...points(100), ...points(3, 500)]);
  });

  it('detects a corrupted block by its CRC', () => {
    const file = path.join(tmp, 'flip.bin');
    const w = MetricsLogWriter.open(file);
    w.append(points(4));
    const size = w.bytes;
    w.append(points(4, 4));
    w.close();
    const buf = fs.readFileSync(file);
    buf[size + 30] = buf[size + 30]! ^ 0xff;
    fs.writeFileSync(file, buf);
    assert.equal(readAllPoints(file).points.length, 4);
  });

  it('reads incrementally and resumes at a saved offset with the names it needs', () => {
    const file = path.join(tmp, 'cursor.bin');
    const w = MetricsLogWriter.open(file);
    w.append(points(6));
    w.append(points(6, 6));
    const reader = new MetricsLogReader(file);
    const first = reader.read(1);
    assert.deepEqual([first.firstSeq, first.points.length], [0, 6]);
    const saved = reader.offset;
    w.append(points(6, 12));
    w.close();
    const resumed = new MetricsLogReader(file);
    resumed.resumeAt(saved);
    const rest = resumed.read();
    assert.equal(rest.firstSeq, 6);
    assert.deepEqual(rest.points, points(12, 6));
  });

  it('treats a missing file as empty', () => {
    assert.deepEqual(new MetricsLogReader(path.join(tmp, 'none.bin')).read(), { firstSeq: 0, points: [], tornBytes: 0 });
  });
});
