import * as path from 'node:path';
import { PluginManager } from '../../src/core/manager';
import { RunSession } from '../../src/core/run/runSession';
import { runDirIn } from '../../src/core/store/runRecord';
import { LocalBackend } from '../../src/plugins/local/localBackend';
import { RenameProcessor } from '../../src/plugins/processors/renameProcessor';
import { StdoutFramework } from '../../src/plugins/stdout/stdoutFramework';
import { SystemCollector } from '../../src/plugins/system/systemCollector';
import { quietLogger } from './pipelineHelpers';

export const CUSTOM = { customPatterns: [{ pattern: 'gradnorm (?<value>[0-9.]+)', name: 'grad_norm' }] };

/**
 * A finished run tracked as a terminal would feed it: output the default settings read in part, system samples
 * beside it; with `rename`, the rename processor's settings during the run.
 */
export async function trackedRun(
  root: string,
  rename?: Record<string, unknown>,
): Promise<{ manager: PluginManager; runDir: string; printed: Map<string, [number, number]> }> {
  const manager = new PluginManager({
    builtins: [LocalBackend, SystemCollector, StdoutFramework, ...(rename ? [RenameProcessor] : [])],
    pluginPaths: [],
    env: {},
    homeDir: root,
    storageRoot: root,
  });
  await manager.discoverPlugins();
  await manager.startPlugins({ local: {}, system: {}, stdout: {}, ...(rename ? { rename } : {}) });
  const session = await RunSession.start({
    manager,
    runsRoot: path.join(root, 'runs'),
    logger: quietLogger,
    command: 'python train.py',
    cwd: root,
    sampleIntervalMs: 20,
  });
  const printed = new Map<string, [number, number]>();
  for (let i = 0; i < 6; i++) {
    let bar = '';
    for (let p = 0; p <= 10; p++) bar += `\r\x1b[34m${p * 10}%\x1b[0m|${'#'.repeat(p)}`;
    session.feed(`${bar}\r\n`);
    const before = Date.now();
    session.feed(`step ${i}: loss=${(1 / (i + 1)).toFixed(3)}\n  gradnorm ${(i * 0.5 + 1).toFixed(2)}\n`);
    printed.set(`step ${i}`, [before, Date.now()]);
    await new Promise((r) => setTimeout(r, 40));
  }
  await session.end('finished', 0);
  return { manager, runDir: runDirIn(path.join(root, 'runs'), session.id), printed };
}

export async function reconfigureStdout(manager: PluginManager, config: Record<string, unknown>): Promise<void> {
  await manager.stopPlugin('stdout');
  await manager.initializePlugin('stdout', config);
  await manager.startPlugin('stdout');
}
