/**
 * enum pci_dev_flags: one row per bit. The v5.9 layout is the reference (the kernel the v4 proposal
 * was written against; its bit numbers are the model's, model/markers.ts); where a name sat
 * elsewhere in another version, or a bit was only proposed, the row says so. New bits are new rows.
 */
import { devFlagBitInV5_9 } from '../model/index';
import type { BitPlacement, KnowledgeEntry } from './types';

interface FlagRow {
  name: string;
  summary: string;
  details: string;
  commit?: string;
  trap?: string;
  elsewhere?: BitPlacement[];
}

const rows: FlagRow[] = [
  {
    name: 'PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG',
    summary: 'Quirk: setting INTX_DISABLE on this device also silences its MSIs.',
    details:
      'Set by PCI quirks for devices whose MSI delivery stops when the legacy-interrupt disable bit is set, so the core leaves INTX_DISABLE alone while MSI is in use.',
  },
  {
    name: 'PCI_DEV_FLAGS_NO_D3',
    summary: 'Quirk: never put this device into D3.',
    details: 'The power-management code skips the D3 transition for devices that do not come back from it.',
  },
  {
    name: 'PCI_DEV_FLAGS_ASSIGNED',
    summary: 'The device is handed to a guest by a VMM (legacy KVM device assignment).',
    details:
      'A hint to host drivers (notably PF drivers deciding whether VFs may go away) that a virtual machine owns the function.',
  },
  {
    name: 'PCI_DEV_FLAGS_ACS_ENABLED_QUIRK',
    summary: 'Quirk: ACS isolation was switched on by a device-specific method.',
    details:
      'Lets the IOMMU grouping code trust isolation that was enabled by a quirk rather than the ACS capability.',
  },
  {
    name: 'PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS',
    summary: 'Quirk: a PCIe-to-PCI bridge that uses its own requester ID for the devices behind it.',
    details: 'DMA alias calculation adds the bridge ID for devices below it. Bit 4 is unused in v5.9.',
    trap: 'Spelled FLAG, singular — a grep for PCI_DEV_FLAGS_ misses it.',
  },
  {
    name: 'PCI_DEV_FLAGS_NO_BUS_RESET',
    summary: 'Quirk: a secondary bus reset breaks this device; do not use one.',
    details: 'Reset code (and vfio hot reset) avoids bus resets for devices that misbehave afterwards.',
  },
  {
    name: 'PCI_DEV_FLAGS_NO_PM_RESET',
    summary: 'Quirk: the D3hot-to-D0 transition does not really reset this device.',
    details: 'The PM reset method is skipped for functions that keep their state across D3hot.',
  },
  {
    name: 'PCI_DEV_FLAGS_VPD_REF_F0',
    summary: 'Quirk: read this function\u2019s VPD through function 0.',
    details: 'Multi-function devices that share one VPD; accesses on other functions go to function 0.',
  },
  {
    name: 'PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT',
    summary: 'Quirk: this bridge is where IOMMU requester-ID translation stops.',
    details: 'DMA alias walks stop at such a bridge (used for some virtualised root complexes).',
  },
  {
    name: 'PCI_DEV_FLAGS_NO_FLR_RESET',
    summary: 'Quirk: do not use Function Level Reset even if the device claims it.',
    details: 'Reset selection skips FLR for devices whose FLR is broken.',
  },
  {
    name: 'PCI_DEV_FLAGS_NO_RELAXED_ORDERING',
    summary: 'Quirk: do not send Relaxed Ordering TLPs to this device.',
    details:
      'Root ports with broken Relaxed Ordering handling get this; drivers check it before enabling RO.',
    elsewhere: [
      {
        kernel: 'a v4.x tree (about v4.14)',
        bit: 12,
        note: 'bit 11 was PCI_DEV_FLAGS_NEEDS_RESUME there; the flag moved down when that one was removed',
      },
    ],
    trap: 'Bit numbers of this enum are not stable across kernel versions.',
  },
  {
    name: 'PCI_DEV_FLAGS_NEEDS_RESUME',
    summary:
      'Old quirk (4.x kernels): resume this device fully instead of taking the direct-complete shortcut.',
    details: 'Present in some 4.x kernels at bit 11; removed before v5.9, which freed bit 11.',
    elsewhere: [{ kernel: 'a v4.x tree (about v4.14)', bit: 11 }],
  },
  {
    name: 'PCI_DEV_FLAGS_FORCE_COMMAND_MEM',
    summary:
      'Proposed (v4 series, Sept 2020, never merged): the device does not implement COMMAND MEMORY, so vfio must emulate it.',
    details:
      'The v4 series set it in pci_iov_add_virtfn() and for every s390 function with zdev->vfn, and made vfio key the MEMORY-bit emulation (memory-enabled test, COMMAND read OR-in, restore clause, forced bit at init) on it instead of is_virtfn. Review asked for a name after the hardware fact and then for a plain bitfield; v5 merged that as no_command_memory.',
    commit: 'v4 series 2020-09-02 (not merged); replaced by 12856e7acde4 / 515ecd5368f1 (v5.10-rc1)',
    trap: 'Bit 12 was free in v5.9 only: later mainline gave 12 to PCI_DEV_FLAGS_HAS_MSI_MASKING and 13 to PCI_DEV_FLAGS_MSIX_TOUCH_ENTRY_DATA_FIRST; and in 4.x trees 12 was NO_RELAXED_ORDERING.',
    elsewhere: [
      { kernel: 'v4 proposal (on v5.9)', bit: 12, note: 'proposed, never merged' },
      { kernel: 'later mainline', bit: null, note: 'bit 12 is PCI_DEV_FLAGS_HAS_MSI_MASKING there' },
    ],
  },
  {
    name: 'PCI_DEV_FLAGS_NO_COMMAND_MEMORY',
    summary:
      'The name the PCI maintainer suggested for the v4 flag during review; it became the bitfield no_command_memory.',
    details:
      'Naming the flag after what the hardware lacks (no COMMAND MEMORY bit) instead of what vfio should do. It never existed as a dev_flags bit upstream.',
    commit: 'review of the v4 series (Sept 2020); merged as no_command_memory in 12856e7acde4',
  },
  {
    name: 'PCI_DEV_FLAGS_HAS_MSI_MASKING',
    summary: 'Later mainline quirk: the device does mask MSIs even though its capability says it cannot.',
    details: 'Added after v5.9 and took bit 12 — the bit the v4 FORCE_COMMAND_MEM proposal had used.',
    elsewhere: [{ kernel: 'later mainline', bit: 12 }],
    trap: 'Collides with the v4 proposal\u2019s PCI_DEV_FLAGS_FORCE_COMMAND_MEM (also 1 << 12).',
  },
  {
    name: 'PCI_DEV_FLAGS_MSIX_TOUCH_ENTRY_DATA_FIRST',
    summary: 'Later mainline quirk (2024): write an MSI-X entry\u2019s data word before reading the table.',
    details: 'Took bit 13 in later mainline; several other proposals had also claimed 12 or 13.',
    elsewhere: [{ kernel: 'later mainline', bit: 13 }],
  },
];

/** The row's bit in v5.9, or null when the name is not in v5.9. */
const v59 = (row: FlagRow): number | null => devFlagBitInV5_9(row.name) ?? null;

function bitsOf(row: FlagRow): BitPlacement[] {
  const list: BitPlacement[] = [];
  const bit = v59(row);
  if (bit !== null) list.push({ kernel: 'v5.9', bit });
  return list.concat(row.elsewhere ?? []);
}

export const devFlagEntries: KnowledgeEntry[] = rows.map((row) => ({
  name: row.name,
  kind: 'dev_flags bit',
  summary: row.summary,
  details: row.details,
  commit:
    row.commit ??
    (v59(row) !== null
      ? 'include/linux/pci.h, enum pci_dev_flags of v5.9-rc (blob 835530605c0d)'
      : 'include/linux/pci.h of the kernels named in the table (commit not recorded here)'),
  trap: row.trap,
  bits: bitsOf(row),
  value: v59(row) === null ? undefined : 1 << v59(row)!,
}));
