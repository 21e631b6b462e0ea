/**
 * "vfio-lens: Show behaviour matrix": device kinds x scenarios under the kernels (default all, or
 * args { kernels: KernelRef[] } / { uri, patch } for a patch's before/after). Returns MatrixResult.
 */
import * as vscode from 'vscode';
import type { KernelRef, MatrixResult } from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import type { SimulatorPanels } from '../simulatorPanel/panel';
import { toKernelRef } from '../kernels';
import { asArgs, patchIndexArg, reporting, uriArg } from './args';

export function registerShowMatrix(
  context: vscode.ExtensionContext,
  server: VfioServer,
  panels: SimulatorPanels,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.showMatrix', (raw?: unknown) =>
      reporting('showMatrix', async (): Promise<MatrixResult> => {
        const args = asArgs(raw, 'vfioLens.showMatrix');
        const model = await server.vocabulary();
        let kernels: KernelRef[] | undefined;
        if (Array.isArray(args.kernels))
          kernels = args.kernels.map((k, i) => toKernelRef(model, k, `kernels[${i}]`));
        else if (args.kernels !== undefined) throw new Error('kernels must be an array of kernel sides');
        if (args.uri !== undefined) {
          const uri = uriArg(args.uri, 'uri').toString();
          const patch = patchIndexArg(args.patch, 'patch');
          kernels = [
            { uri, patch, side: 'before' },
            { uri, patch, side: 'after' },
          ];
        }
        return (await panels.showMatrix(kernels)).result;
      }),
    ),
  );
}
