/** The panel's HTML: a strict CSP (default-src 'none', scripts only with this load's nonce). */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function simulatorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'simulator.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>vfio-lens simulator</title>
</head>
<body>
<main id="app" aria-live="polite"><p>Loading the simulator…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
