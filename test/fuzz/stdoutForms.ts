// Output lines in the forms src/core/parse/README.md documents, each made together with the records it must give.
// Written from the README alone (not from the parser's code), as the other side of a differential check. Forms whose
// reading the README leaves open are not made: see the parse README's paragraph on the fuzzers.
import type { MetricRecord } from '../../src/core/parse/metricRecord';
import type { Rng } from './harness';
import { jsonNumber, lettered, Look, metricName, notANumber, plainNumber, pythonValue, unlettered, word } from './stdoutFormValues';

/** One output line, and what it must give: its metrics (in any order) and the step and epoch it names. */
interface FormLine {
  text: string;
  metrics: { name: string; value: number }[];
  step?: number;
  epoch?: number;
  /** A line of `name=value`/`name: value` pairs (not JSON, not a dict): without a step and an epoch of its own, it takes the step of the line before. */
  pairs?: boolean;
  /** A line that is nothing but a step (`Step 12`): the next line of pairs takes it, as after a line whose records had one. */
  stepAlone?: boolean;
}

const STEP_KEYS = ['step', 'global_step', 'globalstep', '_step', 'iteration', 'iter', 'it', 'trainer/global_step', 'val/step'];

type Role = 'metric' | 'step' | 'epoch' | 'ignored' | 'unit';

interface Slot {
  role: Role;
  name: string;
  /** The name as printed: now and then with a trailing `.`, `/` or `-`, which the README says is dropped. */
  printed: string;
  colon: boolean;
  /** For `=`: the spaces around it. */
  equals: string;
  look: Look;
  /** Tokens that are not metrics printed after the pair. */
  noise: Look[];
}

function noiseToken(rng: Rng, look: Rng, afterColonValue: boolean, beforeWordyPair = false): string {
  // After a `name: value`, a bare word would make it prose, so only tokens that start otherwise follow one;
  // before a `name: value` or `name = value` a word would be part of the name (`Avg. loss: 0.5`), and a
  // `name=value` between words is prose (`more than tol=0.0001 for 10 epochs`).
  return afterColonValue || beforeWordyPair || look.bool() ? unlettered(rng, look) : lettered(rng, look);
}

/** Whether a word may not stand right before the slot's name (see noiseToken). */
function wordy(slot: Slot | undefined): boolean {
  return slot !== undefined && (slot.colon || slot.equals === ' = ' || slot.noise.length > 0);
}

/**
 * The README's logging prefix as the noise tokens can make one: a date (`2024-06-01`, `06/01`) and a time
 * (`12:01:10`, `12:01:10,123`). Two tokens that happen to form it (a date, then a timestamp) are one.
 */
const LOGGING_PREFIX = /^(?:\d+-\d+-\d+|\d+\/\d+) \d+:\d+:\d+(?:[.,]\d+)?$/;

