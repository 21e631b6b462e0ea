/**
 * The kernel variants of the one vfio-pci model, one row per id: the config-space rows of
 * vfio/config/variants.ts (v3.6 written out, every later row the previous one plus its commits)
 * joined with the Command-register part each names (commandKernels.ts, with its overrides). A
 * row's PolicySpec carries both parts; a patch edits either. Adding a kernel is adding a row to
 * vfio/config/variants.ts (and, if its Command-register logic is new, to commandKernels.ts), its
 * id to package.json's vfioLens.baseline enum (a test compares) and to README's Ids.
 */
import { COMMAND_KERNELS, commandKernel, type CommandKernel, type CommandPart } from './commandKernels';
import { RowTable } from './ids';
import type { KernelVariantInfo, PolicySpec } from './types';
import { CONFIG_VARIANTS, VARIANT_CHANGES } from './vfio/config/variants';
import type { ConfigSpaceSpec, ConfigVariantSpec } from './vfio/config/types';

/** One kernel variant: what people call it, and its logic as data (the PolicySpec a patch edits). */
export interface KernelVariant<Id extends string = string> extends KernelVariantInfo<Id> {
  status: 'release' | 'proposal';
  spec: PolicySpec;
  /** The dev_flags bits taken in the tree this kernel stands for (bit -> name). */
  devFlagBits: Readonly<Record<number, string>>;
  /** The Command-register row (commandKernels.ts) whose logic this variant has. */
  commandKernel: string;
}

export type KernelId = string;

/** The config-space part of a config row (what PolicySpec.config holds). */
export function configPart(v: ConfigSpaceSpec): ConfigSpaceSpec {
  const { perms, capLengths, ecapLengths, decisions, rules, pciCore } = v;
  return { perms, capLengths, ecapLengths, decisions, rules, pciCore };
}

function commandRow(v: ConfigVariantSpec): CommandKernel {
  const row = commandKernel(v.commandKernel);
  if (!row) throw new Error(`${v.id}: no Command-register kernel "${v.commandKernel}"`);
  return row;
}

/** The Command-register part of a config row: its commandKernel's, with the row's overrides. */
export function commandPartOf(v: ConfigVariantSpec): CommandPart {
  const base = commandRow(v).spec;
  if (!v.commandOverrides) return base;
  return { ...base, decisions: { ...base.decisions, ...v.commandOverrides } } as CommandPart;
}

/** The PolicySpec of a config row: its Command-register part and its config-space part. */
export function policyOfVariant(v: ConfigVariantSpec): PolicySpec {
  return { ...commandPartOf(v), id: v.id, label: v.label, config: configPart(v) };
}

/** The first change of a row's own that names one confirmed commit (12 hex digits, nothing else). */
function ownCommit(id: string): string | undefined {
  return (VARIANT_CHANGES[id] ?? []).map((c) => c.commit.trim()).find((c) => /^[0-9a-f]{12}$/.test(c));
}

function variant(v: ConfigVariantSpec): KernelVariant {
  const command = COMMAND_KERNELS.find((k) => k.id === v.id);
  const label = command?.label ?? v.label;
  const description = command ? `${command.description} ${v.description}` : v.description;
  const commit = command ? command.commit : (ownCommit(v.id) ?? (v.id === 'v3.6' ? v.commits[0] : undefined));
  const spec = { ...policyOfVariant(v), label };
  const info =
    commit === undefined ? { id: v.id, label, description } : { id: v.id, label, description, commit };
  return {
    ...info,
    status: v.status,
    spec,
    devFlagBits: commandRow(v).devFlagBits,
    commandKernel: v.commandKernel,
  };
}

export const KERNELS: readonly KernelVariant[] = CONFIG_VARIANTS.map(variant);

/** The kernels by id: the one membership check and the one "unknown kernel" message. */
export const KERNEL_TABLE = new RowTable<KernelVariant>('kernel', 'kernels', KERNELS);

export const KERNEL_IDS: readonly KernelId[] = KERNEL_TABLE.ids;
export const KERNEL_SPECS: readonly PolicySpec[] = KERNELS.map((k) => k.spec);

/**
 * The kernels that bring a Command-register logic of their own (their row is its origin, or
 * overrides it): among these the Command-register decisions of a pre-image choose; the rows that
 * inherit one (v6.4 … mainline have v5.19's) are told apart by their config space.
 */
export const COMMAND_ORIGINS: readonly KernelId[] = CONFIG_VARIANTS.filter(
  (v) => v.commandKernel === v.id || (v.commandOverrides && Object.keys(v.commandOverrides).length),
).map((v) => v.id);

/** The PolicySpec of a kernel id, or undefined for an id no row has (KERNEL_TABLE.get says why). */
export function kernelSpecById(id: string): PolicySpec | undefined {
  return KERNEL_TABLE.has(id) ? KERNEL_TABLE.get(id).spec : undefined;
}
