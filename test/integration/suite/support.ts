// What the integration suites share: the extension's API, waits on conditions and events, settings
// written and put back, and the workspace the host opened. Runs inside the extension host.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceletApi } from '../../../src/vscode/extension';
import type { PluginState } from '../../../src/core/types';

export const EXTENSION_ID = 'tracelet.tracelet-vscode';

/** Generous: the suite must stay green on a machine whose two cores are busy with other work. */
export const WAIT_MS = 60_000;

/**
 * Resolves with the first truthy value `probe` returns, asking again every 100 ms: for what has no event
 * (files another process writes); fails after `timeoutMs` saying what it waited for (`what` is asked then,
 * so it can tell what there was instead).
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first event that `accept` takes; subscribe before causing it. */
export function nextEvent<T>(event: vscode.Event<T>, what: string, accept: (e: T) => boolean = () => true, timeoutMs = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!accept(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** The API the extension returned from activate(), once VS Code has activated it on its own. */
export async function traceletApi(): Promise<TraceletApi> {
  const extension = vscode.extensions.getExtension<TraceletApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  await waitFor(`${EXTENSION_ID} to be activated by its activation event`, () => extension.isActive);
  return extension.exports;
}

/** Waits until the plugins named in `expect` are in those states and returns every plugin's state by name. */
export async function pluginStates(api: TraceletApi, expect: Record<string, PluginState>): Promise<Map<string, PluginState>> {
  const states = (): Map<string, PluginState> => new Map(api.listPlugins().map((p) => [p.name, p.state]));
  return waitFor(
    () => `plugin states ${JSON.stringify(expect)}; they are ${JSON.stringify(api.listPlugins().map((p) => [p.name, p.state, p.error]))}`,
    () => {
      const now = states();
      return Object.entries(expect).every(([name, state]) => now.get(name) === state) ? now : undefined;
    },
  );
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension host opened no workspace folder');
  return folder.uri.fsPath;
}

export function runsRoot(): string {
  return path.join(workspaceDir(), '.tracelet', 'runs');
}

/**
 * Writes a `tracelet.*` setting to the workspace's settings and returns a function that puts the value found
 * before back, so that each test leaves the folder as it found it.
 */
export async function setWorkspaceSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('tracelet');
  const before = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  return async () => {
    await vscode.workspace.getConfiguration('tracelet').update(key, before, vscode.ConfigurationTarget.Workspace);
  };
}

/** A number no earlier run of the suite in this folder used, to tell this test's runs from leftovers. */
export function uniqueSeed(): number {
  return 100_000 + Math.floor(Math.random() * 900_000);
}
