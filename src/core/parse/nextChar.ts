/**
 * The next position of one character in the text that lines are read from.
 * The lines of a chunk are read in order, so a search can reuse the last
 * one's answer while it lies ahead: over a chunk each position is scanned
 * about once, however many lines there are, without cutting lines out.
 * `source` names the text (a number, since comparing long strings costs).
 */
export class NextChar {
  private source = -1;
  private at = 0;

  constructor(private readonly char: string) {}

  /** Index of the first `char` at or after `start` (`text.length` when there is none). */
  find(text: string, source: number, start: number): number {
    if (source !== this.source || this.at < start) {
      const i = text.indexOf(this.char, start);
      this.at = i < 0 ? text.length : i;
      this.source = source;
    }
    return this.at;
  }
}
