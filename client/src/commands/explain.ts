/**
 * "vfio-lens: Explain decision at cursor": asks the server why the decision under the cursor (or at
 * args { uri, position }) comes out as it does, and shows the Markdown beside the editor.
 * Returns the ExplainResult.
 */
import * as vscode from 'vscode';
import { ExplainRequest, type ExplainParams, type ExplainResult } from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import { asArgs, reporting, uriArg } from './args';

const SCHEME = 'vfio-lens-explain';

export function registerExplain(context: vscode.ExtensionContext, server: VfioServer): void {
  const pages = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => pages.get(uri.path) ?? '',
    }),
    vscode.commands.registerCommand('vfioLens.explain', (raw?: unknown) =>
      reporting('explain', async (): Promise<ExplainResult | undefined> => {
        const args = asArgs(raw, 'vfioLens.explain');
        const params = explainParams(args);
        if (!params) return undefined;
        const result = await server.request(ExplainRequest, params);
        if (!result.markdown) {
          void vscode.window.showInformationMessage('vfio-lens: no vfio decision at this position.');
          return result;
        }
        const uri = vscode.Uri.from({ scheme: SCHEME, path: `/explanation-${params.position.line + 1}.md` });
        pages.set(uri.path, result.markdown);
        changed.fire(uri);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
        await vscode.window.showTextDocument(doc, {
          viewColumn: vscode.ViewColumn.Beside,
          preview: true,
          preserveFocus: true,
        });
        return result;
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
