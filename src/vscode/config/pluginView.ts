// Pure (no VS Code): what the configuration form may know about a plugin.
import type { PluginInfo } from '../../core/registry';
import type { PluginView } from '../../webviewProtocol/configProtocol';

/** The plugin's name, state and error for the form; `mask` hides secret values a plugin's error might echo. */
export function pluginView(info: PluginInfo, mask: (text: string) => string): PluginView {
  return {
    name: info.name,
    version: info.version,
    description: info.description,
    type: info.type,
    state: info.state,
    error: info.error === undefined ? undefined : mask(info.error),
    errorKind: info.errorKind,
    configErrors: info.configErrors.map((e) => ({ path: e.path, message: mask(e.message) })),
  };
}
