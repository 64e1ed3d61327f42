/**
 * A tqdm-style bar (`50%|█████     | 5/10 [00:01<00:00,  4.50it/s, loss=0.1]`),
 * recognised by tqdm's rate field `it/s` / `s/it` (also `?it/s` before the
 * first update, and custom units such as `batch/s` after a `|`).
 */
export function isProgressBar(text: string): boolean {
  if (text.indexOf('it/s') >= 0 || text.indexOf('s/it') >= 0) return true;
  const bar = text.indexOf('|');
  return bar >= 0 && text.indexOf('/s', bar) >= 0 && text.indexOf('<', bar) >= 0;
}
