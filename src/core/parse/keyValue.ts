import { NUMBER_SOURCE, numberFromMatch } from './numbers';
import type { PairSink } from './pairSink';

/**
 * `name=value` and `name: value` pairs (`loss=0.5`, `train/loss = 0.5`,
 * `accuracy: 91.2%`, Keras' `- loss: 0.1234`, tqdm's `, train_loss=0.123]`).
 * A name starts with a letter or `_` that does not continue a word, path or
 * option or quoted text (`--lr=0.1`, `/ckpt/epoch=3`, `'epoch=3-step=9'` and
 * `` `max_epochs=3` `` are not pairs).
 * A value must end the token: not a time (`12:30`), ratio (`9/10`), version
 * (`1.2.3`), date (`2024-01-01`), thousands (`1,234`), unit (`3.2s`, `5it/s`)
 * or tqdm's `desc: 100%|` percentage.
 */
const PAIR = new RegExp(
  String.raw`(?<![\w./'"\`$-])([A-Za-z_][\w./-]*)(?:[ \t]*(=)[ \t]*|:[ \t]+)(${NUMBER_SOURCE})(?![\w:/%+|\`-]|\.\S|,\d)`,
  'g',
);

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 47 || c === 45;
}

/**
 * Prose such as `Note: 5 GPUs found` reads like a `name: value` pair; a colon
 * pair counts only when what follows the value is not a bare word (it may be
 * punctuation, the end, or the next `name:`/`name=`).
 */
function followedByProse(text: string, i: number): boolean {
  const n = text.length;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= n || !isNameStart(text.charCodeAt(i))) return false;
  while (i < n && isNameChar(text.charCodeAt(i))) i++;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const c = text.charCodeAt(i);
  return !(c === 61 /* = */ || c === 58 /* : */);
}

/** Reports the pairs of `text` from `from` on; `equals`/`colon` choose the separators recognised. */
export function scanPairs(text: string, from: number, to: number, equals: boolean, colon: boolean, sink: PairSink): void {
  PAIR.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = PAIR.exec(text)) !== null) {
    if (m.index >= to) break;
    const isEquals = m[2] !== undefined;
    if (isEquals ? !equals : !colon || followedByProse(text, PAIR.lastIndex)) continue;
    sink.pair(m[1]!, numberFromMatch(m[3]!), PAIR.lastIndex);
  }
}
