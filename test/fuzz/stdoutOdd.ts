// Output no training script means to print: random bytes and code units, controls, broken escapes, endless lines.
import type { CustomPattern, StdoutParserOptions } from '../../src/core/parse/metricRecord';
import type { Rng } from './harness';
import { documentedTemplate } from './stdoutForms';
import { corpusLines, mutate, randomOptions } from './stdoutMutate';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

const SOUP = [
  '0',
  '1',
  '5',
  '9',
  '.',
  '-',
  '+',
  'e',
  'E',
  '%',
  '=',
  ':',
  ' ',
  '  ',
  '\t',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  "'",
  '"',
  '|',
  ',',
  '/',
  '_',
  'a',
  'Z',
  'nan',
  'inf',
  'Epoch ',
  'step',
  'it/s',
  '\r',
  '\n',
  '\r\n',
  '\x1b',
  '\x1b[',
  '\x1b]',
  '\x1b\\',
  '\x07',
  '\b',
  '\u009b',
  'é',
  '█',
  '\u{1F600}',
  '\uD800',
  '\uDC00',
  '\uFEFF',
  '\u2028',
];
/** Units an endless line is made of. */
const UNITS = ['x', 'a=1 ', 'loss: 0.5 ', '{"a": ', "'k': 1, ", '[', '9', '\x1b[', '\x1b]0;', '\r', ' ', 'é', '\u{1F600}', '=', ':'];

function codeUnits(rng: Rng, n: number, max: number): string {
  let s = '';
  for (; n > 0; n--) s += String.fromCharCode(rng.int(max));
  return s;
}

function piece(rng: Rng, long: boolean): string {
  switch (rng.int(long ? 9 : 8)) {
    case 0:
      return codeUnits(rng, rng.between(1, 200), 0x10000);
    case 1:
      return codeUnits(rng, rng.between(1, 200), 0xa0);
    case 2:
      return Array.from({ length: rng.between(1, 20) }, () => String.fromCodePoint(0x10000 + rng.int(0x100000))).join('');
    case 3:
    case 4:
      return Array.from({ length: rng.between(1, 120) }, () => rng.pick(SOUP)).join('');
    case 5:
      return mutate(rng, rng.bool() ? rng.pick(corpusLines()) : documentedTemplate(rng)(rng).text) + rng.pick(['\n', '\r\n', '\r', '']);
    case 6: {
      const depth = rng.between(1, 200);
      return `${'{"a": '.repeat(depth)}1${'}'.repeat(rng.bool() ? depth : rng.int(depth))}\n`;
    }
    case 7:
      return `${rng.pick(["{'a': 1, ", '{"a": 1, ', 'a=1 '])}${'\\'.repeat(rng.int(5))}${rng.pick(['"', "'"])}${rng.pick(['}', ': 2}', ''])}\n`;
    default:
      return rng.pick(UNITS).repeat(rng.between(1000, 100_000)) + rng.pick(['\n', ' loss=0.5\n', '']);
  }
}

function randomBytes(rng: Rng): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let k = rng.between(1, 6); k > 0; k--) {
    const r = rng.int(4);
    if (r === 0) parts.push(rng.bytes(rng.between(1, 300)));
    else if (r === 1)
      parts.push(
        Uint8Array.from(Array.from({ length: rng.between(1, 40) }, () => rng.pick([0xc0, 0xc3, 0xe2, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0xff, 0x0a, 0x0d, 0x1b]))),
      );
    else parts.push(encoder.encode(`${rng.pick(corpusLines())}\n`));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Odd output, as text; with the raw bytes it was decoded from when it came as bytes. */
export function oddOutput(rng: Rng, long: boolean): { text: string; bytes?: Uint8Array } {
  if (rng.bool(0.2)) {
    const bytes = randomBytes(rng);
    return { text: decoder.decode(bytes), bytes };
  }
  let text = '';
  for (let k = rng.between(1, 8); k > 0; k--) text += piece(rng, long && rng.bool(0.1));
  return { text };
}

// Linear-time patterns (an endless line must not make a regex backtrack for minutes); some can match an empty string.
const PATTERNS: readonly CustomPattern[] = [
  { pattern: String.raw`(?<name>[a-z]+)=(?<value>[-\d.e]+)` },
  { pattern: String.raw`(?<name>[a-z]*)(?<value>\d*)` },
  { pattern: String.raw`BLEU = (?<value>\S+)`, name: 'bleu' },
  { pattern: String.raw`x*(\d*)`, name: 'n' },
  { pattern: String.raw`step (?<step>\d+) loss (?<value>\S+)`, name: 'loss' },
  { pattern: String.raw`(?<epoch>\d*)(?<name>.?)(?<value>.*)` },
  { pattern: String.raw`^(?<name>[^:]+): (?<value>\S+)` },
];

/** Parser options for odd input; custom patterns now and then (then without endless lines, see PATTERNS). */
export function oddOptions(rng: Rng): StdoutParserOptions {
  const options = rng.bool(0.5) ? randomOptions(rng) : {};
  if (rng.bool(0.2)) {
    options.customPatterns = Array.from({ length: rng.between(1, 3) }, () => ({
      ...rng.pick(PATTERNS),
      flags: rng.pick(['', 'i', 'u', 'iu', 'm', 's', 'mu']),
    }));
    // The per-line time budget switches a pattern off when the machine stalls (a GC pause, a busy CPU): readings compared must not depend on the clock.
    options.patternBudgetMs = Infinity;
  }
  return options;
}
