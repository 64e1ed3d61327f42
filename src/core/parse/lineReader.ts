import { compileCustomPatterns, matchCustom, type CompiledPattern, type CustomMatch } from './customPatterns';
import { scanDict } from './dictLine';
import { keyRole, ROLE_EPOCH, ROLE_STEP, type KeyRole } from './keys';
import { scanPairs, scanPairsFrom } from './keyValue';
import type { LineSink } from './lineAssembler';
import { isParamsLine, readHeader, type LineHeader } from './lineHeader';
import { LineShapes, shapeKey, type LineShape } from './lineShapes';
import { DEFAULT_IGNORED_NAMES, type MetricRecord, type StdoutFormat, type StdoutParserOptions } from './metricRecord';
import type { PairSink } from './pairSink';
import { NextChar } from './nextChar';
import { isProgressBar } from './progressBar';

/**
 * Reads the finished lines of one command's output into metric records: the
 * recognisers, step/epoch state and progress-bar repeats (see
 * `src/core/parse/README.md`). `StdoutParser` cuts the output into lines and
 * hands them here. One class, not callbacks made per parser, so the line
 * assembler's call to `line` has one target however many parsers there are
 * (a call site that sees a new closure per parser stops being inlined).
 *
 * State carried between lines: the epoch (set by an `Epoch N` header or an
 * `epoch` key, and kept until the next one) and, for progress bars, the last
 * value shown per name (a bar repeats its postfix on every redraw; a value
 * is reported again only when it changed).
 */
export class LineReader implements LineSink, PairSink {
  private readonly custom: CompiledPattern[];
  private readonly customHits: CustomMatch[] = [];
  private readonly onWarning: ((message: string) => void) | undefined;
  private readonly patternBudgetMs: number | undefined;
  private readonly enabled: Record<StdoutFormat, boolean>;
  /** Few names: a loop of length-first comparisons beats hashing each fresh name string. */
  private readonly ignore: readonly string[];
  private readonly keepNonFinite: boolean;
  private readonly header: LineHeader = { end: 0, epoch: undefined, step: undefined, epochAt: -1, epochEnd: -1, stepAt: -1, stepEnd: -1 };
  /** Shapes of recent lines; undefined when custom patterns (which may read any character) or the options turn it off. */
  private readonly shapes: LineShapes | undefined;
  private readonly lastBarValue = new Map<string, number>();
  private readonly nextEq = new NextChar('=');
  private readonly nextColon = new NextChar(':');
  private readonly nextBar = new NextChar('|');
  /** The epoch in force for the next line, if any was printed. */
  currentEpoch: number | undefined;
  /** Where the records of the lines read go; the parser hands a fresh array for each chunk. */
  out: MetricRecord[] = [];
  // The line being read: its pairs, and the step/epoch its keys named.
  private names: string[] = [];
  private values: number[] = [];
  private count = 0;
  private lineStep: number | undefined;
  private lineEpoch: number | undefined;
  /** Where the line's last key/value pair ended (-1 when unknown). */
  private lastPairEnd = -1;
  /** The line `lineIfKnown` last found no shape for, and its key. */
  private unknownSource = -1;
  private unknownStart = -1;
  private unknownEnd = -1;
  private unknownKey = 0;

  /** Throws CustomPatternError when a custom pattern is unusable. */
  constructor(options: StdoutParserOptions) {
    this.custom = compileCustomPatterns(options.customPatterns);
    this.onWarning = options.onWarning;
    this.patternBudgetMs = options.patternBudgetMs;
    const f = options.formats ?? {};
    this.enabled = {
      keyValue: f.keyValue !== false,
      keyColon: f.keyColon !== false,
      json: f.json !== false,
      pythonDict: f.pythonDict !== false,
      progressBar: f.progressBar !== false,
    };
    this.ignore = [...(options.ignoreNames ?? DEFAULT_IGNORED_NAMES)];
    this.keepNonFinite = options.keepNonFinite !== false;
    this.shapes = options.rememberLineShapes !== false && this.custom.length === 0 ? new LineShapes() : undefined;
  }

