/**
 * A tqdm-style bar (`50%|█████     | 5/10 [00:01<00:00,  4.50it/s, loss=0.1]`),
 * recognised by a `|` followed by tqdm's rate field `it/s` / `s/it` (also
 * `?it/s` before the first update, and custom units such as `batch/s`).
 */
export function isProgressBar(text: string): boolean {
  const bar = text.indexOf('|');
  if (bar < 0) return false; // every tqdm bar format has one
  return text.indexOf('it/s', bar) >= 0 || text.indexOf('s/it', bar) >= 0 || (text.indexOf('/s', bar) >= 0 && text.indexOf('<', bar) >= 0);
}
