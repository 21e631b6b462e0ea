/** Quick picks for the commands: device kind, kernel side (or this patch), step script, from the server's vocabulary. */
import * as vscode from 'vscode';
import type { DeviceKindId, KernelRef, ModelVocabulary, PatchSides } from '../../server/src/lsp/protocol';
import { patchSideChoices } from './kernels';

/** The languages whose documents can be "this patch". */
const PATCH_LANGUAGES = ['diff', 'patch-mail', 'plaintext'];

/** The active editor's document when it may hold a patch. */
export function activePatchDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && PATCH_LANGUAGES.includes(doc.languageId) ? doc : undefined;
}

/** The device kinds, those the patch changes first (under a separator that says so). */
export async function pickDevice(
  model: ModelVocabulary,
  changed: readonly string[] = [],
): Promise<DeviceKindId | undefined> {
  type Item = vscode.QuickPickItem & { id?: DeviceKindId };
  const item = (d: ModelVocabulary['devices'][number]): Item => ({
    label: d.id,
    description: d.label,
    id: d.id as DeviceKindId,
  });
  const first = changed.flatMap((id) => model.devices.filter((d) => d.id === id));
  const rest = model.devices.filter((d) => !changed.includes(d.id));
  const items: Item[] = first.length
    ? [
        { label: 'Changed by this patch', kind: vscode.QuickPickItemKind.Separator },
        ...first.map(item),
        { label: 'Other device kinds', kind: vscode.QuickPickItemKind.Separator },
        ...rest.map(item),
      ]
    : rest.map(item);
  const picked = await vscode.window.showQuickPick(items, {
    title: 'vfio-lens: device kind',
    placeHolder: 'Which device is opened by vfio-pci?',
  });
  return picked?.id;
}

interface KernelItem extends vscode.QuickPickItem {
  ref?: KernelRef;
}

/**
 * A kernel variant, or a side of the patch document: the whole series before its first patch and
 * after its last, then each patch's before and after, named as the server names them
 * (`sides`, from vfioLens/documentStatus: "before [PATCH v5 3/3] vfio/pci: ...").
 */
export async function pickKernel(
  model: ModelVocabulary,
  title: string,
  patchDoc?: vscode.TextDocument,
  sides: readonly PatchSides[] = [],
): Promise<KernelRef | undefined> {
  const items: KernelItem[] = [];
  if (patchDoc) {
    const uri = patchDoc.uri.toString();
    const name = vscode.workspace.asRelativePath(patchDoc.uri);
    items.push(
      { label: `Patches of ${name}`, kind: vscode.QuickPickItemKind.Separator },
      ...patchSideChoices(uri, sides).map((c) => ({
        label: c.label,
        description: 'patch' in c.ref && c.ref.patch !== undefined ? undefined : 'the whole document',
        ref: c.ref,
      })),
      { label: 'Kernels', kind: vscode.QuickPickItemKind.Separator },
    );
  }
  items.push(
    ...model.variants.map((k) => ({ label: k.id, description: k.label, ref: { kernel: k.id } as KernelRef })),
  );
  const item = await vscode.window.showQuickPick(items, { title, placeHolder: 'Kernel variant' });
  return item?.ref;
}

/** A preset, or a script typed by the reviewer ("Type a script…"). */
export async function pickSteps(model: ModelVocabulary): Promise<string | undefined> {
  const presets = model.presets.map((p) => ({
    label: p.name,
    description: p.steps.join('; '),
    steps: p.steps.join('; '),
  }));
  const typeOwn = { label: '$(edit) Type a script…', description: 'steps separated by ";"', steps: '' };
  const item = await vscode.window.showQuickPick([...presets, typeOwn], {
    title: 'vfio-lens: step script',
    placeHolder: 'What does the user of the device do?',
  });
  if (!item) return undefined;
  if (item !== typeOwn) return item.steps;
  return vscode.window.showInputBox({
    title: 'vfio-lens: step script',
    value: presets[0]?.steps ?? '',
    prompt: `Steps: ${model.steps.map((s) => s.action).join(', ')}`,
    validateInput: (v) => (v.trim() ? undefined : 'Give at least one step, e.g. "open; mmio-read"'),
  });
}
