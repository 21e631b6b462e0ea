/**
 * "vfio-lens: Open as Patch mail": a thread opened as plain text (a web archive's raw message, a
 * saved mail without .mbox) becomes a patch-mail document, with its highlighting, outline and
 * folding. The server's lens on such a document runs it with { uri }. Returns the new language id.
 */
import * as vscode from 'vscode';
import { asArgs, reporting, uriArg } from './args';

export function registerOpenAsPatchMail(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.openAsPatchMail', (raw?: unknown) =>
      reporting('openAsPatchMail', async () => {
        const args = asArgs(raw, 'vfioLens.openAsPatchMail');
        const uri =
          args.uri !== undefined ? uriArg(args.uri, 'uri') : vscode.window.activeTextEditor?.document.uri;
        if (!uri) throw new Error('open a mail thread first');
        const doc = await vscode.workspace.openTextDocument(uri);
        const mail = await vscode.languages.setTextDocumentLanguage(doc, 'patch-mail');
        return mail.languageId;
      }),
    ),
  );
}
