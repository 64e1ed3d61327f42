import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MetricRecord } from '../../src/core/parse/metricRecord';
import { StdoutParser } from '../../src/core/parse/stdoutParser';
import { corpusFiles, decodeRecords } from '../fixtures/stdout/corpus';
import { seededRandom } from '../support/seededRandom';

const dir = path.join(__dirname, '..', 'fixtures', 'stdout');
const files = corpusFiles(dir);

function parseAll(chunks: Iterable<string | Uint8Array>): MetricRecord[] {
  const p = new StdoutParser();
  const out: MetricRecord[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

function split<T extends string | Uint8Array>(whole: T, maxChunk: number, rnd: () => number): T[] {
  const parts: T[] = [];
  for (let i = 0; i < whole.length; ) {
    const n = 1 + Math.floor(rnd() * maxChunk);
    parts.push(whole.slice(i, i + n) as T);
    i += n;
  }
  return parts;
}

function counts(records: readonly MetricRecord[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const r of records) c[r.name] = (c[r.name] ?? 0) + 1;
  return c;
}

describe('stdout corpus', () => {
  it('has a recorded or hand-written source for every file and an expected result next to it', () => {
    const sources = fs.readFileSync(path.join(dir, 'SOURCES.md'), 'utf8');
    assert.ok(files.length >= 10, `only ${files.length} corpus files`);
    for (const f of files) {
      assert.ok(sources.includes(`\`${f}\``), `${f} is not described in SOURCES.md`);
      assert.ok(fs.existsSync(path.join(dir, f.replace(/\.txt$/, '.expected.json'))), `${f} has no .expected.json`);
    }
  });

  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dir, f));
    const expected = decodeRecords(fs.readFileSync(path.join(dir, f.replace(/\.txt$/, '.expected.json')), 'utf8'));

    it(`${f}: exact records (names, values, steps, epochs, lines)`, () => {
      const got = parseAll([bytes.toString('utf8')]);
      assert.deepEqual(counts(got), counts(expected));
      assert.deepEqual(got, expected);
    });

    it(`${f}: the same records from random chunks of text and of bytes`, () => {
      const text = bytes.toString('utf8');
      const rnd = seededRandom(f.length * 7919);
      for (let round = 0; round < 12; round++) {
        const max = round < 6 ? 1 + Math.floor(rnd() * 16) : 1 + Math.floor(rnd() * 4096);
        assert.deepEqual(parseAll(split(text, max, rnd)), expected, `text chunks of up to ${max} (round ${round})`);
        assert.deepEqual(parseAll(split(new Uint8Array(bytes), max, rnd)), expected, `byte chunks of up to ${max} (round ${round})`);
      }
    });
  }

  it('one character at a time gives the same records for the escape-heavy files', () => {
    for (const f of ['keras3_jax_verbose1.txt', 'hand_vscode_shell_integration.txt', 'lightning_replay_120cols.txt']) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const expected = decodeRecords(fs.readFileSync(path.join(dir, f.replace(/\.txt$/, '.expected.json')), 'utf8'));
      assert.deepEqual(parseAll(text), expected, f);
    }
  });
});

describe('StdoutParser streaming', () => {
  it('returns records as soon as their line ends, and the unterminated last line at end()', () => {
    const p = new StdoutParser();
    assert.deepEqual(p.push('loss=0.5'), []);
    assert.deepEqual(p.push(' acc=0.7\r'), []);
    assert.deepEqual(p.push('\nloss=0.4'), [
      { name: 'loss', value: 0.5, line: 1 },
      { name: 'acc', value: 0.7, line: 1 },
    ]);
    assert.deepEqual(p.end(), [{ name: 'loss', value: 0.4, line: 2 }]);
  });

  it('decodes UTF-8 split inside a character', () => {
    const bytes = new TextEncoder().encode('Epoch 1: 50%|█████     | loss=0.3]\n');
    const cut = bytes.indexOf(0xe2) + 1;
    const p = new StdoutParser();
    const got = [...p.push(bytes.slice(0, cut)), ...p.push(bytes.slice(cut)), ...p.end()];
    assert.deepEqual(got, [{ name: 'loss', value: 0.3, line: 1, epoch: 1 }]);
  });

  it('keeps memory bounded on an endless line and still reads the line start', () => {
    const p = new StdoutParser({ maxLineLength: 100 });
    p.push('loss=0.25 ');
    for (let i = 0; i < 1000; i++) p.push('x'.repeat(1000));
    assert.deepEqual(p.push('\nacc=1\n'), [
      { name: 'loss', value: 0.25, line: 1 },
      { name: 'acc', value: 1, line: 2 },
    ]);
  });

  it('cuts a line longer than maxLineLength whether it comes whole in one chunk or in pieces', () => {
    // Found by test/fuzz/stdoutParser.fuzz.ts: a whole line in a chunk was read uncut (records depended on chunking).
    const line = (v: string) => `${'x'.repeat(247)} v=${v}`;
    const text = `${line('123456789')}\r\n${line('987654321')}\r\n${line('123456789')}\n${'y'.repeat(300)} w=1\nacc=2\n`;
    const cut = [
      { name: 'v', value: 123456, line: 1 },
      { name: 'v', value: 987654, line: 2 },
      { name: 'v', value: 123456, line: 3 },
      { name: 'acc', value: 2, line: 5 },
    ];
    for (const rememberLineShapes of [true, false]) {
      for (const size of [text.length, 1, 100]) {
        const p = new StdoutParser({ maxLineLength: 256, rememberLineShapes });
        const got: MetricRecord[] = [];
        for (let i = 0; i < text.length; i += size) got.push(...p.push(text.slice(i, i + size)));
        assert.deepEqual([...got, ...p.end()], cut, `shapes ${rememberLineShapes}, chunks of ${size}`);
      }
    }
  });

  it('reads a cut line as its kept start alone: an escape in the part cut off does not change how it is stripped', () => {
    // Found by test/fuzz/stdoutParser.fuzz.ts: whole, the ESC past the cut had the kept `a=5\b6` stripped to a=56; in pieces, not.
    const kept = `a=5\b6${' '.repeat(15)}`;
    const text = `${kept}${' '.repeat(30)}\x1b[1mb=2\n`;
    const alone = new StdoutParser();
    const want = [...alone.push(`${kept}\n`), ...alone.end()];
    for (const size of [text.length, 1, 20, 21]) {
      const p = new StdoutParser({ maxLineLength: 20 });
      const got: MetricRecord[] = [];
      for (let i = 0; i < text.length; i += size) got.push(...p.push(text.slice(i, i + size)));
      assert.deepEqual([...got, ...p.end()], want, `chunks of ${size}`);
    }
  });
});
