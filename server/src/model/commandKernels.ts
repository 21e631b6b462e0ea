/**
 * The Command-register part of the kernel variants (domain doc vfio-command-register.md §1.1–1.8,
 * table 1.7), one row per kernel that has its own: its label, commit and description, for each
 * decision point the C text as that kernel writes it (null where the point does not exist), the
 * marker setters, the traits the decision texts do not carry, and the dev_flags bits its tree has
 * taken. The s390 kernel-side facts (who sets is_virtfn on which kernel) are marker setters here,
 * not properties of the device kinds. A row of the one table of kernels (kernels.ts) names the
 * row here it takes its Command-register part from (vfio/config/variants.ts `commandKernel`).
 */
import { DEV_FLAG_BITS_V5_9, devFlagMarker } from './markers';
import type { KernelVariantInfo, MarkerSetter, PolicySpec } from './types';

const RESTORE_MEM = 'new_mem && virt_mem && !phys_mem';
const RESTORE_IO = '(new_io && virt_io && !phys_io)';
const NEED_RESTORE = 'vfio_need_bar_restore(vdev)';
const FORCE_FLAG = 'PCI_DEV_FLAGS_FORCE_COMMAND_MEM';

/** Old pr_info wording (v3.6 … v5.8-rc); the device name is part of the message there. */
const LOG_OLD = 'vfio_bar_restore: <dev> reset recovery - restoring bars';
/* v5.9 and later: pci_info wording, RESTORE_LOG_DEFAULT in policy.ts (the default trait). */

const SRIOV_VIRTFN: MarkerSetter[] = [
  { path: 'pci_iov_add_virtfn', marker: 'is_virtfn' },
  { path: 'pci_iov_add_virtfn', marker: 'physfn' },
];

/**
 * e5794cf1a270 (v5.8-rc1 … v5.8.2): zpci_bus_add_device calls zpci_bus_setup_virtfn for every
 * function that is not a PF, which sets is_virtfn before looking for the PF — also in the
 * CONFIG_PCI_IOV=n stub. So every s390 VF is is_virtfn, linked or not.
 */
const S390_VIRTFN_EVERY_VF: MarkerSetter[] = [
  { path: 's390-zpci_bus_add_device', marker: 'is_virtfn', condition: '!zdev->is_physfn' },
  { path: 's390-link-virtfn', marker: 'physfn', condition: 'IS_ENABLED(CONFIG_PCI_IOV)' },
];

/** 3cddb79afc60 (v5.9-rc2, 5.8.3 stable): is_virtfn only when the VF is linked to its PF. */
const S390_VIRTFN_LINKED: MarkerSetter[] = [
  { path: 's390-link-virtfn', marker: 'is_virtfn', condition: 'IS_ENABLED(CONFIG_PCI_IOV)' },
  { path: 's390-link-virtfn', marker: 'physfn', condition: 'IS_ENABLED(CONFIG_PCI_IOV)' },
];

/**
 * 515ecd5368f1 (v5.10-rc1): vfio tests no_command_memory where v5.8 tested is_virtfn (the early
 * return of vfio_bar_restore keeps is_virtfn); pci_iov_add_virtfn and s390 set it for every VF.
 * v5.19 keeps all of it and adds the D3hot test to memory-enabled.
 */
const NO_COMMAND_MEMORY_DECISIONS = {
  'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->no_command_memory',
  'restore-condition': `(${RESTORE_MEM} && !pdev->no_command_memory) || ${RESTORE_IO} || ${NEED_RESTORE}`,
  'restore-skip': 'pdev->is_virtfn',
  'init-force-memory': 'pdev->no_command_memory',
};
const NO_COMMAND_MEMORY_MARKERS: MarkerSetter[] = [
  ...SRIOV_VIRTFN,
  { path: 'pci_iov_add_virtfn', marker: 'no_command_memory' },
  ...S390_VIRTFN_LINKED,
  { path: 's390-pcibios_bus_add_device', marker: 'no_command_memory', condition: 'zdev->vfn' },
];

/** The Command-register part of a kernel (a PolicySpec without its config-space part). */
export type CommandPart = Omit<PolicySpec, 'config'>;

/** One Command-register row: what people call it, and its Command-register logic as data. */
export interface CommandKernel<Id extends string = string> extends KernelVariantInfo<Id> {
  spec: CommandPart;
  /** The dev_flags bits taken in the tree this kernel stands for (bit -> name). */
  devFlagBits: Readonly<Record<number, string>>;
}

interface KernelRow {
  label: string;
  commit?: string;
  description: string;
  decisions: PolicySpec['decisions'];
  markers: MarkerSetter[];
  constants?: PolicySpec['constants'];
  traits?: PolicySpec['traits'];
  /** Every variant of this model is a v5.7..v5.19 tree: v5.9's numbering holds for all of them. */
  devFlagBits?: Readonly<Record<number, string>>;
}