/** A line of pairs: `[header ]name=value, name: value …`, with tokens that are not metrics between them. */
function pairsTemplate(rng: Rng): (rng: Rng) => FormLine {
  const header = rng.bool(0.3) ? rng.int(6) : -1;
  const headerTotal = rng.between(1, 500);
  const prefix = header < 0 && rng.bool(0.3) ? Array.from({ length: rng.between(1, 2) }, () => new Look(rng)) : [];
  const colonLine = rng.bool();
  let haveStep = header >= 4;
  let haveEpoch = header >= 0 && header < 4;
  const taken = new Set<string>();
  const slots: Slot[] = [];
  for (let n = rng.between(1, 5); n > 0; n--) {
    let role: Role = 'metric';
    let name: string;
    const r = rng.float();
    if (r < 0.1 && !haveStep) {
      role = 'step';
      haveStep = true;
      name = rng.pick(STEP_KEYS);
    } else if (r < 0.18 && !haveEpoch) {
      role = 'epoch';
      haveEpoch = true;
      name = 'epoch';
    } else if (r < 0.22) {
      role = 'ignored';
      name = rng.pick(['v_num', 'LOCAL_RANK']);
    } else if (r < 0.27) {
      role = 'unit';
      name = metricName(rng, ['_'], taken);
    } else name = metricName(rng, ['/', '.', '-', '_'], taken);
    const printed = role === 'metric' && rng.bool(0.06) ? name + rng.pick(['.', '/', '-']) : name;
    const noise = Array.from({ length: rng.bool(0.12) ? rng.between(1, 2) : 0 }, () => new Look(rng));
    slots.push({ role, name, printed, colon: rng.bool(0.85) === colonLine, equals: rng.pick(['=', '=', ' = ', '= ', ' =']), look: new Look(rng), noise });
  }
  const separator = rng.pick([' ', '  ', ', ', ' - ']);
  return (rng) => {
    const line: FormLine = { text: '', metrics: [], pairs: true };
    const prefixText = prefix.map((l, k) => noiseToken(rng, l.next(rng), false, k === prefix.length - 1 && wordy(slots[0]))).join(' ');
    let text = prefixText;
    const add = (piece: string, before: string): void => {
      text += (text === '' ? '' : before) + piece;
    };
    if (header >= 0) {
      const n = rng.between(0, 10 ** rng.between(1, 9));
      add([`Epoch ${n}/${headerTotal}`, `Epoch ${n}:`, `[Epoch ${n}]`, `Epoch: ${n}`, `Step ${n}`, `Iter ${n}`][header]!, ' ');
      if (header < 4) line.epoch = n;
      else line.step = n;
    }
    slots.forEach((slot, k) => {
      const look = slot.look.next(rng);
      const gap = slot.colon ? `:${look.pick([' ', '  '])}` : slot.equals;
      const value = slot.role === 'unit' ? undefined : plainNumber(rng, look, slot.role === 'metric' || slot.role === 'ignored');
      add(slot.printed + gap + (value?.text ?? notANumber(rng, look)), k > 0 ? separator : ' ');
      if (value !== undefined) {
        if (slot.role === 'metric') line.metrics.push({ name: slot.name, value: value.value });
        else if (slot.role === 'step') line.step = value.value;
        else if (slot.role === 'epoch') line.epoch = value.value;
      }
      slot.noise.forEach((l, n) => {
        const last = n === slot.noise.length - 1;
        add(noiseToken(rng, l.next(rng), slot.colon && value !== undefined, last && wordy(slots[k + 1])), ' ');
      });
    });
    line.text = text;
    // A lone step pair (`iteration = 7`), alone or after a logging prefix, is a line that is nothing but a step.
    line.stepAlone =
      header < 0 && (prefix.length === 0 || LOGGING_PREFIX.test(prefixText)) && slots.length === 1 && slots[0]!.role === 'step' && slots[0]!.noise.length === 0;
    return line;
  };
}

interface JsonField {
  key: string;
  kind: 'metric' | 'string' | 'object' | 'step' | 'epoch';
  look: Look;
  inner?: JsonField[];
}

function jsonFields(rng: Rng, depth: number, keys: { step: boolean; epoch: boolean }): JsonField[] {
  const fields: JsonField[] = [];
  const used = new Set<string>();
  for (let n = rng.between(depth === 0 ? 1 : 0, 4); n > 0; n--) {
    const r = rng.float();
    const look = new Look(rng);
    if (r < 0.08 && !keys.step) {
      keys.step = true;
      fields.push({ key: rng.pick(['step', 'global_step', 'iteration']), kind: 'step', look });
    } else if (r < 0.14 && depth === 0 && !keys.epoch) {
      keys.epoch = true;
      fields.push({ key: 'epoch', kind: 'epoch', look });
    } else if (r < 0.22 && depth < 2) fields.push({ key: uniqueKey(rng, used), kind: 'object', look, inner: jsonFields(rng, depth + 1, keys) });
    else fields.push({ key: uniqueKey(rng, used), kind: r < 0.3 ? 'string' : 'metric', look });
  }
  return fields;
}

function uniqueKey(rng: Rng, used: Set<string>): string {
  for (;;) {
    const key = rng.bool(0.8) ? word(rng) : `${word(rng)}/${word(rng)}`;
    if (!used.has(key)) {
      used.add(key);
      return key;
    }
  }
}

