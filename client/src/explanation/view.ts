/**
 * The Explain view: one webview panel beside the editor showing the server's explanation rendered
 * (render.ts: no raw HTML, no script). Each Explain replaces what it shows; the editor keeps the
 * focus, so the reader can move on and explain the next decision.
 */
import * as vscode from 'vscode';
import { explanationPage } from './render';

export const EXPLANATION_VIEW_TYPE = 'vfioLens.explanation';

export class ExplanationView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private html = '';

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Shows the explanation; returns the page's HTML (the end-to-end tests read it). */
  show(title: string, markdown: string): string {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        EXPLANATION_VIEW_TYPE,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, localResourceRoots: [media] },
      );
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
      this.panel = panel;
    } else {
      this.panel.reveal(undefined, true);
    }
    const webview = this.panel.webview;
    this.panel.title = title;
    this.html = explanationPage({
      title,
      markdown,
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explanation.css')).toString(),
    });
    webview.html = this.html;
    return this.html;
  }

  /** What the view shows now (undefined when it is closed). */
  get shown(): string | undefined {
    return this.panel ? this.html : undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
