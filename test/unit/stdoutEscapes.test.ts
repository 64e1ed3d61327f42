import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripEscapes } from '../../src/core/parse/escapes';
import { StdoutParser } from '../../src/core/parse/stdoutParser';

const E = '\x1b';
const BEL = '\x07';
const ST = `${E}\\`;

describe('stripEscapes', () => {
  const cases: [string, string, string][] = [
    ['SGR colours and bold', `${E}[1m16/16${E}[0m ${E}[32m━━${E}[0m${E}[37m${E}[0m loss: 0.5`, '16/16 ━━ loss: 0.5'],
    ['cursor moves and erase', `${E}[2K${E}[1A${E}[10;20Hloss=1${E}[K`, 'loss=1'],
    ['private modes', `${E}[?25l${E}[?2004hloss=1${E}[?25h`, 'loss=1'],
    ['VS Code shell integration, BEL-terminated', `${E}]633;E;python train.py --lr=0.1;ab12${BEL}${E}]633;C${BEL}loss=1${E}]633;D;0${BEL}`, 'loss=1'],
    ['OSC terminated by ST', `${E}]0;my title${ST}loss=1${E}]8;;file:///x${ST}link${E}]8;;${ST}`, 'loss=1link'],
    ['DCS and APC strings', `${E}P1$r0m${ST}loss=1${E}_apc${ST}`, 'loss=1'],
    ['two-byte escapes and charset selection', `${E}=${E}(Bloss=1${E}>`, 'loss=1'],
    ['8-bit CSI, next to an ESC sequence', `\u009b31mloss=1\u009b0m${E}[0m`, 'loss=1'],
    ['backspaces and other C0 controls, keeping tabs', 'a\b\b\x07\x00b\tc', 'ab\tc'],
    ['an escape cut off by the end of the text', `loss=1${E}]633;E;python tra`, 'loss=1'],
    ['a lone ESC at the end', `loss=1${E}`, 'loss=1'],
    ['plain text stays the same string', 'epoch=1 loss=0.5', 'epoch=1 loss=0.5'],
  ];
  for (const [what, input, output] of cases) {
    it(what, () => assert.equal(stripEscapes(input), output));
  }
});

describe('escapes in the stream', () => {
  it('reads a metric whose escape sequences are split across chunks at every position', () => {
    const line = `${E}]633;C${BEL}${E}[32mepoch=5${E}[0m loss=${E}[1m0.1402${E}[0m ${E}]0;t${ST}acc=${E}[33m0.97${E}[39m\r\n`;
    const expected = [
      { name: 'loss', value: 0.1402, epoch: 5, line: 1 },
      { name: 'acc', value: 0.97, epoch: 5, line: 1 },
    ];
    for (let i = 1; i < line.length; i++) {
      for (let j = i; j < line.length; j += 7) {
        const p = new StdoutParser();
        const got = [...p.push(line.slice(0, i)), ...p.push(line.slice(i, j)), ...p.push(line.slice(j)), ...p.end()];
        assert.deepEqual(got, expected, `split at ${i} and ${j}`);
      }
    }
  });

  it('treats a line holding only escapes (a bar moving the cursor up) as blank', () => {
    const p = new StdoutParser();
    const got = [...p.push(`loss=0.5\r${E}[A\r\n`), ...p.end()];
    assert.deepEqual(got, [{ name: 'loss', value: 0.5, line: 1 }]);
  });
});
