import type { RunInfo } from '../../core/types';
import { MlflowError } from './mlflowError';
import type { MlflowHttp } from './mlflowHttp';
import { mlflowRunTags, type MlflowRunStatus } from './mlflowRunTags';

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