  /** Called by the recognisers for each pair of the current line. */
  pair(name: string, value: number, start: number, end: number, nameAt: number): void {
    if (name.length === 0) return;
    const role = keyRole(name);
    this.shapes?.notePair(name, role, start, end, nameAt);
    this.take(name, role, value, end);
  }

  private take(name: string, role: KeyRole, value: number, end: number): void {
    if (role === ROLE_STEP) this.lineStep = value;
    else if (role === ROLE_EPOCH) this.lineEpoch = value;
    else {
      this.names[this.count] = name;
      this.values[this.count] = value;
      this.count++;
      this.lastPairEnd = end;
    }
  }

  /** A replaced redraw showed `Epoch N` (see LineSink). */
  epoch(value: number): void {
    this.currentEpoch = value;
  }

  /** Reads one finished line, text[start, end) (escapes stripped; see LineSink). */
  line(text: string, start: number, end: number, line: number, source: number): void {
    if (this.custom.length > 0 && this.readCustom(text.slice(start, end), line)) return;
    // `lineIfKnown` may have just looked this line up (the assembler's \r\n path) and found no shape.
    const lookedUp = source === this.unknownSource && start === this.unknownStart && end === this.unknownEnd;
    if (!lookedUp && this.lineIfKnown(text, start, end, line, source)) return;
    this.readFresh(text, start, end, line, source, this.shapes, this.unknownKey);
  }

  /** Reads the line if a remembered shape fits it (see LineSink); otherwise notes that none does, for the `line` call that follows. */
  lineIfKnown(text: string, start: number, end: number, line: number, source: number): boolean {
    const shapes = this.shapes;
    if (shapes === undefined) return false;
    const key = shapeKey(text, start, end);
    const shape = shapes.find(key, text, start, end);
    if (shape === undefined) {
      this.unknownSource = source;
      this.unknownStart = start;
      this.unknownEnd = end;
      this.unknownKey = key;
      return false;
    }
    this.readShaped(shape, shapes, line);
    return true;
  }

  /** Reads a line with the recognisers; with `shapes`, keeps its shape when it gave values. */
  private readFresh(text: string, start: number, end: number, line: number, source: number, shapes: LineShapes | undefined, key: number): void {
    const header = this.header;
    readHeader(text, start, header);
    // Every built-in format needs `=` or `:` (or the leading `Epoch N` just read): most lines stop here.
    let eq = this.nextEq.find(text, source, start);
    let colon = this.nextColon.find(text, source, start);
    if (eq >= end) eq = -1;
    if (colon >= end) colon = -1;
    const from = header.end;
    if (from === start && ((eq < 0 && colon < 0) || isParamsLine(text, start))) return;
    this.count = 0;
    this.lineStep = header.step;
    this.lineEpoch = header.epoch;
    this.lastPairEnd = -1;
    if (shapes !== undefined) {
      shapes.startLine();
      if (header.epochAt >= 0) shapes.noteHeader(ROLE_EPOCH, header.epochAt, header.epochEnd);
      if (header.stepAt >= 0) shapes.noteHeader(ROLE_STEP, header.stepAt, header.stepEnd);
    }
    this.scanBody(text, from, end, eq, colon);
    if (this.lineEpoch !== undefined) this.currentEpoch = this.lineEpoch;
    let bar = false;
    let cutOff = false;
    if (this.count > 0) {
      const barAt = this.nextBar.find(text, source, start);
      bar = barAt < end && isProgressBar(text, barAt, end);
      cutOff = bar && isCutOff(text, end, this.lastPairEnd);
      this.emitPairs(bar, cutOff, line);
    }
    shapes?.remember(key, text, start, end, bar);
  }

  /** Reads a line shaped like `shape`, whose values `shapes.find` has just read: what readFresh would do, without the recognisers. */
  private readShaped(shape: LineShape, shapes: LineShapes, line: number): void {
    const values = shapes.values;
    if (shape.epochAt >= 0) this.currentEpoch = values[shape.epochAt];
    const step = shape.stepAt >= 0 ? values[shape.stepAt] : undefined;
    const epoch = this.currentEpoch;
    const names = shape.names;
    const metrics = shape.metrics;
    for (let k = 0; k < metrics.length; k++) {
      const r = metrics[k]!;
      const name = names[r]!;
      const value = values[r]!;
      this.record(name, value, step, epoch, line);
    }
  }

