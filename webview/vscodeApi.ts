// The one place the webview talks to VS Code: typed messages out, and the state VS Code keeps while the panel is hidden.
import type { WebviewMessage } from '../src/webviewProtocol/configProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadState(): unknown {
  return api.getState();
}

/** Never called with a secret value: VS Code may write this state to disk. */
export function saveState(state: unknown): void {
  api.setState(state);
}
