import { stripEscapes } from '../parse/escapes';

/** Characters kept of one line, as the stdout parser keeps them (its `maxLineLength` default). */
export const MAX_LINE_CHARS = 65536;

/**
 * Cuts a terminal's raw output into the lines it shows: a line ends at `\n`; within it, `\r`
 * returns the cursor and what follows redraws the line, so the line is its last redraw that shows
 * something (a tqdm bar is kept as its final state, not as a copy per redraw; the empty piece after
 * the `\r` of `\r\n` and a bar cleared by `\r` plus spaces do not hide what came before). Escape
 * sequences and control characters are removed. Chunks may end anywhere, in a line, an escape
 * sequence or a UTF-8 character; memory is one line of at most `maxChars` characters per redraw.
 */
export class OutputLines {
  private readonly decoder = new TextDecoder('utf-8');
  /** The redraw under way (raw). */
  private current = '';
  /** The line's last finished redraw that shows something, escapes removed (or its first, while all are blank). */
  private candidate: string | undefined;

  constructor(private readonly maxChars = MAX_LINE_CHARS) {}

  /** The lines the chunk finished. */
  push(chunk: string | Uint8Array): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: string[] = [];
    const n = text.length;
    let pos = 0;
    // Each search runs once over the chunk: a chunk of many short lines costs no rescans.
    let nl = indexOr(text, '\n', 0, n);
    let cr = indexOr(text, '\r', 0, n);
    while (pos < n) {
      if (nl < pos) nl = indexOr(text, '\n', pos, n);
      if (cr < pos) cr = indexOr(text, '\r', pos, n);
      while (cr < nl) {
        this.add(text, pos, cr);
        this.finishRedraw();
        pos = cr + 1;
        cr = indexOr(text, '\r', pos, n);
      }
      this.add(text, pos, nl);
      if (nl === n) break;
      out.push(this.finishLine());
      pos = nl + 1;
    }
    return out;
  }

  /** The last line when the output ended without `\n`, else undefined. */
  end(): string | undefined {
    const rest = this.decoder.decode();
    if (rest) this.add(rest, 0, rest.length);
    if (this.current === '' && this.candidate === undefined) return undefined;
    return this.finishLine();
  }

  private add(text: string, from: number, to: number): void {
    const room = this.maxChars - this.current.length;
    if (room > 0 && to > from) this.current += text.slice(from, Math.min(to, from + room));
  }

  private finishRedraw(): void {
    const shown = stripEscapes(this.current);
    this.current = '';
    if (this.candidate === undefined || !isBlank(shown)) this.candidate = shown;
  }

  private finishLine(): string {
    let shown = stripEscapes(this.current);
    this.current = '';
    if (this.candidate !== undefined && isBlank(shown)) shown = this.candidate;
    this.candidate = undefined;
    return shown;
  }
}

function indexOr(text: string, char: string, from: number, fallback: number): number {
  const i = text.indexOf(char, from);
  return i < 0 ? fallback : i;
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}
