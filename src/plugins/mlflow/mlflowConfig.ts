import type { PluginConfig } from '../../core/types';

/** MLflow's own batch limits (mlflow/utils/validation.py, the same in 2.x and 3.x). */
export const MLFLOW_LIMITS = {
  metricsPerBatch: 1000,
  paramsOrTagsPerBatch: 100,
  entitiesPerBatch: 1000,
  /** MAX_BATCH_LOG_REQUEST_SIZE is 1e6; we keep a margin for the envelope. */
  requestBytes: 1_000_000,
  keyLength: 250,
  /** MAX_PARAM_VAL_LENGTH: 6000 since MLflow 2.x (500 before); the installed 3.17.2 server says 6000. */
  paramValueLength: 6000,
  tagValueLength: 8000,
} as const;

export const MLFLOW_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    trackingUri: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      description:
        'The MLflow tracking server, e.g. http://127.0.0.1:5000 (as for `mlflow server`); artifacts go through its artifact proxy. Required to send runs: until it is set the plugin sends nothing and each run notes that it was not sent to MLflow.',
    },
    experimentName: { type: 'string', minLength: 1, default: 'Default', description: 'Experiment the runs go to; created when missing.' },
    token: {
      type: 'string',
      writeOnly: true,
      format: 'password',
      // Bound to the server it is saved for: it is sent only while trackingUri points there.
      sentTo: '/trackingUri',
      description:
        'Optional token sent as `Authorization: Bearer <token>` (e.g. a Databricks or proxy token). Kept in secret storage, bound to the trackingUri it is saved with, and sent to that server only.',
    },
    verifyTls: { type: 'boolean', default: true, description: 'Check the server certificate (https). Turn off only for a self-signed certificate you trust.' },
    batchSize: {
      type: 'integer',
      minimum: 1,
      maximum: MLFLOW_LIMITS.metricsPerBatch,
      default: 1000,
      description: 'At most this many metric points per runs/log-batch request (the server accepts 1000).',
    },
    flushIntervalMs: {
      type: 'integer',
      minimum: 10,
      default: 1000,
      description: 'How long points may wait before a batch is sent (a hint for the run pipeline).',
    },
    timeoutMs: { type: 'integer', minimum: 100, default: 30000, description: 'How long one request may wait for the server.' },
    maxParamLength: {
      type: 'integer',
      minimum: 1,
      maximum: MLFLOW_LIMITS.paramValueLength,
      default: MLFLOW_LIMITS.paramValueLength,
      description: 'Longer param values are cut to this length with a warning (6000 on MLflow 2.x and 3.x; use 500 for MLflow 1.x).',
    },
  },
  // trackingUri is required to send anything, but not by the schema: an unconfigured built-in stays
  // active and idle instead of showing as an error for everyone who does not use MLflow.
  additionalProperties: false,
} as const;

export interface MlflowConfig {
  trackingUri: string;
  experimentName: string;
  token: string | undefined;
  verifyTls: boolean;
  batchSize: number;
  flushIntervalMs: number;
  timeoutMs: number;
  maxParamLength: number;
}

export const NOT_CONFIGURED =
  'mlflow: trackingUri is not set; set it in tracelet.plugins › mlflow › config (e.g. http://127.0.0.1:5000), or disable the plugin';

/** The typed config with the schema's defaults (also for configs that did not pass the manager: testConnection); undefined without trackingUri. */
export function readMlflowConfig(config: PluginConfig): MlflowConfig | undefined {
  const trackingUri = typeof config.trackingUri === 'string' ? config.trackingUri.trim() : '';
  if (!trackingUri) return undefined;
  const int = (value: unknown, fallback: number, min: number, max: number): number =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
  return {
    trackingUri,
    experimentName: typeof config.experimentName === 'string' && config.experimentName.trim() ? config.experimentName.trim() : 'Default',
    token: typeof config.token === 'string' && config.token !== '' ? config.token : undefined,
    verifyTls: config.verifyTls !== false,
    batchSize: int(config.batchSize, 1000, 1, MLFLOW_LIMITS.metricsPerBatch),
    flushIntervalMs: int(config.flushIntervalMs, 1000, 10, 3_600_000),
    timeoutMs: int(config.timeoutMs, 30_000, 100, 600_000),
    maxParamLength: int(config.maxParamLength, MLFLOW_LIMITS.paramValueLength, 1, MLFLOW_LIMITS.paramValueLength),
  };
}
