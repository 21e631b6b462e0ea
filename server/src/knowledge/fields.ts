/** struct pci_dev fields, the vfio device struct, and s390 zPCI fields that decide MEMORY-bit handling. */
import type { KnowledgeEntry } from './types';

export const fieldEntries: KnowledgeEntry[] = [
  {
    name: 'is_virtfn',
    kind: 'pci_dev field',
    summary: 'struct pci_dev bitfield: Linux linked this function to its PF as an SR-IOV VF.',
    details:
      'Set by pci_iov_add_virtfn() together with physfn, and on s390 by the zPCI linking code when the PF is visible. Common code assumes that is_virtfn implies a valid physfn. vfio used it (v5.8 \u2013 v5.9) to decide that COMMAND MEMORY must be emulated; since v5.10 vfio uses no_command_memory for that and keeps is_virtfn for vendor/device/pin fix-ups and the early return of vfio_bar_restore.',
    commit:
      'set in pci_iov_add_virtfn (drivers/pci/iov.c); s390: e5794cf1a270 (v5.8-rc1), narrowed by 3cddb79afc60',
    trap: 'is_virtfn is 0 for a detached s390 VF and for any VF in a CONFIG_PCI_IOV=n kernel or a guest, yet their COMMAND MEMORY is still hard-wired 0.',
  },
  {
    name: 'physfn',
    kind: 'pci_dev field',
    summary: 'struct pci_dev pointer from a VF to the PF that owns it (in the same union as sriov).',
    details:
      'Only valid when is_virtfn is 1. s390 kernels from v5.8 set is_virtfn for every VF at first, even unlinked ones with no PF, until 3cddb79afc60 made it follow the link.',
    commit: 'pci_iov_add_virtfn (drivers/pci/iov.c); s390 fix 3cddb79afc60 (v5.9-rc)',
    trap: 'Setting is_virtfn without physfn makes common code dereference a PF that is not there.',
  },
  {
    name: 'dev_flags',
    kind: 'pci_dev field',
    summary: 'struct pci_dev quirk bits (pci_dev_flags_t, an unsigned short of PCI_DEV_FLAGS_* values).',
    details:
      'Mostly set by quirks. The v4 proposal put PCI_DEV_FLAGS_FORCE_COMMAND_MEM here (bit 12); review preferred a dedicated bitfield and would like to retire dev_flags altogether, but it still exists and later kernels added bits 12 and 13 for other quirks.',
    commit: 'v4 proposal 2020-09-02 (not merged)',
    trap: 'Bit numbers are per kernel version: a new bit must be checked against the enum of the tree it applies to (16 bits, so at most 16 flags).',
  },
  {
    name: 'no_command_memory',
    kind: 'pci_dev field',
    summary: 'struct pci_dev bitfield: this function does not implement COMMAND MEMORY (v5.10+).',
    details:
      'Set for every VF in pci_iov_add_virtfn() and for every s390 function with zdev->vfn in pcibios_bus_add_device(). vfio then treats memory as always enabled for access checks, ORs its virtual MEMORY bit into COMMAND reads, forces that bit on at open, and leaves the MEMORY clause out of the BAR-restore trigger.',
    commit:
      '12856e7acde4 (PCI/IOV), 08b6e22b850c (s390), 515ecd5368f1 (vfio); all v5.10-rc1, backported to 5.4/5.8/5.9 stable',
    trap: 'Only the MEMORY clause of the restore trigger honours it: an IO enable the device lacks still reaches vfio_bar_restore.',
  },
  {
    name: 'detached_vf',
    kind: 'pci_dev field',
    summary: 'Proposed (v1\u2013v3, Aug 2020, not merged) struct pci_dev bit: an s390 VF with no local PF.',
    details:
      'v1 set it in s390 pcibios_bus_add_device and changed only the memory-enabled test; v2 set it in pcibios_enable_device when zdev->vfn && !zbus->multifunction and used it in all four vfio places plus the early return of vfio_bar_restore; v3 wrapped it in dev_is_vf(). Review objected that "detached" carries implicit knowledge about what firmware emulates.',
    commit: 'v2 posted 2020-08-12 (not merged)',
    trap: 'The multifunction test misses unlinked VFs on a multifunction bus and all VFs of a CONFIG_PCI_IOV=n kernel.',
  },
  {
    name: 'no_vf_scan',
    kind: 'pci_dev field',
    summary: 'struct pci_dev bitfield: enabling SR-IOV on this PF must not make the core scan and add VFs.',
    details:
      's390 sets it because firmware presents each VF as a separate zPCI function; the VFs then arrive one by one and arch code links them to the PF when it can. no_command_memory sits right after it in struct pci_dev.',
    commit: 'introduced for s390 (v5.8 era PF/VF linking work)',
    trap: 'With no_vf_scan, pci_iov_add_virtfn() never runs for the VFs: markers set only there miss s390 VFs.',
  },
  {
    name: 'vfio_pci_core_device',
    aliases: ['vfio_pci_device'],
    kind: 'struct',
    summary:
      'vfio-pci\u2019s per-device state: pdev, the virtual config space (vconfig), saved BARs (rbar), memory_lock.',
    details:
      'Called vfio_pci_device until the v5.15 split renamed it; the config-space code in vfio_pci_config.c kept its file name and logic, only the type name changed.',
    commit: '536475109c82 (rename, v5.15)',
    trap: 'A patch that only renames vfio_pci_device to vfio_pci_core_device changes no behaviour.',
  },
  {
    name: 'zdev->vfn',
    aliases: ['vfn'],
    kind: 's390 field',
    summary: 's390 struct zpci_dev: the function\u2019s VF number from firmware (CLP), non-zero for a VF.',
    details:
      'The only reliable "this is a VF" signal on s390, independent of whether Linux could link the VF to a PF. pcibios_bus_add_device() tests it to link the VF and (v4 proposal, then 08b6e22b850c) to mark COMMAND MEMORY as unimplemented.',
    commit: 'used for marking since 08b6e22b850c (v5.10-rc1)',
    trap: 'zdev->vfn != 0 does not mean is_virtfn: unlinked VFs have vfn set and is_virtfn 0.',
  },
];
