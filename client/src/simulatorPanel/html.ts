/** The panel's HTML, under a strict CSP (csp.ts). */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { simulatorCsp } from './csp';

export function simulatorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'simulator.css'));
  const csp = simulatorCsp(webview.cspSource, nonce);
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
