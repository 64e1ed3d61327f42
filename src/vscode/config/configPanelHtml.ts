// Pure (no VS Code): the configuration webview's HTML and its Content-Security-Policy.

export interface PanelHtmlInput {
  /** `webview.cspSource`: where the webview may load our own files from. */
  cspSource: string;
  /** Fresh for every HTML document; the only way a script may run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The schema's compiled validator (see validatorScript.ts), run as a nonce'd inline script; absent when it could not be made. */
  validatorSource: string | undefined;
  title: string;
}

/**
 * Nothing by default; scripts only with this document's nonce (no 'unsafe-eval',
 * no 'unsafe-inline'); styles only from our own files (the web components use
 * constructable stylesheets, which CSP does not govern). No fonts, images,
 * frames or connections: the form shows nothing remote.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `${[`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`].join('; ')};`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 32 characters of base62 from a random source (crypto.getRandomValues in practice). */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(32)].map((b) => alphabet[b % alphabet.length]).join('');
}

export function configPanelHtml(input: PanelHtmlInput): string {
  const nonce = escapeHtml(input.nonce);
  const validator = input.validatorSource === undefined ? '' : `\n  <script nonce="${nonce}">\n${input.validatorSource}  </script>`;
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
  <main id="app" aria-busy="true"><p class="loading">Loading the configuration…</p></main>${validator}
  <script nonce="${nonce}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}
