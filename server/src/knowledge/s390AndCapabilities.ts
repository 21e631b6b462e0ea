/** zPCI instructions, MIO, ISM, and the PF/VF-shared capabilities (PASID, PRI, ATS). */
import type { KnowledgeEntry } from './types';

export const s390AndCapabilityEntries: KnowledgeEntry[] = [
  {
    name: 'PCILG',
    kind: 'zPCI instruction',
    summary: 'PCI Load: s390 instruction reading from a function\u2019s config or BAR space.',
    details:
      'The classic form names a function handle, an address space (BAR) and an offset in registers; under KVM the guest\u2019s use is intercepted and performed by QEMU (or, with zPCI interpretation, by firmware).',
    commit: 'QEMU hw/s390x/s390-pci-inst.c (interception); Linux arch/s390/include/asm/pci_insn.h',
  },
  {
    name: 'PCISTG',
    kind: 'zPCI instruction',
    summary: 'PCI Store: s390 instruction writing up to 8 bytes to a function\u2019s config or BAR space.',
    details: 'Same addressing as PCILG. QEMU intercepts it for vfio-pci devices unless interpretation is on.',
    commit: 'QEMU hw/s390x/s390-pci-inst.c (interception); Linux arch/s390/include/asm/pci_insn.h',
  },
  {
    name: 'PCISTB',
    kind: 'zPCI instruction',
    summary:
      'PCI Store Block: s390 instruction writing a block (up to the group\u2019s maximum store length) to a BAR.',
    details:
      'The length comes from 13 bits of a register (QEMU used 8 until 704d7a2304d8). Some functions allow relaxed alignment; ISM relies on block stores that must not be split into smaller accesses.',
    commit: 'QEMU 704d7a2304d8 (length), b3834073dad1 (validation), QEMU 6.0',
    trap: 'Splitting a PCISTB into 8- or 4-byte writes (as plain vfio region access does) breaks ISM.',
  },
  {
    name: 'MIO',
    kind: 'concept',
    summary:
      's390 Multi-I/O (z15+): PCI load/store instructions that use mapped addresses instead of function handles.',
    details: 'Linux uses the MIO forms when available; ISM still needs the classic (non-MIO) instructions.',
    commit:
      'Linux arch/s390/pci (MIO instructions, z15 era); ISM needing non-MIO: QEMU ISM series review, 2021',
  },
  {
    name: 'ISM',
    kind: 'concept',
    summary: 's390 Internal Shared Memory: a virtual PCI function (type 5) used by SMC-D.',
    details:
      'Has no MSI-X, needs non-MIO instructions and exact PCISTB block writes, and keeps IOMMU state in firmware. A vfio region for PCISTB/PCILG was proposed (2020/21) and dropped; passthrough came with zPCI load/store interpretation (QEMU 15d0e7942d3b, QEMU 7.2).',
    commit: 'QEMU 15d0e7942d3b (7.2)',
    trap: 'Passthrough works only with interpretation; QEMU resets ISM on shutdown/reset since it keeps DMA state.',
  },
  {
    name: 'PASID',
    kind: 'concept',
    summary:
      'Process Address Space ID capability: VFs do not have their own; they share the PF\u2019s configuration.',
    details:
      'Enabling PASID on a VF succeeds only if the PF has it on; disabling or restoring it for a VF does nothing. A host exposing a VF to a guest must emulate the capability.',
    commit: '2b0ae7cc3bfc (v5.5)',
    trap: 'A guest that does not know the device is a VF expects its own PASID capability.',
  },
  {
    name: 'PRI',
    kind: 'concept',
    summary: 'Page Request Interface capability: shared by all VFs of a PF; VFs must not implement it.',
    details:
      'PRI Reset and the Stopped status concern the shared interface, so neither passing them through (affects sibling VFs) nor pure emulation is correct for one VF in a guest.',
    commit: '9bf49e36d718 (v5.5)',
    trap: 'PRI reset/stopped cannot be faithfully emulated for a single VF.',
  },
  {
    name: 'ATS',
    kind: 'concept',
    summary:
      'Address Translation Services: each VF has its own enable, but the translation unit size follows the PF.',
    details:
      'Linux requires a VF\u2019s Smallest Translation Unit to match the PF\u2019s (recalled from drivers/pci/ats.c; not re-verified). ATS enable and STU can be emulated per VF.',
    commit: 'drivers/pci/ats.c (commit not recorded here)',
  },
];
