/**
 * Kernel sides and device kinds as the commands and the panel offer them. The ids and labels are
 * the server's (VfioServer.vocabulary()): nothing here knows one kernel or device from another.
 */
import type {
  DeviceKindId,
  KernelId,
  KernelRef,
  ModelVocabulary,
  PatchSides,
} from '../../server/src/lsp/protocol';

export const isDeviceId = (model: ModelVocabulary, v: unknown): v is DeviceKindId =>
  typeof v === 'string' && model.devices.some((d) => d.id === v);
export const isKernelId = (model: ModelVocabulary, v: unknown): v is KernelId =>
  typeof v === 'string' && model.variants.some((k) => k.id === v);

/** Checks a device kind passed as a command argument; throws with the reason. */
export function checkDeviceArg(model: ModelVocabulary, v: unknown): DeviceKindId | undefined {
  if (v === undefined) return undefined;
  if (!isDeviceId(model, v)) throw new Error(`unknown device kind "${String(v)}"`);
  return v;
}

/**
 * The name of a kernel side, as pickers, trace headers and the plain-text copy show it: a kernel
 * by its id, a patch side by the name the server gives it (vfioLens/documentStatus `sides`:
 * "before [PATCH v5 3/3] vfio/pci: ..."), else "before this patch".
 */
export function kernelRefLabel(ref: KernelRef, sides: readonly PatchSides[] = []): string {
  if ('kernel' in ref) return ref.kernel;
  const named = sides.find((s) => s.patch === ref.patch);
  return named ? named[ref.side] : `${ref.side} this patch`;
}

/** A patch side pair as the pickers offer it: the names, and the KernelRef each one requests. */
export interface PatchSideChoice {
  label: string;
  ref: KernelRef;
}

/** Every patch side of a document, the whole series first (the server's order), before then after. */
export function patchSideChoices(uri: string, sides: readonly PatchSides[]): PatchSideChoice[] {
  const pairs: readonly PatchSides[] = sides.length
    ? sides
    : [{ before: 'before this patch', after: 'after this patch' }];
  return pairs.flatMap((s) =>
    (['before', 'after'] as const).map((side) => ({
      label: s[side],
      ref: s.patch === undefined ? { uri, side } : { uri, patch: s.patch, side },
    })),
  );
}

/** Checks a KernelRef passed as a command argument; throws with the reason. */
export function toKernelRef(model: ModelVocabulary, v: unknown, what: string): KernelRef {
  if (typeof v === 'string' && isKernelId(model, v)) return { kernel: v };
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if (isKernelId(model, o.kernel)) return { kernel: o.kernel };
    if (typeof o.uri === 'string' && (o.side === 'before' || o.side === 'after')) {
      if (o.patch !== undefined && !(Number.isInteger(o.patch) && (o.patch as number) >= 0)) {
        throw new Error(`${what}.patch must be a patch index (0, 1, ...)`);
      }
      return { uri: o.uri, patch: o.patch as number | undefined, side: o.side };
    }
  }
  const ids = model.variants.map((k) => k.id).join(', ');
  throw new Error(`${what} must be a kernel id (${ids}) or { uri, patch?, side: "before" | "after" }`);
}
