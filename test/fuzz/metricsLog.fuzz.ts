// Fuzz targets for the run's metrics log (src/core/store/metricsLog.ts, docs/run-format.md): random points
// written with the real writer, random damage, and what readers (objects and streaming columns) and a
// reopened writer must still do. The cases: metricsLogCase.ts; the log index: metricsLogIndex.fuzz.ts.
import { MetricsLogReader, MetricsLogWriter, readAllPoints, type DamagedRange, type LogRead } from '../../src/core/store/metricsLog';
import type { MetricPoint } from '../../src/core/types';
import type { FuzzTarget } from './harness';
import { asRead, checkRead, fail, NO_FSYNC, randomName, randomPoint, rangesText, sameRead, samePoint, show, withCase } from './metricsLogCase';

/** A streaming scan's columns turned back into what read() returns, with every sequence number. */
function viaScan(reader: MetricsLogReader, maxPoints = Infinity): LogRead {
  const points: MetricPoint[] = [];
  const seqs: number[] = [];
  const scan = reader.scan((b) => {
    if (b.length === 0 || b.ids.length !== b.length || (b.at !== undefined) !== b.length < b.count)
      throw new Error(`a block of ${b.length} points with ${b.ids.length} ids, at ${b.at ? 'given' : 'missing'}, of ${b.count}`);
    for (let i = 0; i < b.length; i++) {
      const p: MetricPoint = { name: b.names[b.ids[i]!]!, value: b.values[i]!, time: b.times[i]! };
      if (!Number.isNaN(b.steps[i]!)) p.step = b.steps[i]!;
      points.push(p);
      seqs.push(b.firstSeq + (b.at ? b.at[i]! : i));
    }
  }, maxPoints);
  return { firstSeq: seqs[0] ?? reader.nextSeq, points, seqs, tornBytes: scan.tornBytes, ...(scan.damage ? { damage: scan.damage } : {}) };
}

export const targets: FuzzTarget[] = [
  {
    name: 'metrics-log-damage',
    checks:
      'random points, random damage: reads (objects and columns alike) never throw, return only written points with their seqs, keep every intact block, also after reopen+append',
    run(rng) {
      withCase(rng, (c) => {
        const first = readAllPoints(c.file);
        const firstSeqs = checkRead(c, first, 'read after the damage');
        sameRead(c, first, viaScan(new MetricsLogReader(c.file)), 'objects and columns');
        const writer = MetricsLogWriter.open(c.file, NO_FSYNC);
        const names = [...c.definedIn.keys(), randomName(rng)];
        const appended = Array.from({ length: rng.between(1, 20) }, () => randomPoint(rng, names));
        const from = writer.append(appended);
        writer.close();
        const added = appended.map(asRead);
        // Numbering goes on after the last block that reads: points of a cut tail are not counted.
        const second = readAllPoints(c.file);
        const secondSeqs = checkRead(c, second, 'read after reopening and appending', [...c.written.slice(0, from), ...added]);
        const want = [...firstSeqs, ...added.map((_, i) => from + i)];
        if (JSON.stringify(secondSeqs) !== JSON.stringify(want))
          fail(c, `after appending, sequence numbers ${JSON.stringify(secondSeqs)}; expected ${JSON.stringify(want)}`);
        if (rangesText(second.damage?.ranges) !== rangesText(first.damage?.ranges))
          fail(c, `damage ${rangesText(first.damage?.ranges)} became ${rangesText(second.damage?.ranges)} after appending`);
        if (second.tornBytes !== 0) fail(c, `${second.tornBytes} torn bytes after the reopened writer appended`);
      });
    },
  },
  {
    name: 'metrics-log-cursor',
    checks:
      'a damaged log read in random batches, as objects or columns, with rewinds and restarts at saved cursors, gives what one read gives, damage reported once per reader',
    run(rng) {
      withCase(rng, (c) => {
        const whole = readAllPoints(c.file);
        const wholeSeqs = checkRead(c, whole, 'one read');
        const points: MetricPoint[] = [];
        const seqs: number[] = [];
        let reader = new MetricsLogReader(c.file);
        let reported: DamagedRange[] = [];
        let unnamed = 0;
        let restarted = false;
        let cursor = { offset: 0, seq: 0 };
        for (let reads = 0; ; reads++) {
          if (reads > 10_000) fail(c, 'batched reading does not end');
          const before = { offset: reader.offset, seq: reader.nextSeq };
          const max = rng.bool(0.2) ? Infinity : rng.between(1, 60);
          const batch = rng.bool(0.5) ? reader.read(max) : viaScan(reader, max);
          reported.push(...(batch.damage?.ranges ?? []));
          unnamed += batch.damage?.unnamedPoints ?? 0;
          if (batch.points.length === 0) break;
          if (rng.bool(0.2)) {
            reader.rewind(before.offset, before.seq);
            continue;
          }
          points.push(...batch.points);
          seqs.push(...(batch.seqs ?? batch.points.map((_, i) => batch.firstSeq + i)));
          cursor = { offset: reader.offset, seq: reader.nextSeq };
          if (rng.bool(0.15)) {
            reader = new MetricsLogReader(c.file);
            reader.resumeAt(cursor.offset);
            if (reader.nextSeq !== cursor.seq) fail(c, `resumed at ${cursor.offset}: next seq ${reader.nextSeq}, the cursor says ${cursor.seq}`);
            reported = [];
            restarted = true;
          }
        }
        if (JSON.stringify(seqs) !== JSON.stringify(wholeSeqs))
          fail(c, `batched: sequence numbers ${JSON.stringify(seqs)}; one read: ${JSON.stringify(wholeSeqs)}`);
        points.forEach((p, i) => samePoint(p, whole.points[i]!) || fail(c, `batched: point ${i} is ${show(p)}; one read: ${show(whole.points[i])}`));
        const once = new Set(reported.map((r) => r.offset));
        if (once.size !== reported.length) fail(c, `a reader reported the same damage twice: ${rangesText(reported)}`);
        const all = rangesText(whole.damage?.ranges);
        if (!restarted && (rangesText(reported) !== all || unnamed !== (whole.damage?.unnamedPoints ?? 0))) {
          fail(c, `batched reading reported ${rangesText(reported)} and ${unnamed} unnamed points; one read: ${all} and ${whole.damage?.unnamedPoints ?? 0}`);
        }

        // A cursor saved before the damage: the start of a block it missed. Resuming there must not pass it.
        const kept = c.blocks.filter((b) => !b.touched);
        if (kept.length === 0) return;
        const b = rng.pick(kept);
        const resumed = new MetricsLogReader(c.file);
        resumed.resumeAt(b.start);
        if (resumed.offset !== b.start || resumed.nextSeq > b.firstSeq)
          fail(c, `resumed at the intact block at ${b.start} (seq ${b.firstSeq}): offset ${resumed.offset}, next seq ${resumed.nextSeq}`);
        const rest = resumed.read();
        const wanted = JSON.stringify(wholeSeqs.filter((seq) => seq >= b.firstSeq));
        const restSeqs = JSON.stringify(rest.seqs ?? rest.points.map((_, i) => rest.firstSeq + i));
        if (restSeqs !== wanted) fail(c, `resumed at ${b.start}: sequence numbers ${restSeqs}; one read from there: ${wanted}`);
      });
    },
  },
];
