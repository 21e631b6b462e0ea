/** Quick picks for the commands: device kind, kernel side (or this patch), step script. */
import * as vscode from 'vscode';
import type { DeviceKindId } from '../../server/src/model/types';
import type { KernelRef } from '../../server/src/lsp/protocol';
import { DEVICE_LABELS, KERNEL_LABELS, deviceIds, kernelIds } from './kernels';
import { STEP_PRESETS, STEP_ACTION_NAMES, splitSteps } from './steps';

/** The languages whose documents can be "this patch". */
const PATCH_LANGUAGES = ['diff', 'patch-mail', 'plaintext'];

/** The active editor's document when it may hold a patch. */
export function activePatchDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && PATCH_LANGUAGES.includes(doc.languageId) ? doc : undefined;
}

export async function pickDevice(): Promise<DeviceKindId | undefined> {
  const item = await vscode.window.showQuickPick(
    deviceIds.map((id) => ({ label: id, description: DEVICE_LABELS[id], id })),
    { title: 'vfio-lens: device kind', placeHolder: 'Which device is opened by vfio-pci?' },
  );
  return item?.id;
}

interface KernelItem extends vscode.QuickPickItem {
  ref?: KernelRef;
}

export async function pickKernel(
  title: string,
  patchDoc?: vscode.TextDocument,
): Promise<KernelRef | undefined> {
  const items: KernelItem[] = [];
  if (patchDoc) {
    const uri = patchDoc.uri.toString();
    const name = vscode.workspace.asRelativePath(patchDoc.uri);
    items.push(
      { label: 'This patch', kind: vscode.QuickPickItemKind.Separator },
      { label: 'this patch: before', description: name, ref: { uri, side: 'before' } },
      { label: 'this patch: after', description: name, ref: { uri, side: 'after' } },
      { label: 'Kernels', kind: vscode.QuickPickItemKind.Separator },
    );
  }
  items.push(...kernelIds.map((id) => ({ label: id, description: KERNEL_LABELS[id], ref: { kernel: id } })));
  const item = await vscode.window.showQuickPick(items, { title, placeHolder: 'Kernel variant' });
  return item?.ref;
}

/** A preset, or a script typed by the reviewer ("Type a script…"). */
export async function pickSteps(): Promise<string | undefined> {
  const typeOwn = { label: '$(edit) Type a script…', description: 'steps separated by ";"', steps: '' };
  const item = await vscode.window.showQuickPick(
    [...STEP_PRESETS.map((p) => ({ label: p.name, description: p.steps, steps: p.steps })), typeOwn],
    { title: 'vfio-lens: step script', placeHolder: 'What does the user of the device do?' },
  );
  if (!item) return undefined;
  if (item !== typeOwn) return item.steps;
  return vscode.window.showInputBox({
    title: 'vfio-lens: step script',
    value: STEP_PRESETS[0].steps,
    prompt: `Steps: ${STEP_ACTION_NAMES.join(', ')}`,
    validateInput: (v) =>
      splitSteps(v).length === 0 ? 'Give at least one step, e.g. "open; mmio-read"' : undefined,
  });
}
