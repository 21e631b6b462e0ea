/**
 * Markers: what a kernel sets on a struct pci_dev to say what a device is, and what vfio-pci's
 * decisions test. A marker is a bitfield of struct pci_dev (`is_virtfn`, `no_command_memory`, ...)
 * or a bit of its `dev_flags` (`PCI_DEV_FLAGS_*`), named in setters as "dev_flags:NAME". This file
 * is the one vocabulary of them: the names the model knows, the spelling of a dev_flags marker,
 * and the dev_flags bits the kernels' trees have taken.
 */

/** The struct pci_dev bitfields the model knows as markers, even when no setter of a policy names them. */
export const MARKER_FIELDS: readonly string[] = ['is_virtfn', 'no_command_memory', 'detached_vf', 'physfn'];

/** The struct pci_dev members every modelled kernel has (a patch may use them at any point of a series). */
export const PCI_DEV_MEMBERS: readonly string[] = [
  'is_virtfn',
  'physfn',
  'dev_flags',
  'no_vf_scan',
  'current_state',
];

/** The markers a patch may introduce (their use before their definition breaks bisection). */
export const PROPOSED_MARKER_FIELDS: readonly string[] = ['no_command_memory', 'detached_vf'];

const DEV_FLAG_PREFIX = 'dev_flags:';

/** A dev_flags bit's name: PCI_DEV_FLAGS_* (and the singular PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS). */
export const DEV_FLAG_NAME = /^PCI_DEV_FLAGS?_\w+$/;

/** Every dev_flags bit name in a text. */
export function devFlagNamesIn(text: string): string[] {
  return text.match(/\bPCI_DEV_FLAGS?_\w+/g) ?? [];
}

/** The dev_flags bits and struct members (`->name`) a C expression names, in order: the markers it may read. */
export function markerNamesIn(expression: string): string[] {
  return [...expression.matchAll(/\bPCI_DEV_FLAGS?_\w+|->\s*(\w+)/g)].map((m) => m[1] ?? m[0]);
}

/** The marker of a dev_flags bit: "dev_flags:PCI_DEV_FLAGS_FORCE_COMMAND_MEM". */
export function devFlagMarker(flag: string): string {
  return DEV_FLAG_PREFIX + flag;
}

/** The dev_flags bit a marker stands for, or undefined for a bitfield marker. */
export function markerFlag(marker: string): string | undefined {
  return marker.startsWith(DEV_FLAG_PREFIX) ? marker.slice(DEV_FLAG_PREFIX.length) : undefined;
}

/** The name a marker has in C: the bitfield, or the dev_flags bit. */
export function markerName(marker: string): string {
  return markerFlag(marker) ?? marker;
}

/** The enum pci_dev_flags bits of v5.9 (domain doc §2.2), bit -> name. */
export const DEV_FLAG_BITS_V5_9: Readonly<Record<number, string>> = {
  0: 'PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG',
  1: 'PCI_DEV_FLAGS_NO_D3',
  2: 'PCI_DEV_FLAGS_ASSIGNED',
  3: 'PCI_DEV_FLAGS_ACS_ENABLED_QUIRK',
  5: 'PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS',
  6: 'PCI_DEV_FLAGS_NO_BUS_RESET',
  7: 'PCI_DEV_FLAGS_NO_PM_RESET',
  8: 'PCI_DEV_FLAGS_VPD_REF_F0',
  9: 'PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT',
  10: 'PCI_DEV_FLAGS_NO_FLR_RESET',
  11: 'PCI_DEV_FLAGS_NO_RELAXED_ORDERING',
};

/** Bits mainline took after v5.10 (not by the proposals of this story). */
export const LATER_MAINLINE_DEV_FLAG_BITS: Readonly<Record<number, string>> = {
  12: 'PCI_DEV_FLAGS_HAS_MSI_MASKING',
  13: 'PCI_DEV_FLAGS_MSIX_TOUCH_ENTRY_DATA_FIRST',
};

/** The v5.9 bit of a dev_flags name, or undefined when v5.9 has no such bit. */
export function devFlagBitInV5_9(name: string): number | undefined {
  const hit = Object.entries(DEV_FLAG_BITS_V5_9).find(([, n]) => n === name);
  return hit ? Number(hit[0]) : undefined;
}
