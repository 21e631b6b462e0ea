/** "vfio-lens: Show output": reveals the output channel (server log and protocol trace). */
import * as vscode from 'vscode';

export function registerShowOutput(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.showOutput', () => {
      output.show(true);
      return output.name;
    }),
  );
}
