import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StdoutParser } from '../../src/core/parse/stdoutParser';

/**
 * Lines are read in place inside a chunk, with searches that reuse what the
 * last line found. A search that ran on to the end of the chunk for every
 * line would make these take minutes instead of milliseconds.
 */
function timeParse(chunk: string): { ms: number; records: number } {
  const t0 = performance.now();
  const p = new StdoutParser();
  const records = p.push(chunk).length + p.end().length;
  return { ms: performance.now() - t0, records };
}

describe('stdout parser scaling', () => {
  const lines = 200_000;
  const cases: [string, string, number][] = [
    ['lines without separators, one pair at the end', `${'no separators here\r\n'.repeat(lines)}x=1\r\n`, 1],
    ['lines ending in } without {', `${'a=1 b}\r\n'.repeat(lines)}`, lines],
    ['pairs next to | without a bar', `${'a=1 | b: 2\r\n'.repeat(lines)}Epoch 1:  5%|█ | 1/9 [00:00<00:00, 9.0it/s, c=3]\r\n`, 2 * lines + 1],
    ["dict keys without an opening quote", `${"{x': 1, y': 2}\r\n".repeat(lines)}`, 0],
    ['JSON objects with escapes far apart', `${'{"a": 1}\r\n'.repeat(lines)}{"b\\\\": 2}\r\n`, lines + 1],
    ['bare \\n line ends', `${'step=1 loss=0.5\n'.repeat(lines)}`, lines],
  ];
  for (const [what, chunk, records] of cases) {
    it(`reads ${what} in linear time`, () => {
      const r = timeParse(chunk);
      assert.equal(r.records, records);
      assert.ok(r.ms < 3000, `${(chunk.length / 1e6).toFixed(1)} MB took ${r.ms.toFixed(0)} ms`);
    });
  }
});
