/** Receives the name/value pairs a recogniser finds in one line, in order. */
export interface PairSink {
  /**
   * `start` and `end` bound the value's text in the line (for a `%` value,
   * `end` is after the `%`); `nameAt` is where the name stands in the line,
   * or -1 when it is not a piece of it (a JSON name joins nested keys).
   */
  pair(name: string, value: number, start: number, end: number, nameAt: number): void;
}
