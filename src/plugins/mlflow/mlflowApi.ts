import type { RunInfo } from '../../core/types';
import { MlflowError } from './mlflowError';
import type { MlflowHttp } from './mlflowHttp';
import { RUN_ID_TAG, VERSION_TAG, mlflowRunTags, type MlflowRunStatus, type MlflowTag } from './mlflowRunTags';

/** Run ids a search filter can hold as they are (the store's run ids are of these characters). */
const SEARCHABLE_ID = /^[A-Za-z0-9._-]+$/;

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage?: string;
  artifact_location?: string;
}

export interface MlflowRunInfo {
  run_id: string;
  experiment_id: string;
  artifact_uri?: string;
  status?: string;
}

/** The few REST calls the backend makes, typed. */
export class MlflowApi {
  constructor(readonly http: MlflowHttp) {}

  /** The experiment by name, or undefined when there is none. */
  async experimentByName(name: string): Promise<MlflowExperiment | undefined> {
    try {
      const reply = await this.http.get<{ experiment?: MlflowExperiment }>('experiments/get-by-name', { experiment_name: name });
      return reply.experiment;
    } catch (err) {
      if (err instanceof MlflowError && err.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    }
  }

  /** Finds or creates the experiment; if another client creates it meanwhile, reads theirs. */
  async getOrCreateExperiment(name: string): Promise<MlflowExperiment> {
    let experiment = await this.experimentByName(name);
    if (!experiment) {
      try {
        const created = await this.http.post<{ experiment_id: string }>('experiments/create', { name });
        return { experiment_id: created.experiment_id, name };
      } catch (err) {
        if (!(err instanceof MlflowError && err.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw err;
        experiment = await this.experimentByName(name);
        if (!experiment) throw err;
      }
    }
    if (experiment.lifecycle_stage === 'deleted') {
      throw new MlflowError(
        'experiments/get-by-name',
        200,
        'EXPERIMENT_DELETED',
        `experiment "${name}" is deleted: restore it in MLflow or set another experimentName`,
      );
    }
    return experiment;
  }

  /**
   * The MLflow run an earlier instance made for this Tracelet run (and metrics version) in the experiment, if
   * any: a window that closed mid-run leaves its run to the next window's recovery, which goes on in it.
   */
  async existingRun(experimentId: string, run: RunInfo): Promise<MlflowRunInfo | undefined> {
    if (!SEARCHABLE_ID.test(run.id)) return undefined;
    const reply = await this.http.post<{ runs?: { info: MlflowRunInfo; data?: { tags?: MlflowTag[] } }[] }>('runs/search', {
      experiment_ids: [experimentId],
      filter: `tags.\`${RUN_ID_TAG}\` = '${run.id}'`,
      run_view_type: 'ACTIVE_ONLY',
      max_results: 100,
    });
    const version = run.tags[VERSION_TAG];
    const tagOf = (tags: MlflowTag[] | undefined, key: string) => tags?.find((t) => t.key === key)?.value;
    return reply.runs?.find((r) => tagOf(r.data?.tags, VERSION_TAG) === version)?.info;
  }

  async createRun(experimentId: string, run: RunInfo): Promise<MlflowRunInfo> {
    const reply = await this.http.post<{ run: { info: MlflowRunInfo } }>(
      'runs/create',
      { experiment_id: experimentId, run_name: run.name || run.id, user_id: run.user, start_time: Math.floor(run.startTime), tags: mlflowRunTags(run) },
      false, // a repeat after a lost answer would make a second run
    );
    return reply.run.info;
  }

  /** One runs/log-batch request; the body comes from logBatchBodies. */
  async logBatch(body: string): Promise<void> {
    await this.http.post('runs/log-batch', body);
  }

  async updateRun(runId: string, status: MlflowRunStatus, endTime: number): Promise<void> {
    await this.http.post('runs/update', { run_id: runId, status, end_time: Math.floor(endTime) });
  }
}
