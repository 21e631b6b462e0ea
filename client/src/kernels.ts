/**
 * Kernel sides and device kinds as the commands and the panel offer them. The ids are the model's
 * (server/src/model/types.ts); the labels are for people.
 */
import {
  DEVICE_KINDS,
  DEVICE_KIND_IDS,
  KERNELS,
  KERNEL_IDS,
  type DeviceKindId,
  type KernelId,
} from '../../server/src/model/index';
import type { KernelRef } from '../../server/src/lsp/protocol';

export const DEVICE_LABELS = Object.fromEntries(DEVICE_KINDS.map((d) => [d.id, d.label])) as Record<
  DeviceKindId,
  string
>;

export const KERNEL_LABELS = Object.fromEntries(KERNELS.map((k) => [k.id, k.label])) as Record<
  KernelId,
  string
>;

export const deviceIds: readonly DeviceKindId[] = DEVICE_KIND_IDS;
export const kernelIds: readonly KernelId[] = KERNEL_IDS;

export const isDeviceId = (v: unknown): v is DeviceKindId =>
  typeof v === 'string' && deviceIds.includes(v as DeviceKindId);
export const isKernelId = (v: unknown): v is KernelId =>
  typeof v === 'string' && kernelIds.includes(v as KernelId);

/** A short name for a kernel side, as trace headers and the plain-text copy show it. */
export function kernelRefLabel(ref: KernelRef): string {
  if ('kernel' in ref) return ref.kernel;
  const patch = ref.patch === undefined ? '' : ` #${ref.patch + 1}`;
  return `this patch${patch} (${ref.side})`;
}

/** Checks a KernelRef passed as a command argument; throws with the reason. */
export function toKernelRef(v: unknown, what: string): KernelRef {
  if (typeof v === 'string' && isKernelId(v)) return { kernel: v };
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if (isKernelId(o.kernel)) return { kernel: o.kernel };
    if (typeof o.uri === 'string' && (o.side === 'before' || o.side === 'after')) {
      if (o.patch !== undefined && !(Number.isInteger(o.patch) && (o.patch as number) >= 0)) {
        throw new Error(`${what}.patch must be a patch index (0, 1, ...)`);
      }
      return { uri: o.uri, patch: o.patch as number | undefined, side: o.side };
    }
  }
  throw new Error(
    `${what} must be a kernel id (${kernelIds.join(', ')}) or { uri, patch?, side: "before" | "after" }`,
  );
}
