// Values and tokens as src/core/parse/README.md documents them, each printed with the number the README says it is.
import { Rng } from './harness';

/** A printed value and the number it stands for. */
interface Printed {
  text: string;
  value: number;
}

/**
 * How one place of a line template is printed (a number's form and sign, a
 * token's kind, spacing), drawn from a seed of its own so that the lines of
 * a template share their shape (and the parser remembers it) while their
 * digits differ; now and then the seed is drawn anew.
 */
export class Look {
  private seed: number;

  constructor(rng: Rng) {
    this.seed = rng.int(2 ** 31);
  }

  /** The choices for one line. */
  next(rng: Rng, renew = 0.15): Rng {
    if (rng.bool(renew)) this.seed = rng.int(2 ** 31);
    return new Rng(this.seed);
  }
}

function digits(rng: Rng, min: number, max: number): string {
  let s = '';
  for (let n = rng.between(min, max); n > 0; n--) s += String(rng.int(10));
  return s;
}

/** An integer as programs print one: no leading zeros; now and then longer than a double holds exactly. */
function integer(rng: Rng): string {
  if (rng.bool(0.15)) return '0';
  return String(rng.between(1, 9)) + digits(rng, 0, rng.bool(0.1) ? 22 : 5);
}

function fraction(rng: Rng, max: number): string {
  return digits(rng, 1, rng.bool(0.1) ? 20 : max);
}

function sign(look: Rng): string {
  return look.bool(0.2) ? '-' : '';
}

function finite(text: string): Printed {
  return { text, value: Number(text) };
}

function anyCase(look: Rng, word: string): string {
  return [...word].map((c) => (look.bool() ? c.toUpperCase() : c)).join('');
}

function infinity(look: Rng, words: readonly string[]): Printed {
  const negative = look.bool(0.3);
  return { text: (negative ? '-' : '') + look.pick(words), value: negative ? -Infinity : Infinity };
}

/** The README's number forms: `1`, `-0.5`, `.5`, `1e-05`, `5E+3`; when `open`, also `91.2%`, nan and inf in any case. */
export function plainNumber(rng: Rng, look: Rng, open: boolean): Printed {
  switch (open ? look.pick([0, 0, 1, 1, 1, 1, 2, 3, 3, 4, 5, 6]) : look.int(4)) {
    case 0:
      return finite(sign(look) + integer(rng));
    case 1:
      return finite(`${sign(look)}${integer(rng)}.${fraction(rng, 6)}`);
    case 2:
      return finite(`${sign(look)}.${fraction(rng, 6)}`);
    case 3: {
      const mantissa = look.bool() ? integer(rng) : `${integer(rng)}.${fraction(rng, 5)}`;
      return finite(`${sign(look)}${mantissa}${look.pick(['e', 'E'])}${look.pick(['-', '+'])}${digits(rng, 1, 3)}`);
    }
    case 4: {
      const n = look.bool() ? integer(rng) : `${integer(rng)}.${fraction(rng, 3)}`;
      return { text: `${n}%`, value: Number(n) };
    }
    case 5:
      return { text: anyCase(look, 'nan'), value: NaN };
    default: {
      const inf = infinity(look, ['inf', 'infinity']);
      return { text: inf.text.replace(/[a-z]+/, (w) => anyCase(look, w)), value: inf.value };
    }
  }
}

/** JSON's grammar, and json.dumps' NaN, Infinity and -Infinity. */
export function jsonNumber(rng: Rng, look: Rng): Printed {
  const r = look.int(10);
  if (r === 0) return { text: 'NaN', value: NaN };
  if (r === 1) return infinity(look, ['Infinity']);
  let text = sign(look) + integer(rng);
  if (look.bool(0.6)) text += `.${fraction(rng, 8)}`;
  if (look.bool(0.2)) text += `${look.pick(['e', 'E'])}${look.pick(['', '-', '+'])}${digits(rng, 1, 3)}`;
  return finite(text);
}

