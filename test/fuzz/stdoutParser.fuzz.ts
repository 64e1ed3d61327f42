// Fuzz targets for src/core/parse: remembered line shapes against reading every line from scratch, the parser
// against the forms its README documents, and odd input that must not break it. See src/core/parse/README.md.
import { DEFAULT_IGNORED_NAMES, type MetricRecord, type StdoutParserOptions } from '../../src/core/parse/metricRecord';
import type { FuzzTarget, Rng } from './harness';
import { assertSameRecords, parseChunks, randomChunks, showRecord, showText, someChunks } from './stdoutFeed';
import { documentedOutput } from './stdoutForms';
import { realisticOutput, randomOptions } from './stdoutMutate';
import { oddOutput, oddOptions } from './stdoutOdd';

/** Records in a fixed order: the README does not say in which order one line's values come. */
function sorted(records: readonly MetricRecord[]): MetricRecord[] {
  const key = (r: MetricRecord) => `${r.line}\u0000${r.name}\u0000${Object.is(r.value, -0) ? '-0' : r.value}\u0000${r.step}\u0000${r.epoch}`;
  return [...records].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Reads the text whole with every line read from scratch, then (both with
 * and without remembered shapes) whole and in random chunks; every reading
 * must give the same records. Returns the first.
 */
function readAllWays(rng: Rng, text: string, options: StdoutParserOptions): MetricRecord[] {
  const fresh = { ...options, rememberLineShapes: false };
  const shaped = { ...options, rememberLineShapes: true };
  const reference = parseChunks([text], fresh);
  const chunks = someChunks(rng, text);
  assertSameRecords(parseChunks([text], shaped), reference, 'with shapes, whole', text);
  assertSameRecords(parseChunks(chunks, fresh), reference, `from scratch, in ${chunks.length} chunks`, text);
  assertSameRecords(parseChunks(chunks, shaped), reference, `with shapes, in ${chunks.length} chunks`, text);
  return reference;
}

function checkSane(records: readonly MetricRecord[], options: StdoutParserOptions, text: string): void {
  let line = 1;
  const ignored = options.ignoreNames ?? DEFAULT_IGNORED_NAMES;
  for (const r of records) {
    const problem =
      typeof r.name !== 'string' || r.name === ''
        ? 'no name'
        : typeof r.value !== 'number'
          ? 'a value that is not a number'
          : !Number.isInteger(r.line) || r.line < line
            ? 'a line number out of order'
            : (r.step !== undefined && typeof r.step !== 'number') || (r.epoch !== undefined && typeof r.epoch !== 'number')
              ? 'a step or epoch that is not a number'
              : options.keepNonFinite === false && !Number.isFinite(r.value)
                ? 'a non-finite value it was told to drop'
                : ignored.includes(r.name)
                  ? 'a name it was told to ignore'
                  : undefined;
    if (problem !== undefined) throw new Error(`a record with ${problem}: ${showRecord(r)}\ninput: ${showText(text)}`);
    line = r.line;
  }
}

export const targets: FuzzTarget[] = [
  {
    name: 'stdout-shapes',
    checks: 'mutated training output: the same records with remembered line shapes as without, whole and in chunks',
    run(rng) {
      const text = realisticOutput(rng);
      readAllWays(rng, text, rng.bool(0.25) ? randomOptions(rng) : {});
    },
  },
  {
    name: 'stdout-documented',
    checks: 'lines in the forms the parse README documents give exactly the records the README says, every way read',
    run(rng) {
      const { text, records } = documentedOutput(rng);
      assertSameRecords(sorted(readAllWays(rng, text, {})), sorted(records), 'against the README', text);
    },
  },
  {
    name: 'stdout-odd-input',
    checks: 'random bytes, unicode, controls, escapes and very long lines: no throw, sane records, the same every way read',
    run(rng) {
      const options = oddOptions(rng);
      const { text, bytes } = oddOutput(rng, options.customPatterns === undefined);
      const records = readAllWays(rng, text, options);
      checkSane(records, options, text);
      if (bytes !== undefined) assertSameRecords(parseChunks(randomChunks(rng, bytes), options), records, 'from the raw bytes in chunks', text);
    },
  },
];
