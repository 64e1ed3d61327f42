import { LineAssembler } from './lineAssembler';
import { LineReader } from './lineReader';
import type { MetricRecord, StdoutParserOptions } from './metricRecord';

/**
 * A streaming reader of one terminal's output (see docs in
 * `src/core/parse/README.md`): feed it chunks with `push`, call `end` when the
 * command ends, and take the metric records each call returns.
 */
export class StdoutParser {
  private readonly assembler: LineAssembler;
  private readonly reader: LineReader;
  private readonly decoder = new TextDecoder('utf-8');

  /** Throws CustomPatternError when a custom pattern is unusable. */
  constructor(options: StdoutParserOptions = {}) {
    this.assembler = new LineAssembler(options.maxLineLength ?? 65536);
    this.reader = new LineReader(options);
  }

  /** Reads a chunk (text, or bytes decoded as UTF-8 across chunk ends); returns the records of the lines it finished. */
  push(chunk: string | Uint8Array): MetricRecord[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: MetricRecord[] = [];
    this.reader.out = out;
    this.assembler.push(text, this.reader);
    return out;
  }

  /** Finishes the output (a last line without `\n`); returns its records. */
  end(): MetricRecord[] {
    const out: MetricRecord[] = [];
    this.reader.out = out;
    const rest = this.decoder.decode();
    if (rest !== '') this.assembler.push(rest, this.reader);
    this.assembler.end(this.reader);
    return out;
  }

  /** The epoch in force for the next line, if any was printed. */
  get currentEpoch(): number | undefined {
    return this.reader.currentEpoch;
  }
}
