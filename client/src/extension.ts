/**
 * The vfio-lens VS Code client: starts the bundled language server (dist/cli.js lsp --node-ipc)
 * and registers one feature per module, each through its own register function.
 */
import * as vscode from 'vscode';
import { VfioServer } from './server';
import { registerRestartServer } from './commands/restartServer';
import { registerShowOutput } from './commands/showOutput';
import { registerSimulate } from './commands/simulate';
import { registerCompare } from './commands/compare';
import { registerShowMatrix } from './commands/showMatrix';
import { registerExplain } from './commands/explain';
import { registerCopySummary } from './commands/copySummary';
import { registerSimulatorPanel } from './simulatorPanel/panel';
import { registerOpenAsPatchMail } from './commands/openAsPatchMail';
import { VfioStatusBar } from './statusBar';

let server: VfioServer | undefined;

export interface VfioLensApi {
  /** The running server (tests use it to wait for readiness). */
  readonly server: VfioServer;
  /** Milliseconds from activate() entry to the language client being ready. */
  readonly activationMs: Promise<number>;
  /** Milliseconds activate() itself took (the server starts after it returns). */
  readonly activateReturnMs: number;
  /** The status bar's items (tests read what they say). */
  readonly statusBar: VfioStatusBar;
}

export function activate(context: vscode.ExtensionContext): VfioLensApi {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('vfio-lens', { log: true });
  context.subscriptions.push(output);
  server = new VfioServer(context, output);
  context.subscriptions.push(server);
  const panels = registerSimulatorPanel(context, server);
  registerRestartServer(context, server);
  registerShowOutput(context, output);
  registerSimulate(context, server, panels);
  registerCompare(context, server, panels);
  registerShowMatrix(context, server, panels);
  registerExplain(context, server);
  registerCopySummary(context, server);
  registerOpenAsPatchMail(context);
  const statusBar = new VfioStatusBar(server);
  context.subscriptions.push(statusBar);
  const ready = server.start().then(
    () => Date.now() - started,
    (e: unknown) => {
      output.appendLine(`vfio-lens: the language server did not start: ${String(e)}`);
      return Date.now() - started;
    },
  );
  return { server, activationMs: ready, statusBar, activateReturnMs: Date.now() - started };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
