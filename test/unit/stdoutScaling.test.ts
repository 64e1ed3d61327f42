import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StdoutParser } from '../../src/core/parse/stdoutParser';

/**
 * Lines are read in place inside a chunk, with searches that reuse what the
 * last line found. A search that ran on to the end of the chunk for every
 * line would make the work grow with the square of the chunk's length.
 */
function parse(chunk: string): number {
  const p = new StdoutParser();
  return p.push(chunk).length + p.end().length;
}

/** CPU time, which unlike wall time does not grow while other processes have the cores. */
function cpuMs(chunks: readonly string[]): number {
  const before = process.cpuUsage();
  for (const chunk of chunks) parse(chunk);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('stdout parser scaling', () => {
  const lines = 2_500;
  const pieces = 16;
  const cases: [string, (n: number) => string, (n: number) => number][] = [
    ['lines without separators, one pair at the end', (n) => `${'no separators here\r\n'.repeat(n)}x=1\r\n`, () => 1],
    ['lines ending in } without {', (n) => `${'a=1 b}\r\n'.repeat(n)}`, (n) => n],
    ['pairs next to | without a bar', (n) => `${'a=1 | b: 2\r\n'.repeat(n)}Epoch 1:  5%|█ | 1/9 [00:00<00:00, 9.0it/s, c=3]\r\n`, (n) => 2 * n + 1],
    ['dict keys without an opening quote', (n) => `${"{x': 1, y': 2}\r\n".repeat(n)}`, () => 0],
    ['JSON objects with escapes far apart', (n) => `${'{"a": 1}\r\n'.repeat(n)}{"b\\\\": 2}\r\n`, (n) => n + 1],
    ['bare \\n line ends', (n) => `${'step=1 loss=0.5\n'.repeat(n)}`, (n) => n],
  ];
  for (const [what, chunkOf, recordsOf] of cases) {
    it(`reads ${what} in linear time`, () => {
      // The same lines in one chunk and in 16: the same work when linear, 16 times as much in one chunk when quadratic.
      const one = [chunkOf(pieces * lines)];
      const many: string[] = new Array(pieces).fill(chunkOf(lines));
      // Also warms the parser up, so that neither side pays for compiling it.
      assert.equal(parse(one[0]!), recordsOf(pieces * lines));
      assert.equal(parse(many[0]!), recordsOf(lines));
      // The least of a few turns each: garbage collection and a busy machine only ever add time.
      let [inOne, inMany] = [Infinity, Infinity];
      for (let turn = 0; turn < 3; turn++) {
        inOne = Math.min(inOne, cpuMs(one));
        inMany = Math.min(inMany, cpuMs(many));
      }
      // Measured between 0.5 and 1.5 on a loaded 2-core machine.
      assert.ok(inOne / inMany < 4, `one chunk took ${(inOne / inMany).toFixed(1)} times the CPU time of the same lines in ${pieces}`);
    });
  }
});
