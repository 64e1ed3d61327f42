// Pure (no VS Code): the HTML of the run views' webview (Run view, Compare Runs, Runs table), under the same
// Content-Security-Policy as the configuration form: nothing by default, scripts only by this document's nonce,
// styles only from our own files; no fonts, images, frames or connections, so nothing remote is ever shown.
import { contentSecurityPolicy } from '../config/configPanelHtml';

export interface ViewHtmlInput {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function runViewHtml(input: ViewHtmlInput): string {
  const nonce = escapeHtml(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(input.cspSource, input.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeHtml(input.styleUri)}">
  <title>${escapeHtml(input.title)}</title>
</head>
<body>
  <main id="app" aria-busy="true"><p class="loading">Loading…</p></main>
  <script nonce="${nonce}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}
