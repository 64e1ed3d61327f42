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
  regex: RegExp;
  name: string | undefined;
  source: string;
}

/** A found value: the name (fixed or from the `name` group) and optional step/epoch groups. */
export interface CustomMatch {
  name: string;
  value: number;
  step: number | undefined;
  epoch: number | undefined;
}

function namedGroups(regex: RegExp): Set<string> {
  // `(?<x>` in the source; a literal `\(?<x>` would be an escape, which is rare enough to accept.
  const names = new Set<string>();
  for (const m of regex.source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)) names.add(m[1]!);
  return names;
}

function compileOne(spec: CustomPattern, index: number): CompiledPattern {
  const source = typeof spec?.pattern === 'string' ? spec.pattern : '';
  if (source === '') throw new CustomPatternError(index, source, 'the pattern is empty; give a regular expression such as "loss (?<value>\\S+)"');
  const flags = (typeof spec.flags === 'string' ? spec.flags : '').replace(/[gy]/g, '');
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags}g`);
  } catch (err) {
    throw new CustomPatternError(index, source, `not a valid regular expression (${(err as Error).message})`);
  }
  const groups = namedGroups(regex);
  const name = typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name.trim() : undefined;
  if (name === undefined && !groups.has('name')) {
    throw new CustomPatternError(index, source, 'no metric name: add a named group (?<name>...) or set "name"');
  }
  if (!groups.has('value') && (name === undefined || !/\((?!\?)/.test(source.replace(/\\./g, '')))) {
    throw new CustomPatternError(index, source, 'no value: add a named group (?<value>...) around the number');
  }
  return { regex, name, source };
}

/** Compiles the user's patterns; the first unusable one throws a CustomPatternError. */
export function compileCustomPatterns(specs: readonly CustomPattern[] | undefined): CompiledPattern[] {
  return (specs ?? []).map(compileOne);
}

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseNumber(text);
}

/** Every value the patterns find in one line; a match whose value is not a number is skipped. */
export function matchCustom(text: string, patterns: readonly CompiledPattern[], out: CustomMatch[]): void {
  for (const p of patterns) {
    p.regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.regex.exec(text)) !== null) {
      if (m[0].length === 0) p.regex.lastIndex++;
      const g = m.groups;
      const valueText = g?.value ?? (p.name !== undefined ? m[1] : undefined);
      const name = p.name ?? g?.name?.trim();
      const value = valueText === undefined ? undefined : parseNumber(valueText);
      if (value === undefined || !name) continue;
      out.push({ name, value, step: optionalNumber(g?.step), epoch: optionalNumber(g?.epoch) });
    }
  }
}
