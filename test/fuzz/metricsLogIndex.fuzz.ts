// Fuzz target for metrics.idx (src/core/store/logIndex.ts, docs/run-format.md): a damaged log beside an index
// that is true, stale (as a crash leaves it), forged with a correct CRC, broken or missing. Whatever the index
// says, a writer must open the log as a scan of the whole log would, and name every point it appends rightly.
import * as fs from 'node:fs';
import { decodeIndex, encodeIndex, indexFileFor } from '../../src/core/store/logIndex';
import type { LogCheckpoint } from '../../src/core/store/logScanner';
import { MetricsLogWriter, readAllPoints } from '../../src/core/store/metricsLog';
import type { FuzzTarget, Rng } from './harness';
import { asRead, checkRead, fail, NO_FSYNC, randomName, randomPoint, sameRead, withCase, type Case } from './metricsLogCase';

/** The index a writer would have written just after block `k`: the case's names get ids in the order they first appear. */
function staleAt(c: Case, k: number): LogCheckpoint {
  const names = [...c.definedIn].map(([name, b], id) => ({ id, name, definedAt: c.blocks[b]!.start, b })).filter((d) => d.b <= k);
  const block = c.blocks[k]!;
  return {
    logBytes: block.end,
    nextSeq: block.firstSeq + block.points.length,
    lastBlockAt: block.start,
    firstFreeId: names.length,
    names: names.map(({ id, name, definedAt }) => ({ id, name, definedAt })),
    damage: { ranges: [], unnamedPoints: 0 },
  };
}

/** The true index with one of its figures changed, and a correct CRC. */
function forged(rng: Rng, c: Case, cp: LogCheckpoint): [string, LogCheckpoint] {
  const shift = rng.bool(0.5) ? -rng.between(1, 40) : rng.between(1, 40);
  const names = [...cp.names];
  switch (rng.int(8)) {
    case 0:
      return ['end moved', { ...cp, logBytes: Math.max(0, cp.logBytes + shift) }];
    case 1:
      return ['last block moved', { ...cp, lastBlockAt: Math.max(0, cp.lastBlockAt + shift) }];
    case 2:
      return ['next sequence number off', { ...cp, nextSeq: Math.max(0, cp.nextSeq + shift) }];
    case 3: {
      if (names.length < 2) return ['unchanged', cp];
      const [i, j] = [rng.int(names.length), rng.int(names.length)];
      [names[i], names[j]] = [
        { ...names[i]!, name: names[j]!.name },
        { ...names[j]!, name: names[i]!.name },
      ];
      return [`names ${i} and ${j} swapped`, { ...cp, names }];
    }
    case 4:
      names.splice(rng.int(names.length + 1), 1);
      return ['a name left out', { ...cp, names }];
    case 5: {
      const at = rng.pick(c.blocks).start;
      return [
        'a ghost name',
        { ...cp, names: [...names, { id: cp.firstFreeId, name: randomName(rng), definedAt: Math.min(at, cp.lastBlockAt) }], firstFreeId: cp.firstFreeId + 1 },
      ];
    }
    case 6: {
      if (names.length === 0) return ['unchanged', cp];
      const i = rng.int(names.length);
      names[i] = { ...names[i]!, definedAt: rng.pick(c.blocks).start };
      return [`name ${i} defined elsewhere`, { ...cp, names }];
    }
    default:
      // Never lowered: a first free id below an id the log uses could only come from a hand-made index (docs/run-format.md).
      return ['first free id raised', { ...cp, firstFreeId: Math.min(2 ** 32, cp.firstFreeId + rng.between(1, 1000)) }];
  }
}

/** Leaves beside the log an index of a random kind, and says which in the case's log. */
function chooseIndex(rng: Rng, c: Case): void {
  const file = indexFileFor(c.file);
  const truth = fs.readFileSync(file);
  const kind = rng.int(10);
  if (kind < 3) {
    c.log.push('index: as written at close');
  } else if (kind < 5) {
    const k = rng.int(c.blocks.length);
    fs.writeFileSync(file, encodeIndex(staleAt(c, k)));
    c.log.push(`index: stale, written after block ${k}`);
  } else if (kind < 8) {
    const [what, cp] = forged(rng, c, decodeIndex(truth)!);
    fs.writeFileSync(file, encodeIndex(cp));
    c.log.push(`index: forged, ${what}`);
  } else if (kind < 9) {
    const bytes = Buffer.from(truth);
    if (rng.bool(0.5)) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
    fs.writeFileSync(file, rng.bool(0.5) ? bytes : bytes.subarray(0, rng.int(bytes.length)));
    c.log.push('index: broken bytes');
  } else {
    fs.rmSync(file);
    c.log.push('index: none');
  }
}

export const targets: FuzzTarget[] = [
  {
    name: 'metrics-log-index',
    checks:
      'a damaged log beside a true, stale, forged, broken or missing metrics.idx: a writer opens it as a whole scan would, and names every point it appends rightly',
    run(rng) {
      withCase(
        rng,
        (c) => {
          const copy = `${c.file}.rescan.bin`;
          fs.copyFileSync(c.file, copy);
          try {
            const viaIndex = MetricsLogWriter.open(c.file, NO_FSYNC);
            const rescan = MetricsLogWriter.open(copy, NO_FSYNC);
            if (viaIndex.nextSeq !== rescan.nextSeq || viaIndex.bytes !== rescan.bytes) {
              fail(c, `opened with the index: next seq ${viaIndex.nextSeq} at ${viaIndex.bytes} bytes; a whole scan: ${rescan.nextSeq} at ${rescan.bytes}`);
            }
            const names = [...c.definedIn.keys(), randomName(rng), randomName(rng)];
            const appended = Array.from({ length: rng.between(1, 20) }, () => randomPoint(rng, names));
            const from = viaIndex.append(appended);
            rescan.append(appended);
            viaIndex.close();
            rescan.close();
            const read = readAllPoints(c.file);
            checkRead(c, read, 'read after appending through the index', [...c.written.slice(0, from), ...appended.map(asRead)]);
            sameRead(c, read, readAllPoints(copy), 'after appending, read with the index and without');
          } finally {
            fs.rmSync(copy, { force: true });
            fs.rmSync(indexFileFor(copy), { force: true });
          }
        },
        (c) => chooseIndex(rng, c),
      );
    },
  },
];
