import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CustomPatternError } from '../../src/core/parse/customPatterns';
import type { MetricRecord, StdoutParserOptions } from '../../src/core/parse/metricRecord';
import { StdoutParser } from '../../src/core/parse/stdoutParser';

function parse(text: string, options: StdoutParserOptions): MetricRecord[] {
  const p = new StdoutParser(options);
  return [...p.push(text), ...p.end()];
}

describe('custom patterns', () => {
  it('takes name and value from named groups, and step/epoch when the pattern names them', () => {
    const customPatterns = [{ pattern: String.raw`^\[(?<step>\d+)\] (?<name>\w+) -> (?<value>\S+)$` }];
    assert.deepEqual(parse('[12] top1 -> 0.75\n[13] top5 -> 91%\n', { customPatterns }), [
      { name: 'top1', value: 0.75, step: 12, line: 1 },
      { name: 'top5', value: 91, step: 13, line: 2 },
    ]);
  });

  it('uses a fixed name with a value group, or with the first group', () => {
    const got = parse('BLEU = 27.3 (brevity 0.98)\nperplexity is 12.5\n', {
      customPatterns: [
        { pattern: String.raw`BLEU = (?<value>[\d.]+)`, name: 'bleu' },
        { pattern: String.raw`perplexity is ([\d.]+)`, name: 'ppl' },
      ],
    });
    assert.deepEqual(got, [
      { name: 'bleu', value: 27.3, line: 1 },
      { name: 'ppl', value: 12.5, line: 2 },
    ]);
  });

  it('finds every match in a line, honours flags, and skips values that are not numbers', () => {
    const got = parse('LOSS 0.5 loss 0.4 loss abc\n', { customPatterns: [{ pattern: String.raw`loss (?<value>\S+)`, name: 'loss', flags: 'i' }] });
    assert.deepEqual(
      got.map((r) => r.value),
      [0.5, 0.4],
    );
  });

  it('takes a matched line from the built-in formats (no value counted twice); other lines still use them', () => {
    const got = parse('step=3 loss=0.5 custom 7\nloss=0.25\n', { customPatterns: [{ pattern: String.raw`custom (?<value>\d+)`, name: 'c' }] });
    assert.deepEqual(got, [
      { name: 'c', value: 7, line: 1 },
      { name: 'loss', value: 0.25, line: 2 },
    ]);
  });

  it('sees the line with escapes stripped and after \\r redraws', () => {
    const got = parse('\x1b[1mscore\x1b[0m 1\rscore 2\r\n', { customPatterns: [{ pattern: String.raw`score (?<value>\d)`, name: 'score' }] });
    assert.deepEqual(got, [{ name: 'score', value: 2, line: 1 }]);
  });

  it('does not loop on a pattern that can match the empty string', () => {
    const got = parse('a 1\n', { customPatterns: [{ pattern: String.raw`(?<value>\d*)`, name: 'n' }] });
    assert.deepEqual(got, [{ name: 'n', value: 1, line: 1 }]);
  });
});

describe('unusable custom patterns', () => {
  const bad: [string, StdoutParserOptions['customPatterns'], RegExp][] = [
    [
      'an invalid regular expression',
      [
        { pattern: 'ok (?<value>\\d+)', name: 'a' },
        { pattern: 'loss (?<value>[0-9', name: 'b' },
      ],
      /customPatterns\[1\] "loss \(\?<value>\[0-9": not a valid regular expression \(Invalid regular expression/,
    ],
    ['an empty pattern', [{ pattern: '' }], /customPatterns\[0\] "": the pattern is empty/],
    [
      'no name group and no fixed name',
      [{ pattern: 'loss (?<value>\\S+)' }],
      /customPatterns\[0\] .*no metric name: add a named group \(\?<name>\.\.\.\) or set "name"/,
    ],
    ['no value group', [{ pattern: '(?<name>\\w+)=\\d+' }], /customPatterns\[0\] .*no value: add a named group \(\?<value>\.\.\.\)/],
    ['a fixed name but no group at all', [{ pattern: 'loss \\d+', name: 'loss' }], /no value/],
    [
      'a lookahead, which needs backtracking',
      [{ pattern: 'loss (?=\\d)(?<value>\\S+)', name: 'loss' }],
      /customPatterns\[0\] .*cannot be run in bounded time: lookahead, lookbehind and backreferences are not supported/,
    ],
    ['a backreference', [{ pattern: '(?<name>\\w)\\1 (?<value>\\d+)' }], /customPatterns\[0\] .*cannot be run in bounded time/],
  ];
  for (const [what, customPatterns, message] of bad) {
    it(`rejects ${what} with an error that names the pattern`, () => {
      assert.throws(
        () => new StdoutParser({ customPatterns }),
        (err: unknown) => err instanceof CustomPatternError && message.test(err.message),
      );
    });
  }
});

describe('custom patterns cannot hang the extension host', () => {
  it('runs a pattern that backtracks catastrophically in JavaScript in linear time', () => {
    // /(a+)+b/ on 30 "a"s takes minutes with a backtracking engine; here the whole line takes milliseconds.
    const line = `${'a'.repeat(50_000)}!\n`;
    const began = performance.now();
    assert.deepEqual(parse(line, { customPatterns: [{ pattern: '(a+)+b(?<value>\\d)', name: 'x' }] }), []);
    assert.ok(performance.now() - began < 5000, 'linear, not exponential');
  });

  it('switches off a pattern that takes longer than its budget on a line, naming it, and keeps the others', () => {
    const warnings: string[] = [];
    const parser = new StdoutParser({
      customPatterns: [
        { pattern: 'a (?<value>\\d+)', name: 'a' },
        { pattern: 'b (?<value>\\d+)', name: 'b' },
      ],
      onWarning: (m) => warnings.push(m),
      // A budget no real match can keep: each pattern is switched off after its first line.
      patternBudgetMs: -1,
    });
    const records = [...parser.push('a 1 b 2\na 3 b 4\n'), ...parser.end()];
    assert.deepEqual(
      records.map((r) => [r.name, r.value]),
      [
        ['a', 1],
        ['b', 2],
      ],
      'the first line is read, then both are off',
    );
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0]!,
      /^customPatterns\[0\] "a \(\?<value>.+\)" took \d+ ms on one line of 7 characters \(the budget is -1 ms\); it is switched off for this run$/,
    );
  });
});
