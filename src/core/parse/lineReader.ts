import { compileCustomPatterns, matchCustom, type CompiledPattern, type CustomMatch } from './customPatterns';
import { scanDict } from './dictLine';
import { keyRole, ROLE_EPOCH, ROLE_METRIC, ROLE_STEP, type KeyRole } from './keys';
import { scanPairs, scanPairsFrom } from './keyValue';
import type { LineSink } from './lineAssembler';
import { emptyHeader, readHeader, type LineHeader } from './lineHeader';
import { isParamsLine } from './logPrefix';
import { LineShapes, shapeKey, type LineShape } from './lineShapes';
import { DEFAULT_IGNORED_NAMES, makeRecord, type MetricRecord, type StdoutFormat, type StdoutParserOptions } from './metricRecord';
import { NumberSlot } from './numbers';
import type { PairSink } from './pairSink';
import { blankFrom, isSpace } from './nameChars';
import { NextChar } from './nextChar';
import { announcesReprint, isLoneSpacedPair, isTextSetting } from './announcements';
import { ItemEnds, scanSpacePairs } from './spacePairs';
import { isCutOff, isProgressBar } from './progressBar';
import { StepCarry, trailingStep } from './stepCarry';
import { Blocks, type BlockSink } from './blocks';

/** The value of a `(step N)` after a line's last pair (see trailingStep). */
const stepValue = new NumberSlot();

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
export class LineReader implements LineSink, PairSink, BlockSink {
  private readonly custom: CompiledPattern[];
  private readonly customHits: CustomMatch[] = [];
  private readonly onWarning: ((message: string) => void) | undefined;
  private readonly patternBudgetMs: number | undefined;
  private readonly enabled: Record<StdoutFormat, boolean>;
  /** Few names: a loop of length-first comparisons beats hashing each fresh name string. */
  private readonly ignore: readonly string[];
  private readonly keepNonFinite: boolean;
  private readonly header: LineHeader = emptyHeader();
  /** Shapes of recent lines; undefined when custom patterns (which may read any character) or the options turn it off. */
  private readonly shapes: LineShapes | undefined;
  private readonly lastBarValue = new Map<string, number>();
  /** The first `=` and `:` of the line readFresh read last (-1: none). */
  private lineEq = -1;
  private lineColon = -1;
  private readonly blocks: Blocks;
  private readonly nextEq = new NextChar('=');
  private readonly nextColon = new NextChar(':');
  private readonly nextBar = new NextChar('|');
  private readonly itemEnds = new ItemEnds();
  /** The epoch in force for the next line, if any was printed. */
  currentEpoch: number | undefined;
  /** Where the records of the lines read go; the parser hands a fresh array for each chunk. */
  out: MetricRecord[] = [];
  // The line being read: its pairs, and the step/epoch its keys named.
  private names: string[] = [];
  private values: number[] = [];
  private count = 0;
  /** Pairs of the line, whatever their role, and where the last one's value ended. */
  private pairs = 0;
  private pairEnd = -1;
  private firstNameAt = -1;
  private lineStep: number | undefined;
  private lineEpoch: number | undefined;
  /** The last line of settings printed one per line (see readFresh). */
  private settingsLine = -2;
  /** A line not read: the reprint of an earlier round that follows `Early stopping, best iteration is:`. */
  private skipLine = -1;
  private readonly steps = new StepCarry();
  /** Where the line's last key/value pair ended (-1 when unknown). */
  private lastPairEnd = -1;
  /** Whether the line's pairs were read as `name: value`/`name=value` (not as a dict or JSON). */
  private pairsOnly = true;
  /** The line `knownLine` or `lineIfKnown` last found no shape for (by its text and start), and its key (-1: not computed). */
  private unknownSource = -1;
  private unknownStart = -1;
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
      table: f.table !== false,
    };
    this.ignore = [...(options.ignoreNames ?? DEFAULT_IGNORED_NAMES)];
    this.keepNonFinite = options.keepNonFinite !== false;
    this.shapes = options.rememberLineShapes !== false && this.custom.length === 0 ? new LineShapes((name) => this.ignored(name)) : undefined;
    this.blocks = new Blocks(this, this.nextBar);
  }

  /** Called by the recognisers for each pair of the current line. */
  pair(name: string, value: number, start: number, end: number, nameAt: number, nameEnd = nameAt + name.length): void {
    if (name.length === 0) return;
    const role = keyRole(name);
    if (this.pairs++ === 0) this.firstNameAt = nameAt;
    this.pairEnd = end;
    this.shapes?.notePair(name, role, start, end, nameAt, nameEnd);
    this.take(name, role, value, end);
  }

  private take(name: string, role: KeyRole, value: number, end: number): void {
    if (role === ROLE_STEP) this.lineStep = value;
    else if (role === ROLE_EPOCH) this.lineEpoch = value;
    else if (role === ROLE_METRIC) {
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
    if (line === this.skipLine) return;
    if (this.custom.length > 0 && this.readCustom(text.slice(start, end), line)) return;
    if (this.blocks.open(line) && this.blocks.readIn(text, start, end, line)) return;
    // `knownLine` may have just looked this line up and found no shape (a redraw handed here that starts where
    // its line does was looked up too, up to the line's end: read from scratch, it gives what its shape would).
    const lookedUp = source === this.unknownSource && start === this.unknownStart;
    if (!lookedUp && this.lineIfKnown(text, start, end, line)) return;
    const before = this.out.length;
    if (this.readFresh(text, start, end, line, source, this.shapes, this.unknownKey) === 0 && this.out.length === before && this.enabled.table) {
      this.blocks.readOpening(text, start, end, line, source, this.lineEq, this.lineColon, this.header.end);
    }
  }

  /**
   * After a line with one pair or none: `Early stopping, best iteration is:` (the next line is not read),
   * settings printed one per line (`Reading datafile = none`, then `learning rate = 0.5`: no metrics).
   * Lines without any value only (no header either), but for the setting's own pair: a line with one may
   * be read by its remembered shape, which does not look (and lineIfKnown does not look up the line after
   * a setting).
   */
  private readAnnouncement(text: string, start: number, from: number, end: number, eq: number, colon: number, line: number): void {
    if (this.pairs === 0 && colon >= 0 && announcesReprint(text, start, end)) this.skipLine = line + 1;
    if (eq >= 0) {
      if (this.pairs === 0 && isTextSetting(text, from, end)) this.settingsLine = line;
      else if (this.pairs === 1 && line === this.settingsLine + 1 && isLoneSpacedPair(text, from, end, this.pairEnd)) {
        this.count = 0;
        this.settingsLine = line;
      }
    }
  }

  /** Reads the line at text[start] if a remembered shape fits it (see LineSink); otherwise notes that none does, for the `line` call that follows. */
  knownLine(text: string, start: number, end: number, line: number, source: number): number {
    const shapes = this.shapes;
    if (shapes === undefined || line === this.skipLine || this.blocks.open(line) || this.settingsLine === line - 1) return -1;
    // A line that starts as no kept shape does (an empty one, one that starts with a redraw, most that give nothing) is not looked up.
    let key = -1;
    if (shapes.mayStart(text.charCodeAt(start))) {
      key = shapeKey(text, start, end);
      const shape = shapes.find(key, text, start, end, true);
      if (shape !== undefined) {
        this.readShaped(shape, shapes, line);
        return shapes.lineEnd;
      }
    }
    this.unknownSource = source;
    this.unknownStart = start;
    this.unknownKey = key;
    return -1;
  }

  /** Reads text[start, end) if a remembered shape fits it; otherwise notes its key (-1 when not computed), for readFresh. */
  private lineIfKnown(text: string, start: number, end: number, line: number): boolean {
    this.unknownKey = -1;
    const shapes = this.shapes;
    // An empty line has no shape (and gives nothing).
    if (shapes === undefined || start === end || this.blocks.open(line) || this.settingsLine === line - 1) return false;
    if (!shapes.mayStart(text.charCodeAt(start))) return false;
    const key = shapeKey(text, start, end);
    const shape = shapes.find(key, text, start, end, false);
    if (shape === undefined) {
      this.unknownKey = key;
      return false;
    }
    this.readShaped(shape, shapes, line);
    return true;
  }

  /**
   * Reads a line with the recognisers; with `shapes`, keeps its shape when it gave values. Returns the number of values it
   * gave (pairs of any role, and the header's): a line with none may be a table's header, a box's rule or a list of names,
   * and is never read by a remembered shape.
   */
  private readFresh(text: string, start: number, end: number, line: number, source: number, shapes: LineShapes | undefined, key: number): number {
    const header = this.header;
    readHeader(text, start, header);
    // Every built-in format needs `=` or `:` (or the leading `Epoch N` just read): most lines stop here.
    let eq = this.nextEq.find(text, source, start);
    let colon = this.nextColon.find(text, source, start);
    if (eq >= end) eq = -1;
    if (colon >= end) colon = -1;
    this.lineEq = eq;
    this.lineColon = colon;
    const from = header.end;
    if (!header.found && ((eq < 0 && colon < 0) || isParamsLine(text, from))) return 0;
    if (!header.exact) shapes = undefined;
    this.count = 0;
    this.pairs = 0;
    this.lineStep = header.step;
    this.lineEpoch = header.epoch;
    this.lastPairEnd = -1;
    if (shapes !== undefined) {
      shapes.startLine();
      if (header.epochAt >= 0) shapes.noteHeader(ROLE_EPOCH, header.epochAt, header.epochEnd);
      if (header.stepAt >= 0) shapes.noteHeader(ROLE_STEP, header.stepAt, header.stepEnd);
    }
    this.scanBody(text, from, end, eq, colon);
    if (this.count === 0 && header.listAt >= 0 && this.enabled.keyValue) {
      scanSpacePairs(text, source, header.listAt, end, header.set, this, this.itemEnds);
      if (header.set !== '') shapes = undefined;
    }
    if (this.pairs <= 1 && !header.found) this.readAnnouncement(text, start, from, end, eq, colon, line);
    if (this.lineEpoch !== undefined) this.currentEpoch = this.lineEpoch;
    let bar = false;
    let cutOff = false;
    let stepAlone = false;
    if (this.count > 0) {
      const barAt = this.nextBar.find(text, source, start);
      bar = barAt < end && isProgressBar(text, barAt, end);
      cutOff = bar && isCutOff(text, end, this.lastPairEnd);
      const stepAt = !bar && this.lineStep === undefined && this.pairsOnly ? trailingStep(text, this.pairEnd, end, stepValue) : -1;
      if (stepAt >= 0) {
        this.lineStep = stepValue.value;
        shapes?.noteHeader(ROLE_STEP, stepAt, text.indexOf(')', stepAt));
      }
      this.emitPairs(bar, cutOff, line);
    } else if (this.isStepAlone(text, from, end, line)) {
      stepAlone = true;
      this.steps.alone(this.lineStep!, line);
    }
    // A line read as a setting was read so because of the line before it, which its shape would not know.
    if (this.settingsLine !== line) shapes?.remember(key, text, start, end, bar, this.pairsOnly, stepAlone);
    return this.pairs + (header.found ? 1 : 0);
  }

  /** Whether the line just read is nothing but a step (`step: 12`, `Iter 12`, `global_step=12`), which the lines of pairs after it take. */
  private isStepAlone(text: string, from: number, end: number, line: number): boolean {
    if (this.lineStep === undefined || this.lineEpoch !== undefined || this.settingsLine === line) return false;
    if (this.pairs === 0) return blankFrom(text, this.header.end, end);
    return this.pairs === 1 && !this.header.found && this.pairsOnly && blankFrom(text, from, this.firstNameAt) && blankFrom(text, this.pairEnd, end);
  }

  /** Reads a line shaped like `shape`, whose values `shapes.find` has just read: what readFresh would do, without the recognisers. */
  private readShaped(shape: LineShape, shapes: LineShapes, line: number): void {
    const values = shapes.values;
    if (shape.epochAt >= 0) this.currentEpoch = values[shape.epochAt];
    const names = shape.names;
    const metrics = shape.metrics;
    if (metrics.length === 0) {
      if (shape.stepAlone) this.steps.alone(values[shape.stepAt]!, line);
      return;
    }
    const step = this.stepOf(shape.stepAt >= 0 ? values[shape.stepAt] : undefined, shape.epochAt >= 0 || !shape.takesStep, line);
    const epoch = this.currentEpoch;
    // What `record` does, less the look at the name: the shape holds no ignored names.
    const out = this.out;
    const keepNonFinite = this.keepNonFinite;
    for (let k = 0; k < metrics.length; k++) {
      const r = metrics[k]!;
      const value = values[r]!;
      if (keepNonFinite || Number.isFinite(value)) out.push(makeRecord(names[r]!, value, step, epoch, line));
    }
    this.carried();
  }

  /** Reads text[from, end); `eq` and `colon` are the first `=` and `:` of the line (-1: none). */
  private scanBody(text: string, from: number, end: number, eq: number, colon: number): void {
    const e = this.enabled;
    this.pairsOnly = true;
    let close = end - 1;
    while (close > from && isSpace(text.charCodeAt(close))) close--;
    if (text.charCodeAt(close) === 125 /* } */ && (e.json || e.pythonDict)) {
      let open = from;
      while (open < close && text.charCodeAt(open) !== 123 /* { */) open++;
      if (open < close && scanDict(text, open, close, e.json, e.pythonDict, this)) {
        this.pairsOnly = false;
        if (open > from) scanPairs(text, from, open, e.keyValue, e.keyColon, this);
        return;
      }
    }
    if (!e.keyValue && !e.keyColon) return;
    if (eq >= 0 && eq < from) eq = text.indexOf('=', from);
    if (colon >= 0 && colon < from) colon = text.indexOf(':', from);
    scanPairsFrom(text, from, end, e.keyValue ? eq : -2, e.keyColon ? colon : -2, this);
  }

  /** Records for the line's pairs; `cutOff`: its last pair is not trusted (see isCutOff). */
  private emitPairs(bar: boolean, cutOff: boolean, line: number): void {
    if (bar && !this.enabled.progressBar) return;
    const step = this.stepOf(this.lineStep, this.lineEpoch !== undefined || bar || !this.pairsOnly, line);
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
    this.carried();
  }

  /** The step of a line with values (see StepCarry). */
  stepOf(step: number | undefined, keepsOwn: boolean, line: number): number | undefined {
    return this.steps.of(step, keepsOwn, line, this.out.length);
  }

  /** After the records of a line whose step stepOf gave. */
  carried(): void {
    this.steps.passOn(this.out.length);
  }

  /** Adds a record, unless its name is ignored or it is a NaN or infinity that is not kept. */
  record(name: string, value: number, step: number | undefined, epoch: number | undefined, line: number): void {
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
