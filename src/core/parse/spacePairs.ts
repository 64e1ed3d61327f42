import { keyRole, ROLE_METRIC } from './keys';
import { isNameChar, isNameStart, isSpace } from './nameChars';
import { NextChar } from './nextChar';
import { NumberSlot, scanNumber } from './numbers';
import type { PairSink } from './pairSink';
import { isDataSet } from './pairNames';

const num = new NumberSlot();

/**
 * Where text that is not an item ends: the next `,` or `|`, found by the string's own search, since it
 * may be a progress bar's long run of blocks (`Epoch 0: 100%|██████████| 12/12 [...]`). Its own searches
 * (each text is searched once over, see NextChar), as the lines of a text are read in order.
 */
export class ItemEnds {
  private readonly comma = new NextChar(',');
  private readonly bar = new NextChar('|');

  /** Index of the first `,` or `|` at or after i (the text's length when there is none). */
  find(text: string, source: number, i: number): number {
    return Math.min(this.comma.find(text, source, i), this.bar.find(text, source, i));
  }
}

/**
 * A list of `name value` items after a header's `:` or `|` (nanoGPT's `iter 100: loss 2.3456, time
 * 12.34ms, mfu 12.34%`, `step 0: train loss 4.28, val loss 4.29`; fairseq's `epoch 001 | loss 7.1 |
 * nll_loss 6.5`; torchvision's `Test:  Acc@1 7.125 Acc@5 16.500`): a name of one word, or two (a data
 * set and a metric: `train-loss`), a blank, a number, then `,`, `|`, the end or the next item. Items
 * that do not fit (`time 12.34ms`, `valid on 'valid' subset`) are skipped to the next `,` or `|`.
 * `set` (or '') is a data set named by the log prefix (fairseq's `| valid |`), put before the names.
 * `source` numbers the text for `ends` (see NextChar).
 */
export function scanSpacePairs(text: string, source: number, from: number, to: number, set: string, sink: PairSink, ends: ItemEnds): void {
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    while (i < to && (isSpace(c) || c === 44 || c === 124)) c = text.charCodeAt(++i);
    if (i >= to) return;
    const a = i;
    let ok = isNameStart(c);
    let b = a;
    let second = -1;
    let valueStart = -1;
    let valueEnd = -1;
    if (ok) {
      while (b < to && isNameChar(text.charCodeAt(b))) b++;
      let j = b;
      if (text.charCodeAt(j) === 32 && isNameStart(text.charCodeAt(j + 1))) {
        second = j + 1;
        j = second;
        while (j < to && isNameChar(text.charCodeAt(j))) j++;
      }
      const nameEnd = j;
      if (!isSpace(text.charCodeAt(j))) ok = false;
      while (j < to && isSpace(text.charCodeAt(j))) j++;
      valueStart = j;
      valueEnd = ok ? scanNumber(text, j, to, num) : -1;
      if (valueEnd < 0) ok = false;
      else {
        let k = valueEnd;
        while (k < to && isSpace(text.charCodeAt(k))) k++;
        const d = text.charCodeAt(k);
        if (!(k >= to || d === 44 || d === 124 || d === 13 || (k > valueEnd && second < 0 && isNameStart(d)))) ok = false;
        // `1,234`: thousands, not a value followed by a comma
        if (k === valueEnd && d === 44 && text.charCodeAt(k + 1) >= 48 && text.charCodeAt(k + 1) <= 57) ok = false;
      }
      if (ok) {
        let name = second < 0 ? text.slice(a, b) : isDataSet(text, a, b) ? `${text.slice(a, b)}-${text.slice(second, nameEnd)}` : text.slice(a, nameEnd);
        if (set !== '' && keyRole(name) === ROLE_METRIC) name = `${set}-${name}`;
        sink.pair(name, num.value, valueStart, valueEnd, a, nameEnd);
        i = valueEnd;
        continue;
      }
    }
    // Not an item: on to the next `,` or `|`.
    i = Math.min(ends.find(text, source, i), to);
  }
}
