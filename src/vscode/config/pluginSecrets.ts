import type * as vscode from 'vscode';
import { decodeStoredSecret, encodeStoredSecret, type StoredSecret } from '../../core/secrets/secretBinding';
import { applySecretEdits, secretKey } from '../../core/secrets/configSecrets';
import type { SecretEdits } from '../../core/form/secretDraft';

/**
 * Plugin secrets in VS Code's SecretStorage, one entry per secret field, each with the destination it
 * was saved for (secretBinding.ts). Values leave this class only towards the plugin host; never towards
 * the webview, settings or logs.
 */
export class PluginSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  /** The stored secrets of a plugin, by pointer, with what each is bound to. */
  async readStored(pluginName: string, pointers: readonly string[]): Promise<Record<string, StoredSecret>> {
    const out: Record<string, StoredSecret> = {};
    for (const pointer of pointers) {
      const raw = await this.storage.get(secretKey(pluginName, pointer));
      if (raw === undefined || raw === '') continue;
      const secret = decodeStoredSecret(raw);
      if (secret.value !== '') out[pointer] = secret;
    }
    return out;
  }

  /** Pointers of the secrets that have a stored value: all the webview learns about them. */
  async storedPaths(pluginName: string, pointers: readonly string[]): Promise<string[]> {
    return Object.keys(await this.readStored(pluginName, pointers));
  }

  /** The secret values a save would leave, without storing anything. */
  async preview(pluginName: string, pointers: readonly string[], edits: SecretEdits): Promise<Record<string, string>> {
    const stored = await this.readStored(pluginName, pointers);
    return applySecretEdits(Object.fromEntries(Object.entries(stored).map(([p, s]) => [p, s.value])), edits);
  }

  /** Stores or deletes what the form changed; `boundTo` says where each new value is saved for. */
  async apply(pluginName: string, edits: SecretEdits, boundTo: (pointer: string) => string | undefined): Promise<void> {
    for (const [pointer, edit] of Object.entries(edits)) {
      if (edit.action === 'set') {
        const destination = boundTo(pointer);
        await this.store(pluginName, pointer, destination === undefined ? { value: edit.value } : { value: edit.value, boundTo: destination });
      } else await this.storage.delete(secretKey(pluginName, pointer));
    }
  }

  async store(pluginName: string, pointer: string, secret: StoredSecret): Promise<void> {
    await this.storage.store(secretKey(pluginName, pointer), encodeStoredSecret(secret));
  }
}
