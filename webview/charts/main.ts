// The run views' page (Run view, Compare Runs, Runs table): waits for the host to say which, then hands it every message.
import './charts.css';
import type { HostMessage } from '../../src/webviewProtocol/runViewProtocol';
import { DEFAULT_TABLE_STATE, RunsTable } from '../runs/table';
import { loadState, onHostMessage, post } from './api';
import { DEFAULT_STATE, RunPage } from './runPage';

// Report any CSP violation to the host, which logs it: a policy that breaks the page must not go unnoticed.
document.addEventListener('securitypolicyviolation', (e) => {
  post({ type: 'cspViolation', directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI || 'inline' });
});

const root = document.getElementById('app')!;
let page: { handle(message: HostMessage): void } | undefined;

onHostMessage((message) => {
  if (message.type === 'init') {
    document.body.dataset.view = message.kind;
    page = message.kind === 'table' ? new RunsTable(root, loadState(DEFAULT_TABLE_STATE)) : new RunPage(root, message.kind, loadState(DEFAULT_STATE));
    return;
  }
  page?.handle(message);
});

post({ type: 'ready' });
