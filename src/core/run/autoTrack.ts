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

export interface AutoTrackMatcher {
  matches(commandLine: string): boolean;
  /** Patterns that are not valid regular expressions, with the reason. */
  readonly invalid: { pattern: string; error: string }[];
}

export function autoTrackMatcher(patterns: readonly string[]): AutoTrackMatcher {
  const invalid: { pattern: string; error: string }[] = [];
  const compiled: RegExp[] = [];
  for (const pattern of patterns) {
    try {
      compiled.push(new RegExp(pattern));
    } catch (err) {
      invalid.push({ pattern, error: (err as Error).message });
    }
  }
  return { matches: (line) => compiled.some((r) => r.test(line.trim())), invalid };
}
