/**
 * "vfio-lens: Copy behaviour summary as reply": the server's plain-text summary of what the patch in
 * the document (args { uri } or the active editor) changes, put on the clipboard. Returns the text.
 */
import * as vscode from 'vscode';
import { SummaryRequest, type SummaryParams } from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import { asArgs, reporting, uriArg } from './args';

export function registerCopySummary(context: vscode.ExtensionContext, server: VfioServer): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.copySummary', (raw?: unknown) =>
      reporting('copySummary', async (): Promise<string | undefined> => {
        const args = asArgs(raw, 'vfioLens.copySummary');
        const uri =
          args.uri !== undefined ? uriArg(args.uri, 'uri') : vscode.window.activeTextEditor?.document.uri;
        if (!uri) {
          void vscode.window.showInformationMessage('vfio-lens: open a patch or a thread first.');
          return undefined;
        }
        const params: SummaryParams = { uri: uri.toString() };
        const { text } = await server.request(SummaryRequest, params);
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage('vfio-lens: behaviour summary copied', 4000);
        return text;
      }),
    ),
  );
}
