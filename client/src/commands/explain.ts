/**
 * "vfio-lens: Explain decision at cursor": asks the server why the decision under the cursor (or at
 * args { uri, position }) comes out as it does, and shows it rendered beside the editor (the
 * Explain view). Returns the ExplainResult with the view's HTML.
 */
import * as vscode from 'vscode';
import { ExplainRequest, type ExplainParams, type ExplainResult } from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import { asArgs, reporting, uriArg } from './args';
import { ExplanationView } from '../explanation/view';

export function registerExplain(context: vscode.ExtensionContext, server: VfioServer): void {
  const view = new ExplanationView(context.extensionUri);
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand('vfioLens.explain', (raw?: unknown) =>
      reporting('explain', async (): Promise<(ExplainResult & { html?: string }) | undefined> => {
        const args = asArgs(raw, 'vfioLens.explain');
        const params = explainParams(args);
        if (!params) return undefined;
        const result = await server.request(ExplainRequest, params);
        if (!result.markdown) {
          void vscode.window.showInformationMessage(
            `vfio-lens: ${result.reason ?? 'no vfio decision at the cursor'}.`,
          );
          return result;
        }
        const title = `Explain ${result.decision ?? 'decision'} (line ${params.position.line + 1})`;
        return { ...result, html: view.show(title, result.markdown) };
      }),
    ),
  );
}

function explainParams(args: Record<string, unknown>): ExplainParams | undefined {
  if (args.uri !== undefined || args.position !== undefined) {
    const uri = uriArg(args.uri, 'uri').toString();
    const p = args.position as { line?: unknown; character?: unknown } | undefined;
    if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) {
      throw new Error('position must be { line, character } (0-based)');
    }
    return { uri, position: { line: p.line as number, character: p.character as number } };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(
      'vfio-lens: open a patch and put the cursor on a changed line.',
    );
    return undefined;
  }
  const pos = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line: pos.line, character: pos.character } };
}
