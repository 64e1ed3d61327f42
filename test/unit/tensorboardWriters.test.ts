// "Open in TensorBoard" asks the plugins that declare tensorboardLogs where event files are, never the tensorboard
// plugin by name: a third-party writer is asked exactly as the built-in is.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { eventFilesFolder, runEventFiles, tensorBoardWriters } from '../../src/core/host/tensorboardWriters';
import { PluginManager } from '../../src/core/manager';
import type { RunInfo } from '../../src/core/types';
import { TensorBoardBackend } from '../../src/plugins/tensorboard/tensorboardBackend';
import { tempDir } from './pipelineHelpers';

const EVENT_FILES = path.join(__dirname, '..', 'fixtures', 'plugins-capabilities', 'event-files');
const saved = (configs: Record<string, unknown>) => (name: string) => configs[name];

function run(name: string, backends: string[]): RunInfo & { backends: string[] } {
  return { id: '20261201-101010-abcd', name, command: 'python train.py', cwd: '/work/project', startTime: 0, host: 'h', user: 'u', tags: {}, backends };
}

async function writers(): Promise<PluginManager> {
  const root = tempDir('tracelet-tb-writers-');
  const manager = new PluginManager({ builtins: [TensorBoardBackend], pluginPaths: [EVENT_FILES], env: {}, homeDir: root, storageRoot: root });
  await manager.discoverPlugins();
  const outcomes = await manager.startPlugins({ event_folder: {} });
  assert.ok(outcomes.event_folder?.ok, outcomes.event_folder?.error);
  return manager;
}

describe('plugins that write TensorBoard event files', () => {
  it('are asked in order: those the run was sent to, then the active ones, then the others', async () => {
    const manager = await writers();
    const backends = manager.listPlugins('backend');
    assert.deepEqual(tensorBoardWriters(backends), ['event_folder', 'tensorboard', 'event_escape']);
    assert.deepEqual(tensorBoardWriters(backends, ['tensorboard']), ['tensorboard', 'event_folder', 'event_escape']);
    await manager.stopAll();
  });

  it('give the folder of a run’s event files from the writer it was sent to, with that writer’s saved settings', async () => {
    const manager = await writers();
    const configs = saved({ tensorboard: { logDir: 'tb' }, event_folder: { dir: 'events' } });
    assert.deepEqual(runEventFiles(manager, configs, run('train.py 10:10', ['tensorboard'])), {
      root: '/work/project/tb',
      folder: '/work/project/tb/train.py 10_10',
    });
    const events = { root: '/work/project/events', folder: '/work/project/events/20261201-101010-abcd' };
    assert.deepEqual(runEventFiles(manager, configs, run('x', ['event_folder'])), events);
    assert.deepEqual(runEventFiles(manager, configs, run('x', [])), events, 'the active writer');
    assert.equal(eventFilesFolder(manager, configs, '/work/ws'), '/work/ws/events');
    assert.equal(eventFilesFolder(manager, saved({}), '/work/ws'), '/work/ws/tb-events', 'its defaults when nothing is saved');
    await manager.stopAll();
  });

  it('keep a run folder inside the writer’s own, whatever the run’s name or the plugin says', async () => {
    const manager = await writers();
    assert.equal(runEventFiles(manager, saved({}), run('../../etc', ['tensorboard']))?.folder, '/work/project/.tracelet/tensorboard/_.._etc');
    assert.equal(runEventFiles(manager, saved({}), run('..', ['tensorboard']))?.folder, '/work/project/.tracelet/tensorboard/20261201-101010-abcd');
    assert.throws(
      () => runEventFiles(manager, saved({}), run('x', ['event_escape'])),
      /plugin "event_escape" gave \/work\/project as the run's TensorBoard folder, which is not inside its folder \/work\/project\/tb-events/,
    );
    await manager.stopAll();
  });

  it('leave the folder to the user when no plugin writes event files', async () => {
    const manager = new PluginManager({ pluginPaths: [], env: {}, homeDir: tempDir('tracelet-tb-none-') });
    await manager.discoverPlugins();
    assert.equal(eventFilesFolder(manager, saved({}), '/work/ws'), undefined);
    assert.equal(runEventFiles(manager, saved({}), run('x', ['tensorboard'])), undefined);
  });
});
