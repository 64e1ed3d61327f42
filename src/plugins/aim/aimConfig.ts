import * as path from 'node:path';
import { resolveWithin } from '../../core/paths/confine';
import type { PluginConfig, PluginContext } from '../../core/types';
import type { BridgeSettings } from '../pythonBridge/bridgeBackend';

export const AIM_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    repo: {
      type: 'string',
      default: '.',
      description:
        'The folder holding the Aim repository (Aim keeps it in `<repo>/.aim`; a path ending in `.aim` means the same). Relative to the workspace folder, and inside it. `aim up --repo <this>` shows the runs.',
    },
    experiment: { type: 'string', description: "Aim experiment the runs go to; empty for Aim's default experiment." },
    context: {
      type: 'string',
      enum: ['prefix', 'none'],
      default: 'prefix',
      description:
        'prefix: `train/loss` is tracked as `loss` in the context `{"subset": "train"}` (names without a slash keep an empty context). none: every name as it is, with an empty context.',
    },
    artifactsDir: {
      type: 'string',
      default: '.tracelet/aim-artifacts',
      description: 'Folder Aim copies artifacts to (a file:// artifacts URI of the run); relative to the workspace folder, and inside it.',
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

/** Where Aim's repository is: `repo` resolved from the workspace folder and kept inside it; a trailing `.aim` is Aim's own folder. */
export function aimRepoPath(config: PluginConfig, context: PluginContext): string {
  const workspace = context.workspaceFolders?.[0];
  const base = workspace ?? context.run?.cwd ?? process.cwd();
  const repo = resolveWithin('aim repo', base, text(config.repo) ?? '.', workspace);
  return path.basename(repo) === '.aim' ? path.dirname(repo) : repo;
}

/** The bridge's settings for Aim: everything in its `start` (Aim has no secret). */
export function readAimSettings(config: PluginConfig, context: PluginContext): BridgeSettings {
  const workspace = context.workspaceFolders?.[0];
  const base = workspace ?? context.run?.cwd ?? process.cwd();
  const artifactsDir = resolveWithin('aim artifactsDir', base, text(config.artifactsDir) ?? '.tracelet/aim-artifacts', workspace);
  const timeout = typeof config.callTimeoutMs === 'number' && config.callTimeoutMs >= 1000 ? Math.floor(config.callTimeoutMs) : 120_000;
  return {
    startConfig: { repo: aimRepoPath(config, context), experiment: text(config.experiment) ?? null, context: aimContextMode(config), artifactsDir },
    env: {},
    callTimeoutMs: timeout,
  };
}

export function aimContextMode(config: PluginConfig): 'prefix' | 'none' {
  return config.context === 'none' ? 'none' : 'prefix';
}

/**
 * A metric name Aim takes: Aim keeps names that start with `__` for itself (`__system__cpu`, `__log_records`),
 * so such a name, or such a part after the context prefix, gets a `u` before it; an empty name becomes `u_`.
 */
export function aimName(name: string, mode: 'prefix' | 'none'): string {
  const trimmed = name.trim();
  if (trimmed === '') return 'u_';
  if (trimmed.startsWith('__')) return `u${trimmed}`;
  if (mode === 'prefix') {
    const slash = trimmed.indexOf('/');
    if (slash > 0 && trimmed.startsWith('__', slash + 1)) return `${trimmed.slice(0, slash + 1)}u${trimmed.slice(slash + 1)}`;
  }
  return trimmed;
}
