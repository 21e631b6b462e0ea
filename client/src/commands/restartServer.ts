/** "vfio-lens: Restart server". Returns true once the new server is ready. */
import * as vscode from 'vscode';
import type { VfioServer } from '../server';

export function registerRestartServer(context: vscode.ExtensionContext, server: VfioServer): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.restartServer', async () => {
      await server.restart();
      return server.isRunning;
    }),
  );
}
