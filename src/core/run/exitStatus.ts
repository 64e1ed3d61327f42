import type { RunStatus } from '../types';

/** Exit code → run status: 0 finished; 128+N (a shell's report of signal N) killed; other non-zero failed; unknown finished. */
export function statusFromExit(exitCode: number | undefined): RunStatus {
  if (exitCode === undefined || exitCode === 0) return 'finished';
  if (exitCode > 128 && exitCode <= 128 + 64) return 'killed';
  return 'failed';
}