/** A JSON object line (`{"loss": 0.5, "step": 10, "eval": {"acc": 0.9}}`): nested names join with `/`. */
function jsonTemplate(rng: Rng): (rng: Rng) => FormLine {
  const fields = jsonFields(rng, 0, { step: false, epoch: false });
  const compact = rng.bool(0.3);
  const write = (rng: Rng, fs: readonly JsonField[], prefix: string, line: FormLine): string => {
    const items = fs.map((f) => {
      let value: string;
      if (f.kind === 'object') value = write(rng, f.inner!, `${prefix}${f.key}/`, line);
      else if (f.kind === 'string') value = JSON.stringify(f.look.next(rng).pick(['start', 'mlp-2x64', 'cuda', 'ok done']));
      else if (f.kind === 'metric') {
        const n = jsonNumber(rng, f.look.next(rng));
        line.metrics.push({ name: prefix + f.key, value: n.value });
        value = n.text;
      } else {
        const n = rng.int(100000);
        line[f.kind] = n;
        value = String(n);
      }
      return `${JSON.stringify(f.key)}${compact ? ':' : ': '}${value}`;
    });
    return `{${items.join(compact ? ',' : ', ')}}`;
  };
  return (rng) => {
    const line: FormLine = { text: '', metrics: [] };
    line.text = write(rng, fields, '', line);
    return line;
  };
}

/** A Python dict line (`{'loss': 0.51, 'epoch': 1.0}`); a nested dict's keys lose their outer key. */
function dictTemplate(rng: Rng): (rng: Rng) => FormLine {
  const taken = new Set<string>();
  type Entry = { key: string; role: 'metric' | 'step' | 'epoch'; look: Look };
  type Item = Entry | { key: string; inner: Entry[] };
  const items: Item[] = [];
  let haveStep = false;
  let haveEpoch = false;
  const metric = (joins: readonly string[]): Entry => ({ key: metricName(rng, joins, taken), role: 'metric', look: new Look(rng) });
  for (let n = rng.between(1, 6); n > 0; n--) {
    const r = rng.float();
    if (r < 0.1 && !haveStep) {
      haveStep = true;
      items.push({ key: rng.pick(['step', 'global_step']), role: 'step', look: new Look(rng) });
    } else if (r < 0.2 && !haveEpoch) {
      haveEpoch = true;
      items.push({ key: 'epoch', role: 'epoch', look: new Look(rng) });
    } else if (r < 0.27) items.push({ key: metricName(rng, ['_'], taken), inner: Array.from({ length: rng.between(1, 2) }, () => metric(['_', '/'])) });
    else items.push(metric(['_', '/', '.']));
  }
  return (rng) => {
    const line: FormLine = { text: '', metrics: [] };
    const entry = (e: Entry): string => {
      const v = pythonValue(rng, e.look.next(rng), e.role === 'metric');
      if (e.role === 'metric') line.metrics.push({ name: e.key, value: v.value });
      else line[e.role] = v.value;
      return `'${e.key}': ${v.text}`;
    };
    line.text = `{${items.map((it) => ('inner' in it ? `'${it.key}': {${it.inner.map(entry).join(', ')}}` : entry(it))).join(', ')}}`;
    return line;
  };
}

/** A header on a line of its own (Keras' `Epoch 3/10`), or a line the README says holds no metric. */
function quietLine(rng: Rng): FormLine {
  const n = rng.between(0, 999);
  switch (rng.int(9)) {
    case 0:
      return { text: rng.pick([`Epoch ${n}/${n + rng.int(100)}`, `Epoch ${n}:`, `[Epoch ${n}]`, `Epoch: ${n}`]), metrics: [], epoch: n };
    case 1:
      return { text: rng.pick([`Step ${n}`, `Iter ${n}`, `step: ${n}`]), metrics: [], step: n, stepAlone: true };
    case 2:
      return { text: `Note: ${rng.between(1, 8)} GPUs were found`, metrics: [] };
    case 3:
      return { text: `params ${word(rng)}=${n} ${word(rng)}=0.${n}`, metrics: [] };
    case 4:
      return {
        text: rng.pick([
          `hparams: {'${word(rng)}': 0.${n}}`,
          `config: ${word(rng)}=${n}`,
          `args ${word(rng)}=${n}`,
          `Namespace(${word(rng)}=0.${n}, batch_size=${n})`,
        ]),
        metrics: [],
      };
    case 5:
      return { text: Array.from({ length: rng.between(1, 4) }, () => noiseToken(rng, rng, false)).join(' '), metrics: [] };
    case 6:
      return { text: 'Using device: cpu', metrics: [] };
    case 7:
      return { text: `${rng.pick(['v_num', 'LOCAL_RANK'])}=${n}`, metrics: [] };
    default:
      return { text: '', metrics: [] };
  }
}

