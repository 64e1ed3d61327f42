/** Every setting the extension contributes; a test checks this against package.json both ways. */
export const SETTING_KEYS = [
  'tracelet.pluginPaths',
  'tracelet.plugins',
  'tracelet.pluginTimeout',
  'tracelet.autoTrack.enabled',
  'tracelet.autoTrack.patterns',
  'tracelet.run.sampleInterval',
  'tracelet.run.paramsFiles',
  'tracelet.run.logFolders',
  'tracelet.run.fsync',
  'tracelet.run.outputLogMaxMB',
  'tracelet.routes',
  'tracelet.statusBar.enabled',
  'tracelet.statusBar.interval',
  'tracelet.statusBar.fields',
  'tracelet.statusBar.thresholds',
  'tracelet.statusBar.pauseWhenUnfocused',
  'tracelet.python.interpreter',
] as const;

/**
 * Settings whose change needs the plugins rediscovered and restarted. The Python interpreter is among them:
 * the backends that run an SDK through the bridge check their packages in it when they start.
 */
export const PLUGIN_RELOAD_KEYS: readonly string[] = ['tracelet.pluginPaths', 'tracelet.pluginTimeout', 'tracelet.python.interpreter'];

/** Per-plugin enablement and config: a change restarts only the plugins whose entry changed. */
export const PLUGIN_ENTRIES_KEY = 'tracelet.plugins';

/**
 * Settings whose workspace and folder values apply only in a trusted workspace (package.json's
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`, checked by a test): each names code to
 * load, what gets recorded and read, or where data and secrets go. The README's trust table says why, one by one.
 */
export const RESTRICTED_KEYS: readonly string[] = [
  'tracelet.pluginPaths',
  'tracelet.plugins',
  'tracelet.routes',
  'tracelet.autoTrack.enabled',
  'tracelet.autoTrack.patterns',
  'tracelet.run.paramsFiles',
  'tracelet.run.logFolders',
  'tracelet.python.interpreter',
];
