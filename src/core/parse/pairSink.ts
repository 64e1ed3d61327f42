/** Receives the name/value pairs a recogniser finds in one line, in order. */
export interface PairSink {
  /**
   * `start` and `end` bound the value's text in the line (for a `%` value,
   * `end` is after the `%`); `nameAt` is where the name stands in the line,
   * or -1 when it is not a piece of it (a JSON name joins nested keys), and
   * `nameEnd` where the text it was made from ends (LightGBM's `valid_0's l2`
   * is named `valid_0-l2`); when omitted, `nameAt + name.length`.
   */
  pair(name: string, value: number, start: number, end: number, nameAt: number, nameEnd?: number): void;
}
