import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { MetricRecord } from '../../src/core/parse/metricRecord';
import { StdoutParser } from '../../src/core/parse/stdoutParser';
import { corpusFiles } from '../fixtures/stdout/corpus';
import { NOT_NUMBERS, VALUE_PREFIXES, VALUE_SUFFIXES } from '../fuzz/stdoutValueForms';
import { seededRandom } from '../support/seededRandom';

const dir = path.join(__dirname, '..', 'fixtures', 'stdout');

function parse(text: string, rememberLineShapes: boolean, chunk = text.length): MetricRecord[] {
  const p = new StdoutParser({ rememberLineShapes });
  const out: MetricRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...p.push(text.slice(i, i + chunk)));
  out.push(...p.end());
  return out;
}

/** Parses with and without remembered line shapes; they must agree record for record. */
function assertSame(text: string, message: string, chunk?: number): MetricRecord[] {
  const fresh = parse(text, false, chunk);
  assert.deepEqual(parse(text, true, chunk), fresh, message);
  return fresh;
}

/** What a number in a line may become: other digits, other number forms, and things that are not numbers. */
const REPLACEMENTS = ['7', '12345', '0.5', '-0.25', '.5', '3.', '1e-05', '5E+3', 'nan', 'inf', '-Infinity', '91.2%', ...NOT_NUMBERS];

