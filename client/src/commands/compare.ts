/**
 * "vfio-lens: Compare kernels…": two kernel sides (or this patch's before/after), optionally one
 * device kind; shows the shortest differing scenarios in the simulator and returns CompareResult.
 * Args: { a?: KernelRef, b?: KernelRef, device?, depth?, uri?, patch? }.
 */
import * as vscode from 'vscode';
import {
  CompareRequest,
  type CompareParams,
  type CompareResult,
  type KernelRef,
} from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import type { SimulatorPanels } from '../simulatorPanel/panel';
import { checkDeviceArg, toKernelRef } from '../kernels';
import { activePatchDocument, pickKernel } from '../pickers';
import { asArgs, patchIndexArg, reporting, uriArg } from './args';
import { patchStatus } from './simulate';

export function registerCompare(
  context: vscode.ExtensionContext,
  server: VfioServer,
  panels: SimulatorPanels,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.compare', (raw?: unknown) =>
      reporting('compare', () => compare(server, panels, raw)),
    ),
  );
}

async function compare(
  server: VfioServer,
  panels: SimulatorPanels,
  raw: unknown,
): Promise<CompareResult | undefined> {
  const args = asArgs(raw, 'vfioLens.compare');
  const model = await server.vocabulary();
  let a: KernelRef | undefined = args.a === undefined ? undefined : toKernelRef(model, args.a, 'a');
  let b: KernelRef | undefined = args.b === undefined ? undefined : toKernelRef(model, args.b, 'b');
  if (args.uri !== undefined) {
    const uri = uriArg(args.uri, 'uri').toString();
    const patch = patchIndexArg(args.patch, 'patch');
    a ??= { uri, patch, side: 'before' };
    b ??= { uri, patch, side: 'after' };
  }
  const device = checkDeviceArg(model, args.device);
  if (args.depth !== undefined && !(Number.isInteger(args.depth) && (args.depth as number) > 0)) {
    throw new Error('depth must be a positive number of steps');
  }
  const doc = activePatchDocument();
  const sides = a && b ? [] : ((await patchStatus(server, doc?.uri.toString()))?.sides ?? []);
  a ??= await pickKernel(model, 'vfio-lens: compare — first kernel', doc, sides);
  if (!a) return undefined;
  b ??= await pickKernel(model, 'vfio-lens: compare — second kernel', doc, sides);
  if (!b) return undefined;
  const params: CompareParams = { a, b, device };
  if (typeof args.depth === 'number') params.depth = args.depth;
  const result = await server.request(CompareRequest, params);
  await panels.showCompare(a, b, result);
  return result;
}
