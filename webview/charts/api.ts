// The one place the run views' page talks to VS Code: typed messages out, validated messages in, the state kept while hidden.
import { parseHostMessage } from '../../src/webviewProtocol/runViewParse';
import type { HostMessage, RunViewMessage } from '../../src/webviewProtocol/runViewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: RunViewMessage): void {
  api.postMessage(message);
}

/** Every message from the host, checked against the protocol first; one that fails is dropped with a console note. */
export function onHostMessage(handle: (message: HostMessage) => void): void {
  window.addEventListener('message', (e: MessageEvent) => {
    const parsed = parseHostMessage(e.data);
    if (parsed.ok) handle(parsed.message);
    else console.warn(`Tracelet: ignored a message from the extension: ${parsed.reason}`);
  });
}

export function loadState<T extends object>(defaults: T): T {
  const saved = api.getState();
  return saved && typeof saved === 'object' ? { ...defaults, ...(saved as Partial<T>) } : defaults;
}

export function saveState(state: object): void {
  api.setState(state);
}