/** As Python's repr prints an int or a float: `3`, `0.51`, `5e-05`, `1e+20`; when `open`, also `nan`, `inf`, `-inf`. */
function pythonNumber(rng: Rng, look: Rng, open: boolean): Printed {
  switch (look.int(open ? 5 : 3)) {
    case 0:
      return finite(sign(look) + integer(rng));
    case 1:
      return finite(`${sign(look)}${integer(rng)}.${fraction(rng, 6)}`);
    case 2:
      return finite(`${sign(look)}${rng.between(1, 9)}${look.bool() ? `.${digits(rng, 1, 4)}` : ''}e${look.pick(['-', '+'])}${digits(rng, 2, 3)}`);
    case 3:
      return { text: 'nan', value: NaN };
    default:
      return infinity(look, ['inf']);
  }
}

/** A dict value as the README shows them: a number, a quoted float (transformers 5), `np.float64(…)`, `tensor(…)`. */
export function pythonValue(rng: Rng, look: Rng, open: boolean): Printed {
  const n = pythonNumber(rng, look, open && look.int(3) !== 0);
  switch (look.int(6)) {
    case 0:
      return Number.isFinite(n.value) ? { text: `'${n.text}'`, value: n.value } : n;
    case 1:
      return { text: `np.float64(${n.text})`, value: n.value };
    case 2:
      return { text: look.bool() ? `tensor(${n.text})` : `tensor(${n.text}, device='cuda:0')`, value: n.value };
    default:
      return n;
  }
}

function timestamp(rng: Rng): string {
  const two = () => String(rng.int(60)).padStart(2, '0');
  return `${two()}:${two()}:${two()}`;
}

function thousands(rng: Rng, groups: number): string {
  let s = String(rng.between(1, 999));
  for (let k = 0; k < groups; k++) s += `,${String(rng.int(1000)).padStart(3, '0')}`;
  return s;
}

/** A token the README lists as not a metric, that starts with something other than a letter. */
export function unlettered(rng: Rng, look: Rng): string {
  const n = () => String(rng.between(1, 999));
  switch (look.int(10)) {
    case 0:
      return timestamp(rng);
    case 1:
      return `2024-0${rng.between(1, 9)}-1${rng.int(10)}`;
    case 2:
      return `${n()}.${n()}.${n()}`;
    case 3:
      return `/ckpt/epoch=${n()}-step=${n()}.ckpt`;
    case 4:
      return `--lr=0.${n()}`;
    case 5:
      return `\`max_epochs=${n()}\``;
    case 6:
      return thousands(rng, 2);
    case 7:
      return `${n()}.${rng.int(10)}s`;
    case 8:
      return `${n()}it/s`;
    default:
      return `${n()}GB`;
  }
}

/** A token the README lists as not a metric, or a plain word; a letter first, so never right after a `name: value`. */
export function lettered(rng: Rng, look: Rng): string {
  switch (look.int(4)) {
    case 0:
      return `v${rng.int(10)}.${rng.int(10)}.${rng.int(20)}`;
    case 1:
      return `torch==2.${rng.int(10)}.${rng.int(10)}`;
    case 2:
      return `http://localhost:${rng.between(1000, 9999)}/`;
    default:
      return look.pick(['INFO', 'Training', 'done']);
  }
}

/** A value with a unit, a second dot, colons or thousands: what makes `name=value` or `name: value` not a metric. */
export function notANumber(rng: Rng, look: Rng): string {
  switch (look.int(5)) {
    case 0:
      return `${rng.between(1, 99)}.${rng.int(10)}s`;
    case 1:
      return `${rng.between(1, 99)}it/s`;
    case 2:
      return `${rng.int(10)}.${rng.int(10)}.${rng.int(10)}`;
    case 3:
      return timestamp(rng);
    default:
      return thousands(rng, 1);
  }
}

// None of these is a step or epoch key, an ignored name or a parameter-line word, nor starts like a header.
const WORDS = [
  'loss',
  'acc',
  'accuracy',
  'lr',
  'grad_norm',
  'top5',
  'f1',
  'bleu',
  'perplexity',
  'mAP',
  'Loss',
  'val',
  'train',
  'eval',
  'samples_per_s',
  'wer',
  'kl',
  'x',
  'y2',
  'learning_rate',
  'throughput',
  'Accuracy',
];

export function word(rng: Rng): string {
  return rng.pick(WORDS);
}

/** A metric name not yet in `taken`: words joined by `joins`. */
export function metricName(rng: Rng, joins: readonly string[], taken: Set<string>): string {
  for (;;) {
    let name = word(rng);
    for (let k = rng.int(3); k > 0; k--) name += rng.pick(joins) + word(rng);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}
