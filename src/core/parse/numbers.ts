/** A metric value as printed: `1`, `-0.5`, `.5`, `1e-05`, `5E+3`, `91.2%`, `nan`, `inf`, `-Infinity`. */
export const NUMBER_SOURCE = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?|[-+]?(?:[nN]a[nN]|NAN|[iI]nf(?:inity)?|INF)`;

const WHOLE_NUMBER = new RegExp(`^(?:${NUMBER_SOURCE})$`);

/**
 * The value of text that matched NUMBER_SOURCE: a trailing `%` is dropped
 * (`91.2%` is 91.2), `nan` is NaN and `inf`/`Infinity` are ±Infinity.
 */
export function numberFromMatch(text: string): number {
  const last = text.charCodeAt(text.length - 1);
  if (last === 37 /* % */) return Number(text.slice(0, -1));
  const n = Number(text);
  if (n === n) return n; // not NaN: digits, or Infinity spelled as JavaScript does
  const lower = text.toLowerCase();
  if (lower.endsWith('nan')) return NaN;
  return lower.charCodeAt(0) === 45 /* - */ ? -Infinity : Infinity;
}

/** The number in arbitrary text (a custom pattern's group, a quoted Python value), or undefined. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return WHOLE_NUMBER.test(t) ? numberFromMatch(t) : undefined;
}
