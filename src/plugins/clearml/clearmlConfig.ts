import type { PluginConfig, PluginContext } from '../../core/types';
import type { BridgeSettings } from '../pythonBridge/bridgeBackend';

export const CLEARML_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    project: { type: 'string', minLength: 1, default: 'Tracelet', description: 'ClearML project the tasks go to.' },
    taskName: { type: 'string', description: "The task's name; empty for the Tracelet run's name." },
    apiHost: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      default: 'https://api.clear.ml',
      description: 'The ClearML API server: https://api.clear.ml, or your own (http://host:8008). The access and secret keys are bound to it.',
    },
    accessKey: {
      type: 'string',
      writeOnly: true,
      format: 'password',
      sentTo: '/apiHost',
      description:
        "ClearML access key. Kept in secret storage, bound to the apiHost it is saved with, and given only to the bridge's environment (CLEARML_API_ACCESS_KEY).",
    },
    secretKey: {
      type: 'string',
      writeOnly: true,
      format: 'password',
      sentTo: '/apiHost',
      description:
        "ClearML secret key. Kept in secret storage, bound to the apiHost it is saved with, and given only to the bridge's environment (CLEARML_API_SECRET_KEY).",
    },
    offline: {
      type: 'boolean',
      default: false,
      description:
        "Offline mode: ClearML writes each task as a session folder (and a zip) under its cache folder's `offline/`; upload it later with `clearml-task --import-offline-session <zip>` or Task.import_offline_session.",
    },
    callTimeoutMs: {
      type: 'integer',
      minimum: 1000,
      default: 120000,
      description: 'How long one SDK call in the bridge may take before the bridge is restarted.',
    },
  },
  additionalProperties: false,
} as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The bridge's settings for ClearML: the keys and server only in its environment, the rest in its `start`. */
export function readClearmlSettings(config: PluginConfig, _context: PluginContext): BridgeSettings {
  const offline = config.offline === true;
  const env: Record<string, string> = {};
  const apiHost = text(config.apiHost);
  const accessKey = text(config.accessKey);
  const secretKey = text(config.secretKey);
  if (apiHost) env.CLEARML_API_HOST = apiHost;
  if (accessKey) env.CLEARML_API_ACCESS_KEY = accessKey;
  if (secretKey) env.CLEARML_API_SECRET_KEY = secretKey;
  if (offline) env.CLEARML_OFFLINE_MODE = '1';
  const timeout = typeof config.callTimeoutMs === 'number' && config.callTimeoutMs >= 1000 ? Math.floor(config.callTimeoutMs) : 120_000;
  return {
    startConfig: { project: text(config.project) ?? 'Tracelet', taskName: text(config.taskName) ?? null, offline },
    env,
    callTimeoutMs: timeout,
  };
}

/**
 * A metric name ClearML takes: it becomes a title and a series (`train/loss` → `train`, `loss`; see the
 * bridge's split_name), neither of which may be empty or only spaces: such a name becomes `u_`.
 */
export function clearmlName(name: string): string {
  const trimmed = name.trim();
  return trimmed === '' ? 'u_' : trimmed;
}
