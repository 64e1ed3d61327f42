import type { PluginManager } from '../manager';
import { isInside } from '../paths/confine';
import type { TensorBoardLogs } from '../plugin';
import type { PluginInfo } from '../registry';
import type { PluginConfig, RunInfo } from '../types';

/** A plugin's settings as saved (Settings.plugin(name).config), which may not be an object at all. */
export type SavedConfig = (name: string) => unknown;

/**
 * The plugins that write TensorBoard event files (capability tensorboardLogs), in the order "Open in TensorBoard"
 * asks them for a folder: those a run was sent to first (its event files are where they wrote them), then the active
 * ones, then the others (switched off since, their settings still saying where earlier runs went).
 */
export function tensorBoardWriters(plugins: readonly PluginInfo[], sentTo: readonly string[] = []): string[] {
  const rank = (p: PluginInfo): number => (sentTo.includes(p.name) ? 0 : p.state === 'active' ? 1 : 2);
  return plugins
    .filter((p) => p.metadata?.capabilities.includes('tensorboardLogs'))
    .sort((a, b) => rank(a) - rank(b))
    .map((p) => p.name);
}

/** The folder of all runs' event files (what `tensorboard --logdir` takes) for a workspace, from the first writer. */
export function eventFilesFolder(manager: PluginManager, saved: SavedConfig, workspace: string): string | undefined {
  const writer = firstWriter(manager, saved, []);
  return writer?.instance.logFolder(writer.config, workspace);
}

/**
 * The folder of one run's event files and the folder of all runs it is in, from the writer the run was sent to if
 * any; throws when the plugin names a run folder outside its own (a run's name and cwd come from its run.json,
 * which anyone may write).
 */
export function runEventFiles(
  manager: PluginManager,
  saved: SavedConfig,
  run: RunInfo & { backends: readonly string[] },
): { root: string; folder: string } | undefined {
  const writer = firstWriter(manager, saved, run.backends);
  if (!writer) return undefined;
  const folder = writer.instance.runLogFolder(writer.config, run);
  const root = writer.instance.logFolder(writer.config, run.cwd);
  if (folder === root || !isInside(root, folder))
    throw new Error(`plugin "${writer.name}" gave ${folder} as the run's TensorBoard folder, which is not inside its folder ${root}`);
  return { root, folder };
}

function firstWriter(
  manager: PluginManager,
  saved: SavedConfig,
  sentTo: readonly string[],
): { name: string; instance: TensorBoardLogs; config: PluginConfig } | undefined {
  for (const name of tensorBoardWriters(manager.listPlugins('backend'), sentTo)) {
    const instance = manager.instanceOf(name, 'tensorboardLogs');
    const config = saved(name);
    if (instance) return { name, instance, config: typeof config === 'object' && config !== null ? (config as PluginConfig) : {} };
  }
  return undefined;
}
