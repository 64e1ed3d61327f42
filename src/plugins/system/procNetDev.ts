/** Cumulative bytes received and sent by one interface. */
export interface NetCounters {
  rxBytes: number;
  txBytes: number;
}

/** Parses /proc/net/dev. Old kernels glue large counters to the colon (`eth0:123`), so the name is split at the colon. */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (!name || f.length < 9) continue;
    const rx = Number(f[0]);
    const tx = Number(f[8]);
    if (Number.isFinite(rx) && Number.isFinite(tx)) out.set(name, { rxBytes: rx, txBytes: tx });
  }
  return out;
}

/** Interface names matched by the exclusion list; an entry ending in `*` matches by prefix (`veth*`). */
export function isExcluded(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}