function kernel<const Id extends string>(id: Id, row: KernelRow): CommandKernel<Id> {
  const { label, commit, description, decisions, markers, constants, traits } = row;
  const spec: CommandPart = { id, label, decisions, markers };
  if (constants) spec.constants = constants;
  if (traits) spec.traits = traits;
  const info = commit === undefined ? { id, label, description } : { id, label, description, commit };
  return { ...info, spec, devFlagBits: row.devFlagBits ?? DEV_FLAG_BITS_V5_9 };
}

export const COMMAND_KERNELS: readonly CommandKernel[] = [
  kernel('v5.7', {
    label: 'v5.7: before MMIO blocking',
    description: 'Before MMIO blocking: BAR access never gated (CVE-2020-12888).',
    decisions: {
      'memory-enabled': null,
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->is_virtfn',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': null,
    },
    markers: SRIOV_VIRTFN,
    traits: { ioeventfdGated: false, restoreLog: LOG_OLD },
  }),
  kernel('v5.8-rc1', {
    label: 'v5.8-rc1: MMIO blocking (abafbc551fdd)',
    commit: 'abafbc551fdd',
    description: "MMIO blocked while vfio's virtual MEMORY is 0; VFs open with it 0 (DPDK breakage).",
    decisions: {
      'memory-enabled': 'cmd & PCI_COMMAND_MEMORY',
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->is_virtfn',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': null,
    },
    markers: [...SRIOV_VIRTFN, ...S390_VIRTFN_EVERY_VF],
    traits: { ioeventfdGated: false, restoreLog: LOG_OLD },
  }),
  kernel('v5.8', {
    label: 'v5.8: VF fix (ebfa440ce38b)',
    commit: 'ebfa440ce38b',
    description:
      'is_virtfn devices count as memory-enabled and open with virtual MEMORY 1; detached s390 VFs are not is_virtfn (the state through v5.9).',
    decisions: {
      'memory-enabled': 'pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY)',
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->is_virtfn',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': 'pdev->is_virtfn',
    },
    markers: [...SRIOV_VIRTFN, ...S390_VIRTFN_LINKED],
  }),
  kernel('v2-detached_vf', {
    label: 'v2 proposal: detached_vf',
    description:
      'Proposal (not merged): a detached_vf bit set by s390 pcibios_enable_device for vfn && !multifunction.',
    decisions: {
      'memory-enabled': 'pdev->is_virtfn || pdev->detached_vf || (cmd & PCI_COMMAND_MEMORY)',
      'read-or-in': 'offset == PCI_COMMAND && (vdev->pdev->is_virtfn || vdev->pdev->detached_vf)',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn || pdev->detached_vf',
      'init-force-memory': 'pdev->is_virtfn || pdev->detached_vf',
    },
    markers: [
      ...SRIOV_VIRTFN,
      ...S390_VIRTFN_LINKED,
      {
        path: 's390-pcibios_enable_device',
        marker: 'detached_vf',
        condition: 'zdev->vfn && !zdev->zbus->multifunction',
      },
    ],
  }),
  kernel('v4-dev_flags', {
    label: 'v4 proposal: dev_flags bit',
    description:
      'Proposal (seed; not merged): PCI_DEV_FLAGS_FORCE_COMMAND_MEM set for every VF, s390 included.',
    decisions: {
      'memory-enabled': `(pdev->dev_flags & ${FORCE_FLAG}) || (cmd & PCI_COMMAND_MEMORY)`,
      'read-or-in': `offset == PCI_COMMAND && (vdev->pdev->dev_flags & ${FORCE_FLAG})`,
      'restore-condition': `(${RESTORE_MEM} && !(pdev->dev_flags & ${FORCE_FLAG})) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': `pdev->dev_flags & ${FORCE_FLAG}`,
    },
    markers: [
      ...SRIOV_VIRTFN,
      { path: 'pci_iov_add_virtfn', marker: devFlagMarker(FORCE_FLAG) },
      ...S390_VIRTFN_LINKED,
      { path: 's390-pcibios_bus_add_device', marker: devFlagMarker(FORCE_FLAG), condition: 'zdev->vfn' },
    ],
    constants: { [FORCE_FLAG]: 1 << 12 },
  }),
  kernel('v5.10', {
    label: 'v5.10: no_command_memory',
    commit: '515ecd5368f1',
    description: 'Merged: no_command_memory set by pci_iov_add_virtfn and for every s390 VF.',
    decisions: {
      'memory-enabled': 'pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY)',
      ...NO_COMMAND_MEMORY_DECISIONS,
    },
    markers: NO_COMMAND_MEMORY_MARKERS,
  }),
  kernel('v5.19', {
    label: 'v5.19: D3hot test',
    commit: '2b2c651baf1c',
    description: 'Memory access also blocked while the device is in D3hot; entering D3hot zaps mmaps.',
    decisions: {
      'memory-enabled':
        'pdev->current_state < PCI_D3hot && (pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY))',
      ...NO_COMMAND_MEMORY_DECISIONS,
    },
    markers: NO_COMMAND_MEMORY_MARKERS,
  }),
];

/** The Command-register row of an id (undefined for an id no row has). */
export function commandKernel(id: string): CommandKernel | undefined {
  return COMMAND_KERNELS.find((k) => k.id === id);
}
