import type { RunInfo, RunStatus } from '../../core/types';
import { MLFLOW_LIMITS } from './mlflowConfig';
import { mlflowKey } from './mlflowKeys';

/** The MLflow tag that names the Tracelet run an MLflow run records. */
export const RUN_ID_TAG = 'tracelet.runId';
/** Tracelet's metrics version tag, under the same name in MLflow. */
export { METRICS_VERSION_TAG as VERSION_TAG } from '../../core/pipeline/sendVersion';

export interface MlflowTag {
  key: string;
  value: string;
}

/** RunInfo tags (several spellings accepted) that become MLflow's reserved git tags. */
const GIT_TAGS: Record<string, readonly string[]> = {
  'mlflow.source.git.commit': ['git.commit', 'git_commit', 'gitCommit', 'commit'],
  'mlflow.source.git.branch': ['git.branch', 'git_branch', 'gitBranch', 'branch'],
  'mlflow.source.git.repoURL': ['git.remote', 'git.remoteUrl', 'git_remote', 'gitRemote', 'remote'],
};

/**
 * The tags runs/create gets for a Tracelet run: MLflow's reserved ones (shown in its
 * UI as run name, user, source and git commit), where it ran, and every other run
 * tag under its own (mended) name.
 */
export function mlflowRunTags(run: RunInfo): MlflowTag[] {
  const tags = new Map<string, string>([
    ['mlflow.runName', run.name || run.id],
    ['mlflow.user', run.user],
    ['mlflow.source.name', run.command],
    ['mlflow.source.type', 'LOCAL'],
    [RUN_ID_TAG, run.id],
    ['tracelet.host', run.host],
    ['tracelet.cwd', run.cwd],
  ]);
  const used = new Set<string>();
  for (const [mlflowTag, names] of Object.entries(GIT_TAGS)) {
    const name = names.find((n) => typeof run.tags[n] === 'string' && run.tags[n] !== '');
    if (name !== undefined) {
      tags.set(mlflowTag, run.tags[name]!);
      used.add(name);
    }
  }
  for (const [name, value] of Object.entries(run.tags)) {
    if (!used.has(name) && !tags.has(mlflowKey(name))) tags.set(mlflowKey(name), String(value));
  }
  return [...tags].filter(([, value]) => value !== '').map(([key, value]) => ({ key, value: value.slice(0, MLFLOW_LIMITS.tagValueLength) }));
}

export type MlflowRunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** Tracelet's outcomes in MLflow's four: a crash is a failure, a user stop is a kill. */
export function mlflowStatus(status: RunStatus): MlflowRunStatus {
  switch (status) {
    case 'running':
      return 'RUNNING';
    case 'finished':
      return 'FINISHED';
    case 'failed':
    case 'crashed':
      return 'FAILED';
    case 'killed':
    case 'stopped':
      return 'KILLED';
  }
}
