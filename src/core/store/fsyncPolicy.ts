/**
 * When a run's files are flushed to the disk itself (fsync), beyond the operating system's cache:
 * `off` never, `end` when the run ends, a number of seconds: at the end and at most that long after
 * a point is written while the run goes on. Written data survives a killed process whatever the
 * policy; only a power loss or a kernel crash can take what was not yet flushed (docs/run-format.md).
 */
export type FsyncPolicy = 'off' | 'end' | number;

export const DEFAULT_FSYNC: FsyncPolicy = 5;

/** The policy a setting's value names; anything else is the default. */
export function parseFsyncPolicy(value: unknown): FsyncPolicy {
  if (value === 'off' || value === 'end') return value;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_FSYNC;
}
