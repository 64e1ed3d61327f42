import { compileBounded, PatternError, type BoundedRegex } from '../regex/boundedRegex';
import type { CustomPattern } from './metricRecord';
import { parseNumber } from './numbers';

/** A custom pattern that cannot be used, named by its place in the list so the user can find it in settings. */
export class CustomPatternError extends Error {
  constructor(
    readonly index: number,
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`customPatterns[${index}] ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'CustomPatternError';
  }
}

export interface CompiledPattern {
  regex: BoundedRegex;
  name: string | undefined;
  source: string;
  /** Its place in `customPatterns`, for messages. */
  index: number;
  /** Set once the pattern took longer than its budget on one line: it is not run again. */
  off: boolean;
}

/** How long one pattern may take on one line (the engine is linear, but a huge pattern on a 64 KiB line is not free). */
export const PATTERN_BUDGET_MS = 100;

/** A found value: the name (fixed or from the `name` group) and optional step/epoch groups. */
export interface CustomMatch {
  name: string;
  value: number;
  step: number | undefined;
  epoch: number | undefined;
}

function namedGroups(source: string): Set<string> {
  // `(?<x>` in the source; a literal `\(?<x>` would be an escape, which is rare enough to accept.
  const names = new Set<string>();
  for (const m of source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)) names.add(m[1]!);
  return names;
}

function compileOne(spec: CustomPattern, index: number): CompiledPattern {
  const source = typeof spec?.pattern === 'string' ? spec.pattern : '';
  if (source === '') throw new CustomPatternError(index, source, 'the pattern is empty; give a regular expression such as "loss (?<value>\\S+)"');
  const flags = (typeof spec.flags === 'string' ? spec.flags : '').replace(/[gy]/g, '');
  let regex: BoundedRegex;
  try {
    regex = compileBounded(source, flags);
  } catch (err) {
    if (err instanceof PatternError) throw new CustomPatternError(index, source, err.message);
    throw err;
  }
  const groups = namedGroups(source);
  const name = typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name.trim() : undefined;
  if (name === undefined && !groups.has('name')) {
    throw new CustomPatternError(index, source, 'no metric name: add a named group (?<name>...) or set "name"');
  }
  if (!groups.has('value') && (name === undefined || !/\((?!\?)/.test(source.replace(/\\./g, '')))) {
    throw new CustomPatternError(index, source, 'no value: add a named group (?<value>...) around the number');
  }
  return { regex, name, source, index, off: false };
}

/** Compiles the user's patterns; the first unusable one throws a CustomPatternError. */
export function compileCustomPatterns(specs: readonly CustomPattern[] | undefined): CompiledPattern[] {
  return (specs ?? []).map(compileOne);
}

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseNumber(text);
}

/**
 * Every value the patterns find in one line; a match whose value is not a number is skipped. A pattern
 * that takes longer than `budgetMs` on the line is switched off and reported through `onSlow`.
 */
export function matchCustom(
  text: string,
  patterns: readonly CompiledPattern[],
  out: CustomMatch[],
  onSlow?: (message: string) => void,
  budgetMs = PATTERN_BUDGET_MS,
): void {
  for (const p of patterns) {
    if (p.off) continue;
    const began = performance.now();
    p.regex.forEach(text, (group) => {
      const valueText = group('value') ?? (p.name !== undefined ? group(1) : undefined);
      const name = p.name ?? group('name')?.trim();
      const value = valueText === undefined ? undefined : parseNumber(valueText);
      if (value === undefined || !name) return;
      out.push({ name, value, step: optionalNumber(group('step')), epoch: optionalNumber(group('epoch')) });
    });
    const took = performance.now() - began;
    if (took > budgetMs) {
      p.off = true;
      onSlow?.(
        `customPatterns[${p.index}] ${JSON.stringify(p.source)} took ${took.toFixed(0)} ms on one line of ${text.length} characters (the budget is ${budgetMs} ms); it is switched off for this run`,
      );
    }
  }
}
