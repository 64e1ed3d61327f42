/** Which metrics a backend receives: include patterns (default all), then exclude patterns. `*` matches within a `/` segment, `**` across. */
export interface RouteRule {
  backend: string;
  include?: string[];
  exclude?: string[];
}

/** `*` within a `/` segment, `**` across, `?` one character: the metric-name patterns of routes and processors. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * A predicate on metric names for one backend. Rules naming the backend are
 * combined: a name passes if any rule includes it and none excludes it. No rule: everything.
 */
export function routeFilter(rules: readonly RouteRule[], backend: string): (metric: string) => boolean {
  const mine = rules.filter((r) => r.backend === backend);
  if (mine.length === 0) return () => true;
  const include = mine.flatMap((r) => r.include ?? ['**']).map(globToRegExp);
  const exclude = mine.flatMap((r) => r.exclude ?? []).map(globToRegExp);
  const cache = new Map<string, boolean>();
  return (metric) => {
    let ok = cache.get(metric);
    if (ok === undefined) {
      ok = include.some((r) => r.test(metric)) && !exclude.some((r) => r.test(metric));
      cache.set(metric, ok);
    }
    return ok;
  };
}
