import { firstShown, stripEscapes } from './escapes';

/**
 * Receives each finished line, escapes stripped, with its 1-based line
 * number: the line is text[start, end), and text[end] (when there is one) is
 * the `\r` or `\n` that ended it. `source` numbers the text: the same
 * number means the same string (a chunk whose lines come in order).
 */
export interface LineSink {
  line(text: string, start: number, end: number, line: number, source: number): void;
  /**
   * Reads text[start, end) if it is a line the sink knows the shape of, and
   * so holds no `\r` and no escape (the assembler has not looked); false
   * when it does not know it: the assembler then checks the line and hands
   * it to `line` as usual.
   */
  lineIfKnown(text: string, start: number, end: number, line: number, source: number): boolean;
  /** A redraw that was replaced within its line started with `Epoch N`: the epoch was shown. */
  epoch(value: number): void;
}

/** True when the raw redraw shows nothing (spaces, or only escapes such as `ESC[A`). */
function isBlankRaw(raw: string): boolean {
  return firstShown(raw, false) === raw.length;
}

/**
 * The number of a leading `Epoch N` (also `[Epoch N`, `epoch: N`, `Epoch=N`),
 * or -1. Called for every redraw of a bar, so it reads characters rather
 * than running a regex, and looks at one character for most text.
 */
