import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger, PluginContext, RunInfo } from '../../src/core/types';

/** A run as the manager would describe it to a backend instance. */
export function testRun(overrides: Partial<RunInfo> = {}): RunInfo {
  const id = overrides.id ?? `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    id,
    name: `test ${id}`,
    command: 'python train.py --lr 0.01',
    cwd: os.tmpdir(),
    startTime: Date.now(),
    host: os.hostname(),
    user: 'tester',
    tags: {},
    ...overrides,
  };
}

/** The context the manager hands a plugin, with a logger that keeps what it was told. */
export function testContext(pluginName: string, storageDir: string, run?: RunInfo): { context: PluginContext; lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string): void => {
      lines.push(`${level} ${message}`);
    };
  const logger: Logger = { trace: keep('trace'), debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
  const context: PluginContext = { pluginName, logger, storageDir: path.join(storageDir, pluginName), coreVersion: '0.0.0-test', ...(run ? { run } : {}) };
  return { context, lines };
}
