import type * as vscode from 'vscode';
import { applySecretEdits, secretKey } from './configSecrets';
import type { SecretEdits } from '../../core/form/secretDraft';

/**
 * Plugin secrets in VS Code's SecretStorage, one entry per secret field. Values
 * leave this class only towards the plugin host; never towards the webview,
 * settings or logs.
 */
export class PluginSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  /** The stored secrets of a plugin, by pointer. */
  async read(pluginName: string, pointers: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const pointer of pointers) {
      const value = await this.storage.get(secretKey(pluginName, pointer));
      if (value !== undefined && value !== '') out[pointer] = value;
    }
    return out;
  }

  /** Pointers of the secrets that have a stored value: all the webview learns about them. */
  async storedPaths(pluginName: string, pointers: readonly string[]): Promise<string[]> {
    return Object.keys(await this.read(pluginName, pointers));
  }

  /** The secrets a save would leave, without storing anything. */
  async preview(pluginName: string, pointers: readonly string[], edits: SecretEdits): Promise<Record<string, string>> {
    return applySecretEdits(await this.read(pluginName, pointers), edits);
  }

  /** Stores or deletes what the form changed. */
  async apply(pluginName: string, edits: SecretEdits): Promise<void> {
    for (const [pointer, edit] of Object.entries(edits)) {
      const key = secretKey(pluginName, pointer);
      if (edit.action === 'set') await this.storage.store(key, edit.value);
      else await this.storage.delete(key);
    }
  }
}
