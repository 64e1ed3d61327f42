import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNumber, scanNumber } from '../../src/core/parse/numbers';
import { seededRandom } from '../support/seededRandom';

describe('scanNumber', () => {
  it('gives exactly what Number() gives, for 50,000 printed forms', () => {
    const rnd = seededRandom(42);
    const forms = [
      () => (rnd() * 10 ** Math.floor(rnd() * 12)).toFixed(Math.floor(rnd() * 10)),
      () => rnd().toExponential(Math.floor(rnd() * 17)),
      () => String(rnd() * 1e-5),
      () => `-${(rnd() * 100).toPrecision(1 + Math.floor(rnd() * 17))}`,
      () => String(rnd() * 1e22),
      () => String(rnd()),
      () => `${Math.floor(rnd() * 1e6)}.${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
      () => `${Math.floor(rnd() * 999)}E+${Math.floor(rnd() * 30)}`,
    ];
    const out = { value: 0 };
    for (let k = 0; k < 50_000; k++) {
      const s = forms[k % forms.length]!();
      assert.equal(scanNumber(s, 0, s.length, out), s.length, s);
      assert.ok(Object.is(out.value, Number(s)), `${s}: ${out.value} != ${Number(s)}`);
    }
  });

  it('reads the end of a number where the token goes on, and stops at `to`', () => {
    const out = { value: 0 };
    assert.equal(scanNumber('1.2.3', 0, 5, out), 3);
    assert.equal(out.value, 1.2);
    assert.equal(scanNumber('5e', 0, 2, out), 1);
    assert.equal(scanNumber('12345', 0, 3, out), 3);
    assert.equal(out.value, 123);
    assert.equal(scanNumber('x1', 0, 2, out), -1);
    assert.equal(scanNumber('.', 0, 1, out), -1);
  });
});

describe('parseNumber', () => {
  const cases: [string, number | undefined][] = [
    ['1', 1],
    [' -0.5 ', -0.5],
    ['.5', 0.5],
    ['3.', 3],
    ['+2', 2],
    ['1e-05', 0.00001],
    ['5E+3', 5000],
    ['91.2%', 91.2],
    ['nan', NaN],
    ['NaN', NaN],
    ['-inf', -Infinity],
    ['Infinity', Infinity],
    ['INF', Infinity],
    ['', undefined],
    ['abc', undefined],
    ['1.2.3', undefined],
    ['0x10', undefined],
    ['1,000', undefined],
    ['5ms', undefined],
  ];
  for (const [text, value] of cases) {
    it(`${JSON.stringify(text)} → ${value}`, () => assert.ok(Object.is(parseNumber(text), value)));
  }
});
