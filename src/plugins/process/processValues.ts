/** One process of the tree, as the top-N list shows it. */
export interface ProcessEntry {
  pid: number;
  name: string;
  /** Share of one core since the previous sample; a process using two cores shows 200. */
  cpuPercent: number;
  rssBytes: number;
  threads: number;
}

/** What the `process` collector returns for a root pid and its descendants. (A type, so it fits CollectedValues.) */
export type ProcessValues = {
  rootPid: number;
  /** False when the root process does not exist (any more); the totals are then 0. */
  alive: boolean;
  count: number;
  threads: number;
  /** Sum over the tree, in shares of one core (can exceed 100 on several cores). */
  cpuPercent: number;
  rssBytes: number;
  top: ProcessEntry[];
  elapsedMs?: number;
};