/** The line with each run of digits (and the number around it) replaced at random, and now and then a character changed. */
function mutate(line: string, rnd: () => number): string {
  let out = line.replace(/[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?%?/g, (m) => {
    const r = rnd();
    if (r < 0.45) return m.replace(/\d+/g, (d) => String(Math.floor(rnd() * 10 ** Math.min(d.length + 1, 6))));
    if (r < 0.55) return m;
    return REPLACEMENTS[Math.floor(rnd() * REPLACEMENTS.length)]!;
  });
  if (rnd() < 0.15 && out.length > 0) {
    const at = Math.floor(rnd() * out.length);
    out = out.slice(0, at) + ' =:{}"\'|[]%.,-/_aZ'[Math.floor(rnd() * 19)]! + out.slice(at + 1);
  }
  return out;
}

describe('remembered line shapes', () => {
  for (const f of corpusFiles(dir)) {
    it(`${f}: the same records with and without them, whole and in chunks`, () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const records = assertSame(text, f);
      assert.ok(records.length > 0, `${f} gave no records`);
      for (const chunk of [1, 7, 64, 4096]) assertSame(text, `${f} in chunks of ${chunk}`, chunk);
    });
  }

  it('agree on thousands of lines that differ from the corpus lines in their numbers and characters', () => {
    const lines: string[] = [];
    for (const f of corpusFiles(dir)) {
      for (const l of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) if (/\d/.test(l)) lines.push(l.replace(/\r$/, ''));
    }
    const rnd = seededRandom(20261125);
    for (let round = 0; round < 6; round++) {
      // Each line next to variants of itself, so shapes made from one are tried on the others.
      const out: string[] = [];
      for (const l of lines) for (let k = 0; k < 6; k++) out.push(k === 0 ? l : mutate(l, rnd));
      const text = `${out.join(round % 2 === 0 ? '\n' : '\r\n')}\n`;
      const records = assertSame(text, `round ${round}`);
      assert.ok(records.length > 1000, `round ${round} read only ${records.length} records`);
    }
  });

  it('read from scratch a value that starts unlike the remembered one (a header needs a digit, a dict value with a letter may be a call) or stands in a name', () => {
    for (const text of [
      "{'1':5(7)}\n{'1':5(7)}\n{'1':nan(7)}\n",
      'epoch = .5 x=1\nepoch = .5 x=1\nepoch = 1.5 x=1\n',
      // A header's number may have a fraction or an exponent; its shape reads it as the header does.
      'epoch = 1.5 step 7 x=1\nepoch = 1.5 step 7 x=1\nepoch = 15 step 7 x=1\nepoch = 2e1 step 7 x=1\nepoch = 15 step 7 x=1\nepoch = 15 step 7 x=1\nepoch = 1.5 step 7 x=1\n',
      'Epoch 1 step=-5 iter 7 x=1\nEpoch 1 step=-5 iter 7 x=1\nEpoch 1 step=5 iter 7 x=1\n',
      'epoch: Infinity x=1\nepoch: Infinity x=1\nepoch: 2464093703333715555 x=1\n',
      // A dict key found back across a value (`:5 b`) holds that value's digits in its name.
      "{'a ':5 b':1}\n{'a ':5 b':1}\n{'a ':6 b':1}\n",
      '{"a ": 5 b": 1}\n{"a ": 5 b": 1}\n{"a ": 6 b": 1}\n',
    ]) {
      assertSame(text, JSON.stringify(text));
    }
  });

  it("agree on a header whose phase holds digits (`Epoch(9train)`), which the phase's bound of 11 characters made count", () => {
    // Found by the stdout-shapes fuzzer (case 2116079262): a shape read any run of digits alike, but a phase of
    // 25 characters was no phase, so the header's epoch came from the shape alone. A phase is letters and `_`.
    const line = (prefix: string, phase: string, epoch: number): string =>
      `${prefix} - mmengine - \u001b[6m\u001b[8mINFO\u001b[784m - Epoch(${phase})  [${epoch}][300/391]  lr: 0.1  loss: 1.6\n`;
    const text = line('06/01 12:01:30', '9train', 1) + line('1/066 486:5610:949', '08400642746387945121train', 2);
    assert.deepEqual(
      assertSame(text, JSON.stringify(text)).map((r) => r.epoch),
      [undefined, undefined, undefined, undefined],
    );
    const real = line('06/01 12:01:30', 'train', 1) + line('06/01 12:01:31', 'train', 2);
    assert.deepEqual(
      assertSame(real, JSON.stringify(real)).map((r) => r.epoch),
      [1, 1, 2, 2],
    );
  });

  it('agree after a line read as a setting, whose shape is not kept (it was read so because of the line before)', () => {
    // Found by the stdout-shapes fuzzer (case 3175596270): `iteration = .0653` after a setting was kept as a shape that
    // is not a step alone, and `iteration = .5` read by it gave the next line no step.
    const text = 'iteration = 7\nInput label = SIMPLE\niteration = .0653\nInput labe"l = SIMPLE\niteration = .5\nxx = .6708\n';
    assert.deepEqual(assertSame(text, JSON.stringify(text)), [{ name: 'xx', value: 0.6708, step: 0.5, line: 6 }]);
  });

  it('agree when the value in one place takes every form, after each other form', () => {
    const forms = [
      '5',
      '12',
      '.5',
      '-5',
      '+5',
      '1.5',
      '5.',
      'nan',
      'NaN',
      'inf',
      '-inf',
      'Infinity',
      '1e-5',
      '5%',
      '5(7)',
      'nan(7)',
      'np.float64(5)',
      "'5'",
      "'nan'",
      '24640937033337155555',
    ];
    const lines: string[] = [];
    for (const p of VALUE_PREFIXES) {
      for (const s of VALUE_SUFFIXES) {
        // Each form twice in a row (so its shape is kept), then the next form tries it; then the other way round.
        for (const f of [...forms, ...forms.slice().reverse()]) lines.push(`${p}${f}${s}`, `${p}${f}${s}`);
      }
    }
    const records = assertSame(`${lines.join('\n')}\n`, 'every form after every other');
    assert.ok(records.length > 1000, `only ${records.length} records`);
  });

  it("reads each line's own numbers, names with digits and header numbers", () => {
    const text = [
      'epoch=1 loss=0.6931 top5=0.9',
      'epoch=12 loss=1e-05 top6=0.8',
      'Epoch 3/10 step 40: loss: 0.25',
      'Epoch 14/10 step 5: loss: nan',
      '{"2": 1, "loss": 0.5}',
      '{"3": 1, "loss": 0.25}',
      '{"a": 5}',
      '{"a": 5%}',
      'INFO 2024-05-01 12:30:45,123 loss=0.5',
      'INFO 2024-05-01 12:31:02,999 loss=0.4',
      "{'loss': '0.6179', 'epoch': '0.5'}",
      "{'loss': '0.4303', 'epoch': '1'}",
    ].join('\n');
    assert.deepEqual(parse(text, true), [
      { name: 'loss', value: 0.6931, epoch: 1, line: 1 },
      { name: 'top5', value: 0.9, epoch: 1, line: 1 },
      { name: 'loss', value: 1e-5, epoch: 12, line: 2 },
      { name: 'top6', value: 0.8, epoch: 12, line: 2 },
      { name: 'loss', value: 0.25, step: 40, epoch: 3, line: 3 },
      { name: 'loss', value: NaN, step: 5, epoch: 14, line: 4 },
      { name: '2', value: 1, epoch: 14, line: 5 },
      { name: 'loss', value: 0.5, epoch: 14, line: 5 },
      { name: '3', value: 1, epoch: 14, line: 6 },
      { name: 'loss', value: 0.25, epoch: 14, line: 6 },
      { name: 'a', value: 5, epoch: 14, line: 7 },
      { name: 'a', value: 5, epoch: 14, line: 8 },
      { name: 'loss', value: 0.5, epoch: 14, line: 9 },
      { name: 'loss', value: 0.4, epoch: 14, line: 10 },
      { name: 'loss', value: 0.6179, epoch: 0.5, line: 11 },
      { name: 'loss', value: 0.4303, epoch: 1, line: 12 },
    ]);
  });
});
