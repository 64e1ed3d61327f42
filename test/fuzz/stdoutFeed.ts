// Feeding generated output to StdoutParser in chunks, and comparing record lists so that a failure can be read.
import { isDeepStrictEqual } from 'node:util';
import type { MetricRecord, StdoutParserOptions } from '../../src/core/parse/metricRecord';
import { StdoutParser } from '../../src/core/parse/stdoutParser';
import type { Rng } from './harness';

type Chunks = readonly (string | Uint8Array)[];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function parseChunks(chunks: Chunks, options: StdoutParserOptions): MetricRecord[] {
  const parser = new StdoutParser(options);
  const out: MetricRecord[] = [];
  for (const chunk of chunks) for (const r of parser.push(chunk)) out.push(r);
  for (const r of parser.end()) out.push(r);
  return out;
}

/** Where a cut is most likely to split something the assembler must put back together. */
function isTricky(c: number): boolean {
  return c === 0x1b || c === 0x0d || c === 0x0a || c >= 0x80;
}

/**
 * The input cut at random places, half of them just after an ESC, a `\r`, a
 * `\n` or a non-ASCII character or byte (so inside escapes, `\r\n` pairs,
 * surrogate pairs, UTF-8 sequences); empty chunks now and then.
 */
export function randomChunks(rng: Rng, whole: string | Uint8Array): Chunks {
  const n = whole.length;
  if (n === 0) return [whole];
  const tricky: number[] = [];
  for (let i = 0; i < n && tricky.length < 4096; i++) {
    const c = typeof whole === 'string' ? whole.charCodeAt(i) : whole[i]!;
    if (isTricky(c)) tricky.push(i + 1);
  }
  const cuts = new Set<number>();
  const wanted = rng.between(1, Math.min(n, rng.bool(0.1) ? 400 : 24));
  for (let k = 0; k < wanted; k++) cuts.add(tricky.length > 0 && rng.bool() ? rng.pick(tricky) : rng.between(0, n));
  const at = [...cuts].sort((a, b) => a - b);
  const out: (string | Uint8Array)[] = [];
  let from = 0;
  for (const cut of at) {
    out.push(whole.slice(from, cut));
    from = cut;
  }
  out.push(whole.slice(from));
  return out;
}

/** Random chunks of the text, or now and then of its UTF-8 bytes (when they decode back to it: no lone surrogate, no leading BOM). */
export function someChunks(rng: Rng, text: string): Chunks {
  if (rng.bool(0.25)) {
    const bytes = encoder.encode(text);
    if (decoder.decode(bytes) === text) return randomChunks(rng, bytes);
  }
  return randomChunks(rng, text);
}

export function showRecord(r: MetricRecord | undefined): string {
  if (r === undefined) return 'nothing';
  const value = Object.is(r.value, -0) ? '-0' : String(r.value);
  return `{name: ${JSON.stringify(r.name)}, value: ${value}, step: ${r.step}, epoch: ${r.epoch}, line: ${r.line}}`;
}

/** The input, cut short when long, so a failure message stays readable. */
export function showText(text: string): string {
  return JSON.stringify(text.length > 3000 ? `${text.slice(0, 3000)}…(${text.length} chars)` : text);
}

/** Throws, naming the first record that differs and the output line it came from, unless the lists are equal (values by Object.is). */
export function assertSameRecords(got: readonly MetricRecord[], want: readonly MetricRecord[], what: string, text: string): void {
  if (isDeepStrictEqual(got, want)) return;
  let i = 0;
  while (i < got.length && i < want.length && isDeepStrictEqual(got[i], want[i])) i++;
  const line = (got[i] ?? want[i])!.line;
  const lineText = text.split('\n')[line - 1] ?? '';
  throw new Error(
    `${what}: record ${i} is ${showRecord(got[i])}, expected ${showRecord(want[i])} (${got.length} records, expected ${want.length})\n` +
      `output line ${line}: ${showText(lineText)}\ninput: ${showText(text)}`,
  );
}
