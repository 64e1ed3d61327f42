import { firstShown, stripEscapes } from './escapes';

/** Receives each finished line, escapes stripped, with its 1-based line number. */
export interface LineSink {
  line(text: string, line: number): void;
  /** A redraw that was replaced within its line started with `Epoch N`: the epoch was shown. */
  epoch(value: number): void;
}

const LEADING_EPOCH = /^[ \t[]*epoch[ \t]*[:=]?[ \t]*(\d+)/i;

/** True when the raw redraw shows nothing (spaces, or only escapes such as `ESC[A`). */
function isBlankRaw(raw: string): boolean {
  return firstShown(raw, false) === raw.length;
}

/** The digits of a leading `Epoch N`, or undefined; looks at one character for most text. */
function leadingEpoch(raw: string): string | undefined {
  const i = firstShown(raw, true);
  if ((raw.charCodeAt(i) | 0x20) !== 101 /* e */) return undefined;
  const m = LEADING_EPOCH.exec(i > 0 && raw.indexOf('\x1b') >= 0 ? stripEscapes(raw) : raw);
  return m === null ? undefined : m[1];
}

function nextOf(chunk: string, char: string, from: number): number {
  const i = chunk.indexOf(char, from);
  return i < 0 ? chunk.length : i;
}

/**
 * Cuts raw terminal output into lines as a terminal would show them.
 *
 * Chunks may end anywhere: inside a line, an escape sequence or a `\r\n`
 * pair. A line ends at `\n`. Within a line, `\r` returns the cursor and what
 * follows redraws the line (tqdm, Keras and Lightning bars): the line's
 * content is its **last non-blank redraw** (a tqdm bar cleared by `\r` plus
 * spaces before `tqdm.write` does not hide the message written after it,
 * and the empty piece after the `\r` of `\r\n` is ignored). One exception
 * keeps a bar's per-epoch totals: when a redraw starting `Epoch N` replaces
 * one starting with a different `Epoch M` (Lightning reuses one bar for all
 * epochs), the `Epoch M` state is emitted too, under the same line number;
 * a replaced redraw's `Epoch N` is passed on in any case, so a message that
 * `tqdm.write` prints over an `Epoch 2/3` bar is read in epoch 2.
 *
 * Replaced redraws cost a look at their first characters only: escapes are
 * stripped from the text that is finally read. Memory is bounded: finished
 * redraws are dropped at once, and a redraw longer than `maxLineLength`
 * keeps only its first `maxLineLength` characters.
 */
export class LineAssembler {
  private partial = '';
  /** Whether `partial` holds an ESC or a backspace, so stripping is needed. */
  private partialDirty = false;
  /** Raw text of the line's latest non-blank finished redraw (or its first, while all are blank). */
  private candidate: string | undefined;
  private candidateDirty = false;
  /** Whether the candidate is blank; undefined until needed. */
  private candidateBlank: boolean | undefined;
  /** The candidate's leading epoch digits: null until computed, undefined when it has none. */
  private candidateEpoch: string | undefined | null = null;
  private line = 1;

  constructor(private readonly maxLineLength = 65536) {}

  /** The number the next finished line will get. */
  get nextLine(): number {
    return this.line;
  }

  push(chunk: string, sink: LineSink): void {
    const n = chunk.length;
    let pos = 0;
    let cr = chunk.indexOf('\r');
    if (cr < 0) cr = n;
    // Next ESC and backspace, found once per chunk rather than once per line.
    let esc = chunk.indexOf('\x1b');
    if (esc < 0) esc = n;
    let bs = chunk.indexOf('\b');
    if (bs < 0) bs = n;
    while (pos < n) {
      let nl = chunk.indexOf('\n', pos);
      if (nl < 0) nl = n;
      if (cr === nl - 1 && this.candidate === undefined && this.partial === '' && nl < n) {
        // The common whole line ending in \r\n: no redraw to weigh.
        if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
        if (bs < pos) bs = nextOf(chunk, '\b', pos);
        const text = chunk.slice(pos, cr);
        sink.line(esc < cr || bs < cr ? stripEscapes(text) : text, this.line);
        this.line++;
        pos = nl + 1;
        cr = nextOf(chunk, '\r', pos);
        continue;
      }
      while (cr < nl) {
        if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
        if (bs < pos) bs = nextOf(chunk, '\b', pos);
        this.finishRedraw(this.take(chunk, pos, cr), esc < cr || bs < cr, sink);
        pos = cr + 1;
        cr = nextOf(chunk, '\r', pos);
      }
      if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
      if (bs < pos) bs = nextOf(chunk, '\b', pos);
      if (nl === n) {
        this.keep(chunk, pos, n, esc < n || bs < n);
        return;
      }
      this.finishLine(this.take(chunk, pos, nl), esc < nl || bs < nl, sink);
      pos = nl + 1;
    }
  }

  /** Ends the output: a last line without `\n` is finished too. */
  end(sink: LineSink): void {
    if (this.partial !== '' || this.candidate !== undefined) this.finishLine(this.take('', 0, 0), false, sink);
  }

  /** The raw text of the piece [start, end) of `chunk`, with what earlier chunks left of it (see `takenDirty`). */
  private take(chunk: string, start: number, end: number): string {
    let raw = end - start > this.maxLineLength ? chunk.slice(start, start + this.maxLineLength) : chunk.slice(start, end);
    this.takenDirty = this.partialDirty;
    if (this.partial !== '') {
      raw = this.partial + raw;
      this.partial = '';
      this.partialDirty = false;
      if (raw.length > this.maxLineLength) raw = raw.slice(0, this.maxLineLength);
    }
    return raw;
  }

  /** Whether the earlier chunks' part of the piece last taken needs stripping. */
  private takenDirty = false;

  private keep(chunk: string, start: number, end: number, dirty: boolean): void {
    if (this.partial.length >= this.maxLineLength) return;
    this.partial += chunk.slice(start, Math.min(end, start + this.maxLineLength));
    this.partialDirty ||= dirty;
  }

  private setCandidate(raw: string, dirty: boolean, blank: boolean | undefined, epoch: string | undefined | null): void {
    this.candidate = raw;
    this.candidateDirty = dirty;
    this.candidateBlank = blank;
    this.candidateEpoch = epoch;
  }

  private finishRedraw(raw: string, dirty: boolean, sink: LineSink): void {
    dirty ||= this.takenDirty;
    const previous = this.candidate;
    if (previous === undefined) {
      this.setCandidate(raw, dirty, undefined, null);
      return;
    }
    if (isBlankRaw(raw)) return;
    this.setCandidate(raw, dirty, false, this.compareEpochs(previous, raw, sink));
  }

  private finishLine(raw: string, dirty: boolean, sink: LineSink): void {
    dirty ||= this.takenDirty;
    const previous = this.candidate;
    let text = raw;
    if (previous !== undefined) {
      if (raw.length === 0 || isBlankRaw(raw)) {
        text = previous;
        dirty = this.candidateDirty;
      } else this.compareEpochs(previous, raw, sink);
      this.candidate = undefined;
    }
    sink.line(dirty ? stripEscapes(text) : text, this.line);
    this.line++;
  }

  /**
   * `previous` (the candidate) is replaced by the non-blank `next`. Returns
   * next's leading epoch when it was computed (null when not).
   */
  private compareEpochs(previous: string, next: string, sink: LineSink): string | undefined | null {
    if (this.candidateBlank === undefined) this.candidateBlank = isBlankRaw(previous);
    if (this.candidateBlank) return null;
    if (this.candidateEpoch === null) this.candidateEpoch = leadingEpoch(previous);
    const before = this.candidateEpoch;
    if (before === undefined) return null;
    const after = leadingEpoch(next);
    if (after !== undefined && after !== before) sink.line(this.candidateDirty ? stripEscapes(previous) : previous, this.line);
    else sink.epoch(Number(before));
    return after;
  }
}
