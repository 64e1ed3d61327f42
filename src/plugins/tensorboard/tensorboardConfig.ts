import * as path from 'node:path';
import type { PluginConfig, RunInfo } from '../../core/types';

export const DEFAULT_LOG_DIR = '.tracelet/tensorboard';

export const TENSORBOARD_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    logDir: {
      type: 'string',
      default: DEFAULT_LOG_DIR,
      description:
        'Folder that holds one sub-folder of event files per run (what `tensorboard --logdir` is given). A relative path is taken from the run\'s working folder; "Open in TensorBoard" takes it from the workspace folder.',
    },
  },
  additionalProperties: false,
} as const;

/** The configured logDir, absolute: relative paths are taken from `base` (the run's cwd). */
export function resolveLogDir(config: PluginConfig, base: string): string {
  const configured = typeof config.logDir === 'string' && config.logDir.trim() !== '' ? config.logDir.trim() : DEFAULT_LOG_DIR;
  return path.resolve(base, configured);
}

/** The run's folder name: its name made safe for a file system, or its id. */
export function runFolderName(run: RunInfo): string {
  const safe = run.name
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  return safe || run.id;
}
