// Every error or warning the extension shows offers an action that leads to the fix: they go through
// src/vscode/messages.ts, whose signatures ask for at least one; a modal question brings its own answers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ADAPTER = path.join(__dirname, '..', '..', 'src', 'vscode');

/** Each `showErrorMessage(`/`showWarningMessage(` call outside messages.ts with its arguments' text (up to the matching parenthesis). */
function directCalls(): { file: string; line: number; args: string }[] {
  const out: { file: string; line: number; args: string }[] = [];
  for (const rel of fs.readdirSync(ADAPTER, { recursive: true }) as string[]) {
    if (!rel.endsWith('.ts') || rel === 'messages.ts') continue;
    const text = fs.readFileSync(path.join(ADAPTER, rel), 'utf8');
    for (const m of text.matchAll(/\.show(Error|Warning)Message\(/g)) {
      let depth = 1;
      let i = m.index + m[0].length;
      for (; i < text.length && depth > 0; i++) depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
      out.push({ file: rel, line: text.slice(0, m.index).split('\n').length, args: text.slice(m.index + m[0].length, i - 1) });
    }
  }
  return out;
}

describe('error and warning messages', () => {
  it('are shown through messages.ts (with an action), unless they are modal questions', () => {
    const calls = directCalls();
    assert.ok(
      calls.some((c) => /modal: true/.test(c.args)),
      'the scan finds the Delete Run question (or it has stopped reading the files)',
    );
    const bare = calls.filter((c) => !/modal: true/.test(c.args)).map((c) => `${c.file}:${c.line}`);
    assert.deepEqual(bare, [], 'show these through showError/showWarning with the action that fixes what they report');
  });
});
