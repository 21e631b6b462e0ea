/**
 * Kernel sides and device kinds as the commands and the panel offer them. The ids and labels are
 * the server's (VfioServer.vocabulary()): nothing here knows one kernel or device from another.
 */
import type { DeviceKindId, KernelId, KernelRef, ModelVocabulary } from '../../server/src/lsp/protocol';

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

/** A short name for a kernel side, as trace headers and the plain-text copy show it. */
export function kernelRefLabel(ref: KernelRef): string {
  if ('kernel' in ref) return ref.kernel;
  const patch = ref.patch === undefined ? '' : ` #${ref.patch + 1}`;
  return `this patch${patch} (${ref.side})`;
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