function leadingEpoch(raw: string): number {
  let i = firstShown(raw, true);
  if ((raw.charCodeAt(i) | 0x20) !== 101 /* e */) return -1;
  if (i > 0 && raw.indexOf('\x1b') >= 0) {
    raw = stripEscapes(raw);
    i = firstShown(raw, true);
  }
  if (
    (raw.charCodeAt(i + 1) | 0x20) !== 112 /* p */ ||
    (raw.charCodeAt(i + 2) | 0x20) !== 111 /* o */ ||
    (raw.charCodeAt(i + 3) | 0x20) !== 99 /* c */ ||
    (raw.charCodeAt(i + 4) | 0x20) !== 104 /* h */
  ) {
    return -1;
  }
  i += 5;
  while (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9) i++;
  if (raw.charCodeAt(i) === 58 /* : */ || raw.charCodeAt(i) === 61 /* = */) i++;
  while (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9) i++;
  let n = -1;
  for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) n = (n < 0 ? 0 : n * 10) + (c - 48);
  return n;
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
  /** Whether `partial` holds an ESC, so stripping is needed. */
  private partialDirty = false;
  /** Raw text of the line's latest non-blank finished redraw (or its first, while all are blank). */
  private candidate: string | undefined;
  private candidateDirty = false;
  /** Whether the candidate is blank; undefined until needed. */
  private candidateBlank: boolean | undefined;
  /** The candidate's leading epoch: null until computed, -1 when it has none. */
  private candidateEpoch: number | null = null;
  private line = 1;
  /** Numbers the texts handed to the sink (see LineSink). */
  private source = 0;

  constructor(private readonly maxLineLength = 65536) {}

  push(chunk: string, sink: LineSink): void {
    const n = chunk.length;
    const source = ++this.source;
    let pos = 0;
    let cr = chunk.indexOf('\r');
    if (cr < 0) cr = n;
    // The next ESC, found once per chunk rather than once per line. (Backspaces
    // need no tracking: Keras writes them before a `\r`, in redraws that are
    // replaced, and those are never stripped.)
    let esc = chunk.indexOf('\x1b');
    if (esc < 0) esc = n;
    while (pos < n) {
      let nl = chunk.indexOf('\n', pos);
      if (nl < 0) nl = n;
      // A line longer than maxLineLength is not whole here: `take` cuts it, as when it comes in pieces.
      const whole = nl < n && nl - pos <= this.maxLineLength && this.candidate === undefined && this.partial === '';
      if (cr < pos) {
        // Where the next \r is has not been looked up since the last line. A line ending in \r\n
        // that the sink knows the shape of has no other: it needs no search.
        if (whole && nl > pos && chunk.charCodeAt(nl - 1) === 13 && sink.lineIfKnown(chunk, pos, nl - 1, this.line, source)) {
          this.line++;
          pos = nl + 1;
          continue;
        }
        cr = nextOf(chunk, '\r', pos);
      }
      if (whole && (cr === nl - 1 || cr > nl)) {
        // The common whole line, ending in \r\n or \n: no redraw to weigh, and no copy of it made.
        const end = cr === nl - 1 ? cr : nl;
        if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
        if (esc < end) this.emit(stripEscapes(chunk.slice(pos, end)), sink);
        else sink.line(chunk, pos, end, this.line++, source);
        pos = nl + 1;
        continue;
      }
      while (cr < nl) {
        if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
        this.finishRedraw(this.take(chunk, pos, cr, esc), sink);
        pos = cr + 1;
        cr = nextOf(chunk, '\r', pos);
      }
      if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
      if (nl === n) {
        this.keep(chunk, pos, n, esc);
        return;
      }
      this.finishLine(this.take(chunk, pos, nl, esc), sink);
      pos = nl + 1;
    }
  }

  /** Hands a whole line held in a string of its own to the sink. */
  private emit(text: string, sink: LineSink): void {
    sink.line(text, 0, text.length, this.line++, ++this.source);
  }

  /** Ends the output: a last line without `\n` is finished too. */
  end(sink: LineSink): void {
    if (this.partial !== '' || this.candidate !== undefined) this.finishLine(this.take('', 0, 0, 0), sink);
  }

  /**
   * The raw text of the piece [start, end) of `chunk`, after what earlier
   * chunks left of it, cut to maxLineLength; `esc` is the chunk's next ESC at
   * or after `start`. Sets `takenDirty`: whether the text kept holds an ESC.
   * Only what is kept counts, so that an escape in a part cut off does not
   * decide how the rest is stripped, however the output was chunked.
   */
  private take(chunk: string, start: number, end: number, esc: number): string {
    const kept = Math.min(end - start, this.maxLineLength - this.partial.length);
    const piece = chunk.slice(start, start + kept);
    const raw = this.partial === '' ? piece : this.partial + piece;
    this.takenDirty = this.partialDirty || esc < start + kept;
    this.partial = '';
    this.partialDirty = false;
    return raw;
  }

  private takenDirty = false;

  /** Keeps the start of an unfinished piece for the next chunk, no more than maxLineLength in all (see `take`). */
  private keep(chunk: string, start: number, end: number, esc: number): void {
    const kept = Math.min(end - start, this.maxLineLength - this.partial.length);
    if (kept <= 0) return;
    this.partial += chunk.slice(start, start + kept);
    this.partialDirty ||= esc < start + kept;
  }

  private setCandidate(raw: string, dirty: boolean, blank: boolean | undefined, epoch: number | null): void {
    this.candidate = raw;
    this.candidateDirty = dirty;
    this.candidateBlank = blank;
    this.candidateEpoch = epoch;
  }

  private finishRedraw(raw: string, sink: LineSink): void {
    const dirty = this.takenDirty;
    const previous = this.candidate;
    if (previous === undefined) {
      this.setCandidate(raw, dirty, undefined, null);
      return;
    }
    if (isBlankRaw(raw)) return;
    this.setCandidate(raw, dirty, false, this.compareEpochs(previous, raw, sink));
  }

  private finishLine(raw: string, sink: LineSink): void {
    let dirty = this.takenDirty;
    const previous = this.candidate;
    let text = raw;
    if (previous !== undefined) {
      if (raw.length === 0 || isBlankRaw(raw)) {
        text = previous;
        dirty = this.candidateDirty;
      } else this.compareEpochs(previous, raw, sink);
      this.candidate = undefined;
    }
    this.emit(dirty ? stripEscapes(text) : text, sink);
  }

  /**
   * `previous` (the candidate) is replaced by the non-blank `next`. Returns
   * next's leading epoch when it was computed (null when not).
   */
  private compareEpochs(previous: string, next: string, sink: LineSink): number | null {
    if (this.candidateBlank === undefined) this.candidateBlank = isBlankRaw(previous);
    if (this.candidateBlank) return null;
    if (this.candidateEpoch === null) this.candidateEpoch = leadingEpoch(previous);
    const before = this.candidateEpoch;
    if (before < 0) return null;
    const after = leadingEpoch(next);
    if (after >= 0 && after !== before) {
      const text = this.candidateDirty ? stripEscapes(previous) : previous;
      sink.line(text, 0, text.length, this.line, ++this.source);
    } else sink.epoch(before);
    return after;
  }
}
