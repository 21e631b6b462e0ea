/**
 * "vfio-lens: Simulate scenario…": device kind, kernel side(s) and step script from arguments or
 * quick picks (the device kinds the patch changes first); runs them in the simulator panel and
 * returns the TraceRun.
 * Args: { device?, kernel?: KernelRef, compareWith?: KernelRef, steps?, uri?, patch? }; with uri
 * (and patch) it compares that patch's before and after.
 */
import * as vscode from 'vscode';
import { DocumentStatusRequest, type DocumentStatus, type KernelRef } from '../../../server/src/lsp/protocol';
import type { VfioServer } from '../server';
import type { SimulatorPanels, TraceRun } from '../simulatorPanel/panel';
import { checkDeviceArg, toKernelRef } from '../kernels';
import { activePatchDocument, pickDevice, pickKernel, pickSteps } from '../pickers';
import { asArgs, patchIndexArg, reporting, uriArg } from './args';

export function registerSimulate(
  context: vscode.ExtensionContext,
  server: VfioServer,
  panels: SimulatorPanels,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vfioLens.simulate', (raw?: unknown) =>
      reporting('simulate', () => simulate(server, panels, raw)),
    ),
  );
}

async function simulate(
  server: VfioServer,
  panels: SimulatorPanels,
  raw: unknown,
): Promise<TraceRun | undefined> {
  const args = asArgs(raw, 'vfioLens.simulate');
  const model = await server.vocabulary();
  let a: KernelRef | undefined;
  let b: KernelRef | undefined;
  if (args.uri !== undefined) {
    const uri = uriArg(args.uri, 'uri').toString();
    const patch = patchIndexArg(args.patch, 'patch');
    a = { uri, patch, side: 'before' };
    b = { uri, patch, side: 'after' };
  }
  if (args.kernel !== undefined) a = toKernelRef(model, args.kernel, 'kernel');
  if (args.compareWith !== undefined) b = toKernelRef(model, args.compareWith, 'compareWith');
  const given = checkDeviceArg(model, args.device);
  if (args.steps !== undefined && (typeof args.steps !== 'string' || !args.steps.trim())) {
    throw new Error('steps must be a script like "open; write-cmd 0x0002; mmio-read"');
  }
  const status = given && a ? undefined : await patchStatus(server, args.uri);
  const device = given ?? (await pickDevice(model, status?.changedDevices ?? []));
  if (!device) return undefined;
  if (!a) {
    a = await pickKernel(model, 'vfio-lens: kernel (or a patch)', activePatchDocument(), status?.sides);
    if (!a) return undefined;
    if (!b && !('kernel' in a)) b = { ...a, side: a.side === 'before' ? 'after' : 'before' };
  }
  const script = typeof args.steps === 'string' ? args.steps : await pickSteps(model);
  if (!script) return undefined;
  return panels.runTrace(device, a, b ?? null, script);
}

/**
 * What the server made of the patch (args.uri, or the active document): the device kinds it
 * changes, for the picker to list first, and its sides as a reviewer names them.
 */
export async function patchStatus(server: VfioServer, uri: unknown): Promise<DocumentStatus | undefined> {
  const target = typeof uri === 'string' ? uri : activePatchDocument()?.uri.toString();
  if (!target) return undefined;
  return server.request(DocumentStatusRequest, { uri: target }).catch(() => undefined);
}