const DATA_SETS = ['train', 'valid', 'valid_0', 'validation_1', 'eval', 'training', 'test', 'learn'];
const BOOSTING_METRICS = ['logloss', 'auc', 'l2', 'l1', 'rmse', 'error', 'binary_logloss', 'mae'];
/** First words of a two-word name that are not data sets (`Avg. loss`), and data sets (`train loss` → `train-loss`). */
const FIRST_WORDS = ['Avg.', 'Average', 'Mean', 'Final', 'Current'];
const SET_WORDS = ['train', 'val', 'Validation', 'test', 'eval', 'Training'];

/**
 * The round lines of gradient boosting and similar loops: XGBoost `[12]	train-logloss:0.5`, LightGBM `[12]	valid's
 * l2: 0.5` (`valid-l2`), CatBoost `12:	learn: 0.5	test: 0.6	best: 0.6 (12)	total: 5.2ms	remaining: 1.2s`,
 * nanoGPT `iter 12: loss 2.3, time 48.5ms, mfu 4.2%`, and names of two words before a colon (`Avg. loss: 0.5`,
 * `train loss: 0.5` → `train-loss`), after an optional `Epoch N` or `Step N` header.
 */
function roundTemplate(rng: Rng): (rng: Rng) => FormLine {
  const kind = rng.int(5);
  const sets = [...new Set(Array.from({ length: rng.between(1, 2) }, () => rng.pick(DATA_SETS)))];
  const metrics = [...new Set(Array.from({ length: rng.between(1, 2) }, () => rng.pick(BOOSTING_METRICS)))];
  const items = sets.flatMap((set) => metrics.map((metric) => ({ set, metric, look: new Look(rng) })));
  const words = [...new Set(Array.from({ length: rng.between(1, 3) }, () => word(rng)))].map((w) => ({
    first: rng.bool() ? rng.pick(FIRST_WORDS) : rng.pick(SET_WORDS),
    w,
    look: new Look(rng),
  }));
  const header = rng.int(3);
  const separator = rng.pick([', ', ' - ', '  ', '\t']);
  return (rng) => {
    const line: FormLine = { text: '', metrics: [], pairs: true };
    const n = rng.between(0, 10 ** rng.between(1, 5));
    const value = (look: Look): { text: string; value: number } => plainNumber(rng, look.next(rng), false);
    if (kind <= 1) {
      line.step = n;
      line.text = `[${n}]${items
        .map((it) => {
          const v = value(it.look);
          line.metrics.push({ name: `${it.set}-${it.metric}`, value: v.value });
          return kind === 0 ? `\t${it.set}-${it.metric}:${v.text}` : `\t${it.set}'s ${it.metric}: ${v.text}`;
        })
        .join('')}`;
    } else if (kind === 2) {
      line.step = n;
      const parts = ['learn', 'test'].slice(0, rng.between(1, 2)).map((name) => {
        const v = value(items[0]!.look);
        line.metrics.push({ name, value: v.value });
        return `${name}: ${v.text}`;
      });
      line.text = `${n}:\t${parts.join('\t')}\tbest: ${value(items[0]!.look).text} (${n})\ttotal: ${rng.between(1, 99)}.${rng.int(10)}ms\tremaining: ${rng.between(1, 9)}s`;
    } else if (kind === 3) {
      line.step = n;
      const loss = value(items[0]!.look);
      const mfu = value(items[0]!.look);
      line.metrics.push({ name: 'loss', value: loss.value }, { name: 'mfu', value: mfu.value });
      line.text = `iter ${n}: loss ${loss.text}, time ${rng.between(1, 999)}.${rng.between(10, 99)}ms, mfu ${mfu.text}%`;
    } else {
      const parts = words.map((x) => {
        const v = plainNumber(rng, x.look.next(rng), true);
        line.metrics.push({ name: SET_WORDS.includes(x.first) ? `${x.first}-${x.w}` : `${x.first} ${x.w}`, value: v.value });
        return `${x.first} ${x.w}: ${v.text}`;
      });
      let text = parts.join(separator);
      if (header === 1) {
        line.epoch = n;
        text = `Epoch ${n}: ${text}`;
      } else if (header === 2) {
        line.step = n;
        text = `Step ${n} ${text}`;
      }
      line.text = text;
    }
    return line;
  };
}

export function documentedTemplate(rng: Rng): (rng: Rng) => FormLine {
  const r = rng.int(12);
  if (r < 5) return pairsTemplate(rng);
  if (r >= 10) return roundTemplate(rng);
  return r < 7 ? jsonTemplate(rng) : dictTemplate(rng);
}

const ESCAPES = [
  '\x1b[1m',
  '\x1b[0m',
  '\x1b[32;1m',
  '\x1b[38;5;208m',
  '\x1b[K',
  '\x1b[2K',
  '\x1b[A',
  '\x1b]0;train.py\x07',
  '\x1b]633;A\x07',
  '\x1b]8;;https://example.org\x1b\\',
  '\x1b(B',
  '\x1b=',
];
/** Redraws that a later one replaces; none starts with `Epoch`, which would count (README, `\r` redraws). */
const REPLACED = ['  5%|█▌        | 5/100 [00:01<00:19,  4.90it/s]', 'Loading...', '   ', '', '\x1b[2K'];

/** The line as a terminal may carry it: escapes anywhere, replaced redraws before it, a clearing redraw after it. */
export function decorate(rng: Rng, text: string): string {
  let out = text;
  if (rng.bool(0.15)) {
    // Into the line's own text, from the end, so that no escape lands inside another.
    const at = Array.from({ length: rng.between(1, 3) }, () => rng.between(0, text.length)).sort((a, b) => b - a);
    for (const i of at) out = out.slice(0, i) + rng.pick(ESCAPES) + out.slice(i);
  }
  if (text.trim() === '') return out;
  if (rng.bool(0.08)) out = `\r${Array.from({ length: rng.between(1, 3) }, () => rng.pick(REPLACED)).join('\r')}\r${out}`;
  if (rng.bool(0.05)) out += `\r${rng.pick([' '.repeat(rng.between(1, 80)), '\x1b[K', '\x1b[2K'])}`;
  return out;
}

/**
 * A run's output in documented forms: a few line shapes, each printed again
 * and again with new values (so the parser remembers them), between headers
 * and lines that hold no metric; `\n` or `\r\n` ends. The records follow the
 * README: the epoch carries over until another is printed, the step belongs
 * to its line, or goes on to the next line of pairs that has none (from a line
 * that is nothing but a step, too).
 */
export function documentedOutput(rng: Rng): { text: string; records: MetricRecord[] } {
  const templates = Array.from({ length: rng.between(1, 6) }, () => documentedTemplate(rng));
  const records: MetricRecord[] = [];
  let text = '';
  let epoch: number | undefined;
  let carryStep: number | undefined;
  let carryLine = -1;
  let current = rng.pick(templates);
  const count = rng.between(8, 40);
  for (let line = 1; line <= count; line++) {
    if (rng.bool(0.25)) current = rng.pick(templates);
    const form = rng.bool(0.15) ? quietLine(rng) : current(rng);
    if (form.epoch !== undefined) epoch = form.epoch;
    // A line of pairs with neither step nor epoch of its own, right after a line whose records had a step (or a line that
    // is nothing but a step), takes that step.
    const step = form.step ?? (form.pairs && form.epoch === undefined && carryLine === line - 1 ? carryStep : undefined);
    for (const m of form.metrics) {
      const r: MetricRecord = { name: m.name, value: m.value, line };
      if (step !== undefined) r.step = step;
      if (epoch !== undefined) r.epoch = epoch;
      records.push(r);
    }
    if ((form.metrics.length > 0 || form.stepAlone) && step !== undefined) {
      carryStep = step;
      carryLine = line;
    }
    text += decorate(rng, form.text);
    if (line < count || rng.bool(0.7)) text += rng.bool(0.4) ? '\r\n' : '\n';
  }
  return { text, records };
}
