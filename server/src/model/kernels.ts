/**
 * The kernel variants as data (domain doc §1.1–1.8, table 1.7): for each decision point the C text
 * as that kernel writes it (null where the point does not exist), the marker setters, and the
 * traits the decision texts do not carry. The s390 kernel-side facts (who sets is_virtfn on which
 * kernel) are marker setters here, not properties of the device kinds.
 */
import type { KernelId, KernelVariantInfo, MarkerSetter, PolicySpec } from './types';

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

function spec(
  id: KernelId,
  label: string,
  decisions: PolicySpec['decisions'],
  markers: MarkerSetter[],
  extra: Partial<PolicySpec> = {},
): PolicySpec {
  return { id, label, decisions, markers, ...extra };
}

export const KERNEL_SPECS: readonly PolicySpec[] = [
  spec(
    'v5.7',
    'v5.7 (before MMIO blocking)',
    {
      'memory-enabled': null,
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->is_virtfn',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': null,
    },
    SRIOV_VIRTFN,
    { traits: { ioeventfdGated: false, restoreLog: LOG_OLD } },
  ),
  spec(
    'v5.8-rc1',
    'v5.8-rc1 (abafbc551fdd: MMIO blocking)',
    {
      'memory-enabled': 'cmd & PCI_COMMAND_MEMORY',
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->is_virtfn',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': null,
    },
    [...SRIOV_VIRTFN, ...S390_VIRTFN_EVERY_VF],
    { traits: { ioeventfdGated: false, restoreLog: LOG_OLD } },
  ),
  spec(
    'v5.8',
    'v5.8 (ebfa440ce38b: VF fix; the state through v5.9)',
    {
      'memory-enabled': 'pdev->is_virtfn || (cmd & PCI_COMMAND_MEMORY)',
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->is_virtfn',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': 'pdev->is_virtfn',
    },
    [...SRIOV_VIRTFN, ...S390_VIRTFN_LINKED],
  ),
  spec(
    'v2-detached_vf',
    'v2 detached_vf proposal (not merged)',
    {
      'memory-enabled': 'pdev->is_virtfn || pdev->detached_vf || (cmd & PCI_COMMAND_MEMORY)',
      'read-or-in': 'offset == PCI_COMMAND && (vdev->pdev->is_virtfn || vdev->pdev->detached_vf)',
      'restore-condition': `(${RESTORE_MEM}) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn || pdev->detached_vf',
      'init-force-memory': 'pdev->is_virtfn || pdev->detached_vf',
    },
    [
      ...SRIOV_VIRTFN,
      ...S390_VIRTFN_LINKED,
      {
        path: 's390-pcibios_enable_device',
        marker: 'detached_vf',
        condition: 'zdev->vfn && !zdev->zbus->multifunction',
      },
    ],
  ),
  spec(
    'v4-dev_flags',
    'v4 dev_flags proposal (seed; not merged)',
    {
      'memory-enabled': `(pdev->dev_flags & ${FORCE_FLAG}) || (cmd & PCI_COMMAND_MEMORY)`,
      'read-or-in': `offset == PCI_COMMAND && (vdev->pdev->dev_flags & ${FORCE_FLAG})`,
      'restore-condition': `(${RESTORE_MEM} && !(pdev->dev_flags & ${FORCE_FLAG})) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': `pdev->dev_flags & ${FORCE_FLAG}`,
    },
    [
      ...SRIOV_VIRTFN,
      { path: 'pci_iov_add_virtfn', marker: `dev_flags:${FORCE_FLAG}` },
      ...S390_VIRTFN_LINKED,
      { path: 's390-pcibios_bus_add_device', marker: `dev_flags:${FORCE_FLAG}`, condition: 'zdev->vfn' },
    ],
    { constants: { [FORCE_FLAG]: 1 << 12 } },
  ),
  spec(
    'v5.10',
    'v5.10 (515ecd5368f1: no_command_memory)',
    {
      'memory-enabled': 'pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY)',
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->no_command_memory',
      'restore-condition': `(${RESTORE_MEM} && !pdev->no_command_memory) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': 'pdev->no_command_memory',
    },
    [
      ...SRIOV_VIRTFN,
      { path: 'pci_iov_add_virtfn', marker: 'no_command_memory' },
      ...S390_VIRTFN_LINKED,
      { path: 's390-pcibios_bus_add_device', marker: 'no_command_memory', condition: 'zdev->vfn' },
    ],
  ),
  spec(
    'v5.19',
    'v5.19 (2b2c651baf1c: D3hot test)',
    {
      'memory-enabled':
        'pdev->current_state < PCI_D3hot && (pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY))',
      'read-or-in': 'offset == PCI_COMMAND && vdev->pdev->no_command_memory',
      'restore-condition': `(${RESTORE_MEM} && !pdev->no_command_memory) || ${RESTORE_IO} || ${NEED_RESTORE}`,
      'restore-skip': 'pdev->is_virtfn',
      'init-force-memory': 'pdev->no_command_memory',
    },
    [
      ...SRIOV_VIRTFN,
      { path: 'pci_iov_add_virtfn', marker: 'no_command_memory' },
      ...S390_VIRTFN_LINKED,
      { path: 's390-pcibios_bus_add_device', marker: 'no_command_memory', condition: 'zdev->vfn' },
    ],
    { traits: { zapOnD3hot: true } },
  ),
];

export const KERNEL_VARIANTS: readonly KernelVariantInfo[] = [
  {
    id: 'v5.7',
    label: 'v5.7',
    commit: undefined,
    description: 'Before MMIO blocking: BAR access never gated (CVE-2020-12888).',
  },
  {
    id: 'v5.8-rc1',
    label: 'v5.8-rc1',
    commit: 'abafbc551fdd',
    description: "MMIO blocked while vfio's virtual MEMORY is 0; VFs open with it 0 (DPDK breakage).",
  },
  {
    id: 'v5.8',
    label: 'v5.8 … v5.9',
    commit: 'ebfa440ce38b',
    description:
      'is_virtfn devices count as memory-enabled and open with virtual MEMORY 1; detached s390 VFs are not is_virtfn.',
  },
  {
    id: 'v2-detached_vf',
    label: 'v2 detached_vf',
    commit: undefined,
    description: 'Proposal: a detached_vf bit set by s390 pcibios_enable_device for vfn && !multifunction.',
  },
  {
    id: 'v4-dev_flags',
    label: 'v4 dev_flags',
    commit: undefined,
    description: 'Proposal (seed): PCI_DEV_FLAGS_FORCE_COMMAND_MEM set for every VF, s390 included.',
  },
  {
    id: 'v5.10',
    label: 'v5.10',
    commit: '515ecd5368f1',
    description: 'Merged: no_command_memory set by pci_iov_add_virtfn and for every s390 VF.',
  },
  {
    id: 'v5.19',
    label: 'v5.19',
    commit: '2b2c651baf1c',
    description: 'Memory access also blocked while the device is in D3hot; entering D3hot zaps mmaps.',
  },
];

export function kernelSpecById(id: string): PolicySpec | undefined {
  return KERNEL_SPECS.find((k) => k.id === id);
}
