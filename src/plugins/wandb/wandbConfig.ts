import * as path from 'node:path';
import type { PluginConfig, PluginContext } from '../../core/types';
import type { BridgeSettings } from '../pythonBridge/bridgeBackend';

export const WANDB_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    project: { type: 'string', minLength: 1, default: 'tracelet', description: 'W&B project the runs go to.' },
    entity: { type: 'string', description: 'W&B entity (user or team); empty for your default entity.' },
    mode: {
      type: 'string',
      enum: ['online', 'offline'],
      default: 'online',
      description: 'online: sent to the W&B server as the run goes. offline: written under `dir` only; upload later with `wandb sync`.',
    },
    baseUrl: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      default: 'https://api.wandb.ai',
      description: 'The W&B server: https://api.wandb.ai, or your self-hosted server. The API key is bound to it.',
    },
    apiKey: {
      type: 'string',
      writeOnly: true,
      format: 'password',
      sentTo: '/baseUrl',
      description: "W&B API key. Kept in secret storage, bound to the baseUrl it is saved with, and given only to the bridge's environment (WANDB_API_KEY).",
    },
    group: { type: 'string', description: 'W&B group for the runs; offline runs are grouped by their Tracelet run by default.' },
    dir: {
      type: 'string',
      default: '.tracelet/wandb',
      description: "Folder W&B writes its run folders in (its `dir`); relative to the workspace folder, or the run's folder without one.",
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

/** The bridge's settings for W&B: the key and server only in its environment, the rest in its `start`. */
export function readWandbSettings(config: PluginConfig, context: PluginContext): BridgeSettings {
  const base = context.workspaceFolders?.[0] ?? context.run?.cwd ?? process.cwd();
  const dir = path.resolve(base, text(config.dir) ?? '.tracelet/wandb');
  const mode = config.mode === 'offline' ? 'offline' : 'online';
  const env: Record<string, string> = { WANDB_SILENT: 'true', WANDB_DISABLE_GIT: 'true', WANDB_DISABLE_CODE: 'true' };
  const apiKey = text(config.apiKey);
  const baseUrl = text(config.baseUrl);
  if (apiKey) env.WANDB_API_KEY = apiKey;
  if (baseUrl) env.WANDB_BASE_URL = baseUrl;
  const timeout = typeof config.callTimeoutMs === 'number' && config.callTimeoutMs >= 1000 ? Math.floor(config.callTimeoutMs) : 120_000;
  return {
    startConfig: { project: text(config.project) ?? 'tracelet', entity: text(config.entity) ?? null, mode, group: text(config.group) ?? null, dir },
    env,
    callTimeoutMs: timeout,
  };
}

/**
 * A metric name W&B takes as a history key: W&B keeps keys that start with `_` for itself (`_step`,
 * `_runtime`, `_timestamp`), so such a name gets a `u` before it, and an empty name becomes `u_`.
 */
export function wandbKey(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return 'u_';
  return trimmed.startsWith('_') ? `u${trimmed}` : trimmed;
}
