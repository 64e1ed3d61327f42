import type { RE2JS } from 're2js';
import { loadRe2 } from '../vendor/load';
import { errorText } from '../errors';

/**
 * A user's regular expression (auto-track patterns, the stdout plugin's custom patterns) run by RE2's
 * engine (the re2js port), whose matching time is linear in the text, so no pattern can hang the
 * extension host with catastrophic backtracking. It reads JavaScript syntax but for what needs
 * backtracking: lookahead, lookbehind and backreferences are refused when the pattern is compiled.
 */
export interface BoundedRegex {
  readonly source: string;
  test(text: string): boolean;
  /** Calls `found` for each match, left to right; `group` reads a numbered or named group (undefined when it did not take part). */
  forEach(text: string, found: (group: (nameOrIndex: string | number) => string | undefined) => void): void;
}

/** Why a pattern cannot be used: invalid, or needing a construct that cannot run in bounded time. */
export class PatternError extends Error {}

/** JavaScript spellings RE2 writes differently: `\uXXXX`, `\u{X}` and `[^]`. */
function toRe2Syntax(source: string): string {
  return source.replace(/\\\\|\\u\{([0-9A-Fa-f]+)\}|\\u([0-9A-Fa-f]{4})|\[\^\]/g, (m: string, braced?: string, four?: string) => {
    if (m === '\\\\') return m;
    if (m === '[^]') return '[\\s\\S]';
    return `\\x{${braced ?? four}}`;
  });
}

/** The flags RE2JS takes for each JavaScript flag; read from the engine once it is loaded. */
function flagBits(engine: typeof RE2JS): Record<string, number> {
  return { i: engine.CASE_INSENSITIVE, m: engine.MULTILINE, s: engine.DOTALL, u: 0 };
}

/** Compiles a user pattern with flags from `imsu`; throws a PatternError saying what is wrong. */
export function compileBounded(source: string, flags = ''): BoundedRegex {
  try {
    new RegExp(source, flags.replace(/[^imsu]/g, ''));
  } catch (err) {
    throw new PatternError(`not a valid regular expression (${errorText(err)})`);
  }
  const engine = loadRe2();
  const bitsOf = flagBits(engine);
  let bits = 0;
  for (const f of flags) {
    if (!(f in bitsOf)) throw new PatternError(`flag "${f}" is not supported (use i, m, s or u)`);
    bits |= bitsOf[f]!;
  }
  let compiled: RE2JS;
  try {
    compiled = engine.compile(toRe2Syntax(source), bits);
  } catch (err) {
    const detail = errorText(err).replace(/^error parsing regexp:\s*/, '');
    throw new PatternError(`cannot be run in bounded time: lookahead, lookbehind and backreferences are not supported (${detail})`);
  }
  const names = new Set(Object.keys(compiled.namedGroups()));
  const groups = compiled.groupCount();
  return {
    source,
    test: (text) => compiled.matcher(text).find(),
    forEach(text, found) {
      const m = compiled.matcher(text);
      const read = (g: string | number): string | undefined => {
        const known = typeof g === 'number' ? g >= 0 && g <= groups : names.has(g);
        return known ? (m.group(g as never) ?? undefined) : undefined;
      };
      while (m.find()) found(read);
    },
  };
}
