/** Receives the name/value pairs a recogniser finds in one line, in order. */
export interface PairSink {
  /** `end`: where the value's text ends in the line, when the recogniser knows it. */
  pair(name: string, value: number, end?: number): void;
}
