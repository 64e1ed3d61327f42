// Realistic training output for the line-shapes differential: corpus lines and documented forms, printed again with
// other digits (so a remembered shape is tried on them) and mutated where the recognisers look (so it is tried on near misses).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STDOUT_FORMATS, type StdoutParserOptions } from '../../src/core/parse/metricRecord';
import { corpusFiles } from '../fixtures/stdout/corpus';
import type { Rng } from './harness';
import { decorate, documentedTemplate } from './stdoutForms';
import { NOT_NUMBERS, VALUE_PREFIXES, VALUE_SUFFIXES } from './stdoutValueForms';

/** The parser's own corpus and issue 15's corpus of training libraries' output. */
const CORPORA = [path.join(__dirname, '..', 'fixtures', 'stdout'), path.join(__dirname, '..', 'fixtures', 'stdout-corpus')];
let corpus: string[] | undefined;

/** Every distinct corpus line without its ending; of a line redrawn many times, its last three redraws. */
export function corpusLines(): readonly string[] {
  if (corpus === undefined) {
    const lines = new Set<string>();
    for (const dir of CORPORA) {
      for (const f of corpusFiles(dir)) {
        for (const raw of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
          lines.add((raw.endsWith('\r') ? raw.slice(0, -1) : raw).split('\r').slice(-3).join('\r'));
        }
      }
    }
    corpus = [...lines];
  }
  return corpus;
}

function digits(rng: Rng, n: number): string {
  let s = '';
  for (; n > 0; n--) s += String(rng.int(10));
  return s;
}

/** The line with every run of digits replaced by other digits, fewer or more of them: what a remembered shape must read. */
function otherDigits(rng: Rng, line: string): string {
  return line.replace(/\d+/g, (run) => digits(rng, rng.bool(0.05) ? rng.between(16, 25) : Math.max(1, run.length + rng.between(-2, 2))));
}

/** What a number may become: other forms, starting like it or not, and things that only look like numbers. */
const FORMS = [
  '7',
  '12345',
  '0.5',
  '-0.25',
  '.5',
  '3.',
  '+2',
  '1e-05',
  '5E+3',
  '1e5',
  'nan',
  'NaN',
  '-nan',
  'inf',
  '-inf',
  'Infinity',
  '-Infinity',
  '91.2%',
  '5%',
  ...NOT_NUMBERS,
  '5(7)',
  'nan(7)',
  'np.float64(5)',
  "'5'",
  "'nan'",
  '"5"',
  '24640937033337155555',
  '0.1234567890123456789',
  '1e400',
  '1e-400',
  '-0',
  '-0.0',
  '00012',
  '5e',
  '1.5e+',
  '.',
  '[5]',
  '5]',
  '(5)',
  '5/10',
];
/** Around a value, places where a recogniser decides by the value's first character or by what follows it. */
const BEFORE = [...VALUE_PREFIXES, 'epoch=', 'Epoch ', 'x: ', '{"a": {"b": ', 'it=', "{'loss': '"];
const AFTER = [...VALUE_SUFFIXES, '/10 x=1', '.5 x=1', 'e5 x=1', ' step 7 x=1', '}}', "'}", '] x=1'];

