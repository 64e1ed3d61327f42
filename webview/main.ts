// The plugin configuration webview: wires messages from the host, the form state and the page together.
import './configForm.css';
import { isHostMessage, type HostMessage } from '../src/webviewProtocol/configProtocol';
import { FormView } from './formView';
import { FormState, isPersistedForm } from './formState';
import { loadLiveValidator } from './liveValidator';
import { loadState, post, saveState } from './vscodeApi';

// Report any CSP violation to the host, which logs it: a policy that breaks the form must not go unnoticed.
document.addEventListener('securitypolicyviolation', (e) => {
  post({ type: 'cspViolation', directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI || 'inline' });
});

const root = document.getElementById('app')!;
let state: FormState | undefined;

function persist(): void {
  if (state) saveState(state.persisted());
}

/** Live validation updates in place; only a change of structure (items, secrets) rebuilds the page. */
function changed(rebuild: boolean): void {
  if (!state) return;
  persist();
  if (rebuild) view.render(state);
  else view.update(state);
}

const view = new FormView(root, {
  value: (pointer, value) => {
    state?.setValue(pointer, value);
    changed(false);
  },
  secret: (pointer, text) => {
    state?.setSecret(pointer, text);
    changed(false);
  },
  clearSecret: (pointer, clear) => {
    state?.clearSecret(pointer, clear);
    changed(true);
  },
  addItem: (pointer) => {
    state?.addItem(pointer);
    changed(true);
  },
  removeItem: (pointer, index) => {
    state?.removeItem(pointer, index);
    changed(true);
  },
  scope: (scope) => {
    if (!state) return;
    state.scope = scope;
    changed(true);
  },
  save: () => {
    if (!state || state.busy || state.errors().length > 0) return;
    state.busy = 'save';
    post(state.saveRequest());
    view.update(state);
  },
  test: () => {
    if (!state || state.busy) return;
    state.busy = 'test';
    state.testNotice = undefined;
    post(state.testRequest());
    view.update(state);
  },
  preset: (index) => {
    state?.applyPreset(index);
    changed(true);
  },
  pickRun: (id) => {
    if (!state) return;
    state.tryRunId = id;
    view.renderTry(state);
  },
  tryOutput: () => {
    if (!state || state.busy) return;
    if (state.errors().length > 0) {
      state.tryResult = { type: 'tryResult', ok: false, runs: state.outputRuns ?? [], message: 'Fix the marked fields before trying.', errors: [] };
      state.tryStale = false;
      view.renderTry(state);
      return;
    }
    state.busy = 'try';
    post(state.tryRequest());
    view.update(state);
    view.renderTry(state);
  },
});

function receive(message: HostMessage): void {
  switch (message.type) {
    case 'init': {
      const validator = message.liveValidation ? loadLiveValidator() : undefined;
      if (message.liveValidation && !validator) post({ type: 'cspViolation', directive: 'script-src', blocked: 'the inline validator script did not run' });
      const persisted = loadState();
      state = new FormState(message, validator, isPersistedForm(persisted, message.plugin.name) ? persisted : undefined);
      view.render(state);
      if (state.canTryOutput) post({ type: 'listOutputRuns' });
      return;
    }
    case 'outputRuns':
      if (!state) return;
      state.setOutputRuns(message.runs);
      view.renderTry(state);
      return;
    case 'tryResult':
      if (!state) return;
      state.busy = undefined;
      state.setOutputRuns(message.runs);
      state.tryResult = message;
      state.tryStale = false;
      if (!message.ok) state.hostErrors = message.errors;
      view.update(state);
      view.renderTry(state);
      document.getElementById('try-section')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      return;
    case 'plugin':
      if (!state) return;
      state.plugin = message.plugin;
      view.renderHeader(state);
      return;
    case 'saveResult':
      if (!state) return;
      state.busy = undefined;
      if (message.ok) {
        state.saved(message.values, message.storedSecrets, message.plugin);
        state.scope = message.scope;
        state.notice = { kind: message.plugin.state === 'error' ? 'error' : 'success', text: message.message };
        persist();
        view.render(state);
      } else {
        state.hostErrors = message.errors;
        state.notice = { kind: 'error', text: message.message };
        view.update(state);
      }
      return;
    case 'testResult':
      if (!state) return;
      state.busy = undefined;
      state.hostErrors = message.errors;
      state.testNotice = {
        kind: message.ok ? 'success' : 'error',
        text: message.ok ? `Connection works: ${message.message}` : `Connection failed: ${message.message}`,
      };
      view.update(state);
      return;
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostMessage(e.data)) receive(e.data);
});

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 's') {
    e.preventDefault();
    document.getElementById('save')?.click();
  }
});

post({ type: 'ready' });