  /** Reads text[from, end); `eq` and `colon` are the first `=` and `:` of the line (-1: none). */
  private scanBody(text: string, from: number, end: number, eq: number, colon: number): void {
    const e = this.enabled;
    let close = end - 1;
    while (close > from && isSpaceCode(text.charCodeAt(close))) close--;
    if (text.charCodeAt(close) === 125 /* } */ && (e.json || e.pythonDict)) {
      let open = from;
      while (open < close && text.charCodeAt(open) !== 123 /* { */) open++;
      if (open < close && scanDict(text, open, close, e.json, e.pythonDict, this)) {
        if (open > from) scanPairs(text, from, open, e.keyValue, e.keyColon, this);
        return;
      }
    }
    if (!e.keyValue && !e.keyColon) return;
    if (eq >= 0 && eq < from) eq = text.indexOf('=', from);
    if (colon >= 0 && colon < from) colon = text.indexOf(':', from);
    scanPairsFrom(text, from, end, e.keyValue ? eq : -1, e.keyColon ? colon : -1, this);
  }

  /** Records for the line's pairs; `cutOff`: its last pair is not trusted (see isCutOff). */
  private emitPairs(bar: boolean, cutOff: boolean, line: number): void {
    if (bar && !this.enabled.progressBar) return;
    const step = this.lineStep;
    const epoch = this.currentEpoch;
    const names = this.names;
    const values = this.values;
    const count = cutOff ? this.count - 1 : this.count;
    for (let i = 0; i < count; i++) {
      const name = names[i]!;
      const value = values[i]!;
      if (bar) {
        const last = this.lastBarValue.get(name);
        if (last !== undefined && Object.is(last, value)) continue;
        this.lastBarValue.set(name, value);
      }
      this.record(name, value, step, epoch, line);
    }
  }

  /** Adds a record, unless its name is ignored or it is a NaN or infinity that is not kept. */
  private record(name: string, value: number, step: number | undefined, epoch: number | undefined, line: number): void {
    if (this.ignored(name) || (!this.keepNonFinite && !Number.isFinite(value))) return;
    this.out.push(makeRecord(name, value, step, epoch, line));
  }

  private ignored(name: string): boolean {
    const ignore = this.ignore;
    for (let i = 0; i < ignore.length; i++) {
      const n = ignore[i]!;
      if (n.length === name.length && n === name) return true;
    }
    return false;
  }

  /** Custom patterns take a line they match from the built-in formats, so no value is counted twice. */
  private readCustom(text: string, line: number): boolean {
    const hits = this.customHits;
    hits.length = 0;
    matchCustom(text, this.custom, hits, this.onWarning, this.patternBudgetMs);
    if (hits.length === 0) return false;
    for (const h of hits) if (h.epoch !== undefined) this.currentEpoch = h.epoch;
    for (const h of hits) this.record(h.name, h.value, h.step, h.epoch ?? this.currentEpoch, line);
    return true;
  }
}

/**
 * tqdm cuts a bar that is wider than the terminal (`..., val_acc=0.9` for
 * `val_acc=0.910]`): a bar whose closing `]` is missing and whose last pair
 * runs to the end of the line may show a shortened number, so that pair is
 * not trusted.
 */
function isCutOff(text: string, end: number, lastPairEnd: number): boolean {
  if (lastPairEnd < 0) return false;
  for (let i = lastPairEnd; i < end; i++) if (!isSpaceCode(text.charCodeAt(i))) return false;
  let i = end - 1;
  while (i >= 0 && isSpaceCode(text.charCodeAt(i))) i--;
  return text.charCodeAt(i) !== 93 /* ] */;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9;
}

/** One literal per shape: adding step/epoch to a made object would cost a property store reallocation per record. */
function makeRecord(name: string, value: number, step: number | undefined, epoch: number | undefined, line: number): MetricRecord {
  if (step === undefined) return epoch === undefined ? { name, value, line } : { name, value, epoch, line };
  return epoch === undefined ? { name, value, step, line } : { name, value, step, epoch, line };
}
