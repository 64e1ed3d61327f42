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
   * Reads the line that starts at text[start] if the sink knows its shape,
   * and returns the index of its end, the `\n` or the `\r` of a `\r\n`
   * before text[end]: such a line holds no other `\r` and no escape (the
   * assembler has not looked, nor searched for its end). -1 when it does not
   * know it: the assembler then finds the line's end, checks the line and
   * hands it to `line` as usual.
   */
  knownLine(text: string, start: number, end: number, line: number, source: number): number;
  /** A redraw that was replaced within its line started with `Epoch N`: the epoch was shown. */
  epoch(value: number): void;
}

/**
 * The number of a leading `Epoch N` (also `[Epoch N`, `epoch: N`, `Epoch=N`)
 * in the redraw text[start, end) (`dirty`: it holds an ESC), or -1. Called
 * for every redraw of a bar, so it reads characters rather than running a
 * regex, and looks at one character for most text. Reads stop at text[end],
 * a `\r` or `\n` when there is one, as at the end of a string.
 */
function leadingEpoch(text: string, start: number, end: number, dirty: boolean): number {
  let i = firstShown(text, true, start, end);
  if ((text.charCodeAt(i) | 0x20) !== 101 /* e */) return -1;
  if (i > start && dirty) {
    text = stripEscapes(text.slice(start, end));
    i = firstShown(text, true, 0, text.length);
  }
  if (
    (text.charCodeAt(i + 1) | 0x20) !== 112 /* p */ ||
    (text.charCodeAt(i + 2) | 0x20) !== 111 /* o */ ||
    (text.charCodeAt(i + 3) | 0x20) !== 99 /* c */ ||
    (text.charCodeAt(i + 4) | 0x20) !== 104 /* h */
  ) {
    return -1;
  }
  i += 5;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  if (text.charCodeAt(i) === 58 /* : */ || text.charCodeAt(i) === 61 /* = */) i++;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  let n = -1;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) n = (n < 0 ? 0 : n * 10) + (c - 48);
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
  /**
   * The line's latest non-blank finished redraw (or its first, while all are
   * blank): candidateText[candidateStart, candidateEnd), raw; undefined when
   * the line has had no redraw. While the chunk being pushed holds it, it is
   * read there (most redraws are replaced, so none is copied for them) and
   * `candidateSource` is that chunk's source; else it is a string of its own
   * and `candidateSource` is 0.
   */
  private candidateText: string | undefined;
  private candidateStart = 0;
  private candidateEnd = 0;
  private candidateSource = 0;
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
      const fresh = this.candidateText === undefined && this.partial === '';
      if (fresh && pos < n - 2) {
        // A line the sink knows the shape of needs no search for its end, a \r or an ESC. A line longer than
        // maxLineLength is not whole here (`take` cuts it, as when it comes in pieces): its \n lies past the limit.
        // Nor are the chunk's last two characters given: reading a number up to text[end] looks at text[end + 1]
        // (reads past the chunk's end would leave V8 slower code).
        const end = sink.knownLine(chunk, pos, Math.min(n - 2, pos + this.maxLineLength + 1), this.line, source);
        if (end >= 0) {
          this.line++;
          pos = end + (chunk.charCodeAt(end) === 13 ? 2 : 1);
          continue;
        }
      }
      let nl = chunk.indexOf('\n', pos);
      if (nl < 0) nl = n;
      const whole = fresh && nl < n && nl - pos <= this.maxLineLength;
      // Where the next \r is has not been looked up since the last line.
      if (cr < pos) cr = nextOf(chunk, '\r', pos);
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
        this.finishPiece(chunk, pos, cr, esc, source, false, sink);
        pos = cr + 1;
        cr = nextOf(chunk, '\r', pos);
      }
      if (esc < pos) esc = nextOf(chunk, '\x1b', pos);
      if (nl === n) {
        this.keep(chunk, pos, n, esc);
        if (this.candidateText !== undefined && this.candidateSource === source) {
          // The candidate outlives the chunk: it becomes a string of its own (ended by a \n, see emit).
          this.candidateText = `${chunk.slice(this.candidateStart, this.candidateEnd)}\n`;
          this.candidateStart = 0;
          this.candidateEnd = this.candidateText.length - 1;
          this.candidateSource = 0;
        }
        return;
      }
      this.finishPiece(chunk, pos, nl, esc, source, true, sink);
      pos = nl + 1;
    }
  }

  /**
   * Hands a whole line held in a string of its own to the sink, with a `\n`
   * after it, as a line in a chunk has its `\r` or `\n`: readers that look a
   * character past a line's end (a number's `.` or exponent) then never read
   * past the string's end, which V8 would answer by making every such read
   * in the function slower (a text copied for the sink always ends so).
   */
  private emit(text: string, sink: LineSink): void {
    sink.line(`${text}\n`, 0, text.length, this.line++, ++this.source);
  }

  /**
   * Hands text[start, end) to the sink as line `line`, escapes stripped when
   * `dirty`; `source` is the chunk's source when the chunk being pushed holds
   * it (then it is read there, with no copy: the chunk's lines still reach the
   * sink in order, as `source` promises), 0 for a string of its own.
   */
  private hand(text: string, start: number, end: number, source: number, dirty: boolean, line: number, sink: LineSink): void {
    if (dirty) {
      const shown = stripEscapes(text.slice(start, end));
      sink.line(`${shown}\n`, 0, shown.length, line, ++this.source);
    } else sink.line(text, start, end, line, source === 0 ? ++this.source : source);
  }

  /** Ends the output: a last line without `\n` is finished too. */
  end(sink: LineSink): void {
    if (this.partial !== '' || this.candidateText !== undefined) this.finishPiece('', 0, 0, 0, 0, true, sink);
  }

  /**
   * The raw text of the piece [start, end) of `chunk`, after what earlier
   * chunks left of it, cut to maxLineLength, and a `\n` after it (see emit);
   * `esc` is the chunk's next ESC at or after `start`. Sets `takenDirty`:
   * whether the text kept holds an ESC.
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
    return `${raw}\n`;
  }

  private takenDirty = false;

  /** Keeps the start of an unfinished piece for the next chunk, no more than maxLineLength in all (see `take`). */
  private keep(chunk: string, start: number, end: number, esc: number): void {
    const kept = Math.min(end - start, this.maxLineLength - this.partial.length);
    if (kept <= 0) return;
    this.partial += chunk.slice(start, start + kept);
    this.partialDirty ||= esc < start + kept;
  }

  private setCandidate(text: string, start: number, end: number, source: number, dirty: boolean, blank: boolean | undefined, epoch: number | null): void {
    this.candidateText = text;
    this.candidateStart = start;
    this.candidateEnd = end;
    this.candidateSource = source;
    this.candidateDirty = dirty;
    this.candidateBlank = blank;
    this.candidateEpoch = epoch;
  }

  /**
   * The piece chunk[start, end) is finished: a redraw ended by a `\r`, or
   * (`endsLine`) the line's last piece, ended by `\n` or by the output's end;
   * `esc` is the chunk's next ESC at or after `start`. It is read in place
   * unless it follows what earlier chunks left or must be cut (`take`).
   */
  private finishPiece(chunk: string, start: number, end: number, esc: number, source: number, endsLine: boolean, sink: LineSink): void {
    let text = chunk;
    let dirty = esc < end;
    if (this.partial !== '' || end - start > this.maxLineLength) {
      text = this.take(chunk, start, end, esc);
      start = 0;
      end = text.length - 1;
      source = 0;
      dirty = this.takenDirty;
    }
    if (endsLine) this.finishLine(text, start, end, source, dirty, sink);
    else this.finishRedraw(text, start, end, source, dirty, sink);
  }

  /** The redraw text[start, end) is finished (see finishPiece). */
  private finishRedraw(text: string, start: number, end: number, source: number, dirty: boolean, sink: LineSink): void {
    if (this.candidateText === undefined) {
      this.setCandidate(text, start, end, source, dirty, undefined, null);
      return;
    }
    if (firstShown(text, false, start, end) === end) return;
    this.setCandidate(text, start, end, source, dirty, false, this.compareEpochs(text, start, end, dirty, sink));
  }

  /** The line's last piece text[start, end) is finished (see finishPiece). */
  private finishLine(text: string, start: number, end: number, source: number, dirty: boolean, sink: LineSink): void {
    const candidate = this.candidateText;
    if (candidate !== undefined) {
      if (start === end || firstShown(text, false, start, end) === end) {
        text = candidate;
        start = this.candidateStart;
        end = this.candidateEnd;
        source = this.candidateSource;
        dirty = this.candidateDirty;
      } else this.compareEpochs(text, start, end, dirty, sink);
      this.candidateText = undefined;
    }
    this.hand(text, start, end, source, dirty, this.line++, sink);
  }

  /**
   * The candidate is replaced by the non-blank redraw text[start, end).
   * Returns the redraw's leading epoch when it was computed (null when not).
   */
  private compareEpochs(text: string, start: number, end: number, dirty: boolean, sink: LineSink): number | null {
    const previous = this.candidateText!;
    if (this.candidateBlank === undefined) this.candidateBlank = firstShown(previous, false, this.candidateStart, this.candidateEnd) === this.candidateEnd;
    if (this.candidateBlank) return null;
    if (this.candidateEpoch === null) this.candidateEpoch = leadingEpoch(previous, this.candidateStart, this.candidateEnd, this.candidateDirty);
    const before = this.candidateEpoch;
    if (before < 0) return null;
    const after = leadingEpoch(text, start, end, dirty);
    if (after >= 0 && after !== before) {
      this.hand(previous, this.candidateStart, this.candidateEnd, this.candidateSource, this.candidateDirty, this.line, sink);
    } else sink.epoch(before);
    return after;
  }
}
