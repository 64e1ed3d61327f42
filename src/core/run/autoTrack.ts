import { compileBounded, type BoundedRegex } from '../regex/boundedRegex';
import { errorText } from '../errors';

/**
 * Default command patterns for `tracelet.autoTrack.patterns`: regular
 * expressions matched against the command line as typed.
 */
export const DEFAULT_AUTO_TRACK_PATTERNS: readonly string[] = [
  String.raw`^(\S*/)?python[\d.]*\s+(-\S+\s+)*\S*train\S*\.py\b`,
  String.raw`^(\S*/)?python[\d.]*\s+-m\s+\S*train`,
  String.raw`^torchrun\b`,
  String.raw`^accelerate\s+launch\b`,
  String.raw`^deepspeed\b`,
  String.raw`^lightning\s+run\b`,
  String.raw`^(uv|poetry|pipenv)\s+run\s+(python[\d.]*\s+)?\S*train\S*\.py\b`,
];

/** How long one auto-track pattern may take on one command line before it is switched off. */
export const AUTO_TRACK_BUDGET_MS = 50;

export interface AutoTrackMatcher {
  matches(commandLine: string): boolean;
  /** Patterns that cannot be used (invalid, or needing backtracking), with the reason. */
  readonly invalid: { pattern: string; error: string }[];
}

/**
 * Matches command lines against the patterns with a linear-time engine (boundedRegex.ts), so a pattern
 * can never hang the extension host; one that still takes longer than `budgetMs` on a command line
 * (a huge pattern) is switched off for this matcher's lifetime and reported through `onSlow`.
 */
export function autoTrackMatcher(patterns: readonly string[], onSlow?: (message: string) => void, budgetMs = AUTO_TRACK_BUDGET_MS): AutoTrackMatcher {
  const invalid: { pattern: string; error: string }[] = [];
  const compiled: { regex: BoundedRegex; off: boolean }[] = [];
  for (const pattern of patterns) {
    try {
      compiled.push({ regex: compileBounded(pattern), off: false });
    } catch (err) {
      invalid.push({ pattern, error: errorText(err) });
    }
  }
  const matches = (line: string): boolean => {
    const text = line.trim();
    for (const c of compiled) {
      if (c.off) continue;
      const began = performance.now();
      const hit = c.regex.test(text);
      const took = performance.now() - began;
      if (took > budgetMs) {
        c.off = true;
        onSlow?.(
          `tracelet.autoTrack.patterns entry ${JSON.stringify(c.regex.source)} took ${took.toFixed(0)} ms on a command line of ${text.length} characters (the budget is ${budgetMs} ms); it is switched off until the setting changes`,
        );
      }
      if (hit) return true;
    }
    return false;
  };
  return { matches, invalid };
}
