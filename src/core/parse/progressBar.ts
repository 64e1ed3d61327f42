import { isSpace } from './nameChars';

/**
 * A tqdm-style bar (`50%|█████     | 5/10 [00:01<00:00,  4.50it/s, loss=0.1]`):
 * text[bar, end) starts at the line's first `|`, and holds tqdm's rate field
 * `it/s` or `s/it` (also `?it/s` before the first update), or another unit
 * per second (`batch/s`) after a `<` (the `elapsed<remaining` field).
 */
export function isProgressBar(text: string, bar: number, end: number): boolean {
  // From `/` to `/` by the string's own search: a bar's run of blocks is long, and a character loop over it
  // costs far more per character. `less` may lie past the line: it counts only before a `/` in it.
  const less = text.indexOf('<', bar + 1);
  for (let i = text.indexOf('/', bar + 1); i >= 0 && i < end; i = text.indexOf('/', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 115 /* s */ && ((less >= 0 && less < i) || text.charCodeAt(i - 1) === 116) /* t */) return true; // it/s, x/s
    if (next === 105 /* i */ && text.charCodeAt(i + 2) === 116 /* t */ && text.charCodeAt(i - 1) === 115) return true; // s/it
  }
  return false;
}

/**
 * tqdm cuts a bar that is wider than the terminal (`..., val_acc=0.9` for
 * `val_acc=0.910]`): a bar whose closing `]` is missing and whose last pair
 * runs to the end of the line may show a shortened number, so that pair is
 * not trusted.
 */
export function isCutOff(text: string, end: number, lastPairEnd: number): boolean {
  if (lastPairEnd < 0) return false;
  for (let i = lastPairEnd; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  let i = end - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return text.charCodeAt(i) !== 93 /* ] */;
}