/** What is put in near a value or a name. */
const PIECES = [
  ' ',
  '  ',
  '=',
  ':',
  ': ',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  "'",
  '`',
  '|',
  '%',
  '.',
  ',',
  '-',
  '+',
  '/',
  '_',
  'e',
  'E',
  'a',
  'Z',
  'x',
  '0',
  '5',
  '9',
  '\t',
  ';',
  '#',
  '$',
  '<',
  '>',
  '!',
  '\\',
  'é',
  '█',
  '\u{1F600}',
  '\x1b[1m',
  '\x1b[0m',
  '\x1b]0;t\x07',
  '\r',
  '\r  ',
  '\b',
  '\x00',
  '\x7f',
  '\u009b',
  'nan',
  'inf',
  'Infinity',
  'np.float64(',
  'tensor(',
  'Epoch 3 ',
  'epoch',
  'step',
  'it',
  'iter ',
  'step=',
  'epoch=',
  ' it/s',
  '|',
  'e-5',
  '1.',
  '.5',
  "'a': ",
  '"a": ',
  'v_num=1 ',
];

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?%?|nan|inf(?:inity)?/gi;
const INTEREST = /[A-Za-z_][\w./-]*|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?%?|[=:{}'"[\]|,()%]/g;

/** Starts and ends of the line's names, numbers and separators: where the recognisers decide. */
function interesting(line: string): number[] {
  const at: number[] = [];
  for (const m of line.matchAll(INTEREST)) at.push(m.index, m.index + m[0].length);
  return at;
}

function near(rng: Rng, line: string): number {
  const at = interesting(line);
  const p = at.length > 0 && rng.bool(0.9) ? rng.pick(at) + rng.between(-2, 2) : rng.between(0, line.length);
  return Math.max(0, Math.min(line.length, p));
}

function numbers(line: string): RegExpMatchArray[] {
  return [...line.matchAll(NUMBER)];
}

/** One change at a place where the recognisers look. */
function mutateOnce(rng: Rng, line: string): string {
  const nums = numbers(line);
  const op = rng.int(9);
  if (op <= 2 && nums.length > 0) {
    const m = rng.pick(nums);
    const i = m.index!;
    const by =
      op === 0
        ? rng.pick(FORMS)
        : op === 1
          ? rng.pick(['[', '(', "'", '"', '-', '+', '']) + m[0] + rng.pick([']', ')', "'", '"', '%', '.', ''])
          : m[0].replace(/\d/, (d) => digits(rng, rng.between(0, 3)) + d);
    return line.slice(0, i) + by + line.slice(i + m[0].length);
  }
  const p = near(rng, line);
  switch (op) {
    case 3:
      return line.slice(0, p) + line.slice(p + rng.between(1, 3));
    case 4:
      return line.slice(0, p) + rng.pick(PIECES) + line.slice(p + 1);
    case 5: {
      const c = line.charAt(p);
      return line.slice(0, p) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + line.slice(p + 1);
    }
    case 6:
      // A terminal-width cut.
      return line.slice(0, p);
    case 7: {
      const q = near(rng, line);
      return line.slice(0, Math.max(p, q)) + line.slice(Math.min(p, q), Math.max(p, q)) + line.slice(Math.max(p, q));
    }
    default:
      return line.slice(0, p) + rng.pick(PIECES) + line.slice(p);
  }
}

export function mutate(rng: Rng, line: string): string {
  let out = mutateOnce(rng, line);
  for (let k = rng.int(3); k > 0; k--) out = mutateOnce(rng, out);
  return out;
}

/** A line printed again and again (from the corpus with other digits, a value in every form between the same neighbours, or a documented form with new values), and a mutant of it. */
interface Family {
  base: string;
  next: () => string;
  mutant: string;
}

function family(rng: Rng): Family {
  let base: string;
  let next: () => string;
  const r = rng.float();
  if (r < 0.45) {
    base = rng.pick(corpusLines());
    next = () => otherDigits(rng, base);
  } else if (r < 0.6) {
    const before = rng.pick(BEFORE);
    const after = rng.pick(AFTER);
    base = before + rng.pick(FORMS) + after;
    next = () => before + (rng.bool() ? otherDigits(rng, rng.pick(FORMS)) : rng.pick(FORMS)) + after;
  } else {
    const template = documentedTemplate(rng);
    base = template(rng).text;
    next = () => template(rng).text;
  }
  return { base, next, mutant: mutate(rng, base) };
}

/**
 * A run's output: a few families of lines, printed mostly in runs (a shape is
 * remembered after two lines with the same start in a row) as new values,
 * mutants with other digits, fresh mutants; decorated and ended as a
 * terminal may.
 */
export function realisticOutput(rng: Rng): string {
  const families = Array.from({ length: rng.between(1, 6) }, () => family(rng));
  let f = rng.pick(families);
  let text = '';
  for (let n = rng.between(10, 50); n > 0; n--) {
    if (rng.bool(0.25)) f = rng.pick(families);
    const r = rng.float();
    let line: string;
    if (r < 0.4) line = f.next();
    else if (r < 0.6) line = otherDigits(rng, f.mutant);
    else if (r < 0.8) line = mutate(rng, f.next());
    else if (r < 0.9) line = f.base;
    else line = f.mutant = mutate(rng, f.base);
    text += decorate(rng, line);
    if (n > 1 || rng.bool(0.7)) text += rng.bool(0.4) ? '\r\n' : '\n';
  }
  return text;
}

/** Options other than the defaults: short lines (the plugin allows 256 and up; the parser any), formats off, non-finite values dropped, names ignored. */
export function randomOptions(rng: Rng): StdoutParserOptions {
  const options: StdoutParserOptions = {};
  if (rng.bool(0.5)) options.maxLineLength = rng.pick([1, 8, 20, 40, 64, 100, 256, 300, 400, 512, 600]);
  if (rng.bool(0.3)) options.keepNonFinite = false;
  if (rng.bool(0.4)) options.formats = Object.fromEntries(STDOUT_FORMATS.map((f) => [f, rng.bool(0.7)]));
  if (rng.bool(0.3)) options.ignoreNames = rng.pick([[], ['loss'], ['loss', 'acc', 'v_num'], ['Loss', 'x']]);
  return options;
}
