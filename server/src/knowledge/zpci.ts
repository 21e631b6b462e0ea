/**
 * The zPCI names QEMU's and the kernel's s390 PCI patches use: the three instructions, the
 * function handle and its bits, the address space, the store-block limits, relaxed alignment,
 * MIO, ISM, the function type, interpretation, and the status and program-interrupt codes. Every
 * value comes from the zPCI model's tables (model/zpci/constants.ts, host.ts), so a hover and the
 * model cannot disagree; each row names the commit that brought the thing.
 */
import {
  CLP_RSP_QPCIG_MASK_RELAXED,
  FH_MASK_ENABLE,
  FH_SHM_EMUL,
  FH_SHM_VFIO,
  PROGRAM_INTERRUPTS,
  ZPCI_CC,
  ZPCI_MAX_WRITE_SIZE,
  ZPCI_PFT_ISM,
  ZPCI_STATUS,
} from '../model/zpci';
import type { KnowledgeEntry } from './types';

const hex = (n: number) => `0x${n.toString(16)}`;

const instructions: KnowledgeEntry[] = [
  {
    name: 'PCILG',
    aliases: ['pcilg_service_call'],
    kind: 'zPCI instruction',
    summary: 'PCI Load: the guest reads 1 to 8 bytes of a BAR (PCIAS 0-5) or of config space (PCIAS 15).',
    details:
      'R2 carries the function handle (bits 0-31), the address space (bits 44-47) and the length (bits 60-63); ' +
      'R2+1 the offset. QEMU intercepts it (pcilg_service_call) unless the function is interpreted. Since ' +
      'v2.12 the order is: privileged, odd R2, fh enable bit, lookup, function state, then the length rule of ' +
      'the address space (`!len || len > 8 - (offset & 7)` for a BAR).',
    commit:
      'QEMU 863f6f52b7 (v2.3, first zPCI), 8cbd6aab9579 (v2.12 rework: length 0 refused, fh checked first)',
    trap: 'Length 0 passed silently before v2.12; a 4-byte config read crossing a word is an operand exception.',
  },
  {
    name: 'PCISTG',
    aliases: ['pcistg_service_call'],
    kind: 'zPCI instruction',
    summary: 'PCI Store: the guest writes 1 to 8 bytes to a BAR or to config space.',
    details:
      'Decoded like PCILG (data in R1). QEMU checks it in the same order and dispatches one access to the vfio ' +
      'region (vfio devices) or the device model (emulated ones).',
    commit:
      'QEMU 863f6f52b7 (v2.3), 7645b9a79474 (v2.12 rework), 88ee13c7b656 (v2.8: a failed access is an operand exception)',
  },
  {
    name: 'PCISTB',
    aliases: ['pcistb_service_call'],
    kind: 'zPCI instruction',
    summary: "PCI Store Block: the guest writes a block of up to the group's maxstbl bytes to a BAR.",
    details:
      'R1 carries fh, address space and length; R3 the offset; the source is at a guest address. QEMU reads ' +
      'the length with 8 bits until v6.0 (`& 0xff`: 4096 reads as 0) and 13 bits since; from v2.12 it needs ' +
      '8 < len <= maxstbl, a multiple of 8, an 8-aligned offset and guest address, and no 4 KiB crossing. It ' +
      'stages the block in a 128-byte buffer and writes it out as len/8 separate 8-byte stores.',
    commit:
      'QEMU 0e7c259adff7 (v2.12 rules), 28dc86a07299 (v5.2 maxstbl from the group), 704d7a2304d8 and ' +
      'b3834073dad1 (v6.0: 13-bit length, range checked per 8 bytes)',
    trap: 'The 8-byte write-out splits every block: a device that needs block stores (ISM) gets N small writes.',
  },
];

const handle: KnowledgeEntry[] = [
  {
    name: 'fh',
    kind: 'zPCI field',
    summary: 'The function handle: the 32-bit name a guest gives a zPCI function in every instruction.',
    details:
      `CLP gives it to the guest. Bit 31 (FH_MASK_ENABLE, ${hex(FH_MASK_ENABLE)}) says the function is enabled; ` +
      `QEMU adds FH_SHM_VFIO (${hex(FH_SHM_VFIO)}) or FH_SHM_EMUL (${hex(FH_SHM_EMUL)}) for intercepted devices; ` +
      'an interpreted function gets the host fh. An instruction naming an fh without the enable bit gets cc 3.',
    commit: 'QEMU 3be5c2078bcf (v2.6: disabled fh rejected), 7645b9a79474 (v2.12: enable bit checked first)',
    trap: 'Before v2.6 an instruction naming a disabled function was executed anyway.',
  },
  {
    name: 'FH_MASK_ENABLE',
    aliases: ['FH_ENABLED'],
    kind: 'zPCI constant',
    summary:
      "The fh's enable bit (bit 31): set by CLP SET PCI FUNCTION enable, cleared by disable and reset.",
    details: 'v2.6 called it FH_ENABLED (1 << ENABLE_BIT_OFFSET); the value is the same.',
    commit: 'QEMU 3be5c2078bcf (v2.6, FH_ENABLED), 5d1abf234462 (v2.7)',
    value: FH_MASK_ENABLE,
  },
  {
    name: 'FH_SHM_VFIO',
    kind: 'zPCI constant',
    summary: 'The fh bit QEMU sets for an intercepted vfio-pci function.',
    details:
      'An interpreted function carries the host fh without it; an emulated device gets FH_SHM_EMUL instead.',
    commit: 'QEMU c188e30315 (v2.7)',
    value: FH_SHM_VFIO,
  },
  {
    name: 'FH_SHM_EMUL',
    kind: 'zPCI constant',
    summary: 'The fh bit QEMU sets for a device it emulates (virtio and the like).',
    details: 'The RFC that lifts the MSI-X fence for passthrough keeps the fence for these devices only.',
    commit: 'QEMU c188e30315 (v2.7)',
    value: FH_SHM_EMUL,
  },
  {
    name: 'PCIAS',
    aliases: ['pcias', 'ZPCI_IO_BAR_MIN', 'ZPCI_IO_BAR_MAX', 'ZPCI_CONFIG_BAR'],
    kind: 'zPCI field',
    summary:
      'The PCI address space of an instruction: 0-5 a BAR, 15 the config space, anything else invalid.',
    details:
      'QEMU reads it from bits 44-47 of the register (`(regs >> 16) & 0xf`); an invalid one gets cc 1 with ' +
      'status 20 (ZPCI_PCI_ST_INVAL_AS). PCISTB takes BARs only.',
    commit: 'QEMU 7645b9a79474 (v2.12: ZPCI_IO_BAR_MIN/MAX, ZPCI_CONFIG_BAR)',
    trap: 'Before v2.12 PCISTB tested the address space before the handle: an invalid fh with PCIAS 6 got status 20, not cc 3.',
  },
];

const limits: KnowledgeEntry[] = [
  {
    name: 'maxstbl',
    kind: 'zPCI field',
    summary: "The largest PCISTB a function's group allows (bytes); QEMU's length check reads it.",
    details:
      'CLP Query PCI Function Group reports it: reserved (0) before v2.12, 128 from v2.12, from v5.2 the ' +
      `function's PCI group, which for a vfio device is the host's GROUP cap (ZPCI_MAX_WRITE_SIZE, ` +
      `${ZPCI_MAX_WRITE_SIZE}); v2.12-v5.1 checked pbdev->maxstbl, which nothing assigned (0).`,
    commit: 'QEMU 0e7c259adff7 (v2.12), 28dc86a07299 and 1e7552ff5c34 (v5.2, from the host group)',
    trap: `QEMU stages a PCISTB in a ${ZPCI_MAX_WRITE_SIZE}-byte buffer: a maxstbl above that overflows it.`,
  },
  {
    name: 'imaxstbl',
    kind: 'zPCI field',
    summary: "The firmware's maxstbl for interpreted PCISTB, which the host's GROUP cap version 2 reports.",
    details:
      'QEMU gives it to the groups of interpreted functions (their PCISTB never reaches QEMU); intercepted ' +
      'ones keep maxstbl.',
    commit: 'Linux ba6090ff8ae0 (GROUP cap v2); QEMU 9ee8f7e46a7d (v7.2)',
  },
  {
    name: 'ZPCI_MAX_WRITE_SIZE',
    kind: 'zPCI constant',
    summary: `The kernel's largest zPCI block write (${ZPCI_MAX_WRITE_SIZE} bytes), reported as GROUP.maxstbl.`,
    details: 'vfio-pci puts it in the zPCI GROUP capability, so an intercepted guest sees maxstbl 128.',
    commit: 'Linux e6b817d4b821 (v5.10-rc1, the vfio zPCI caps)',
    value: ZPCI_MAX_WRITE_SIZE,
  },
  {
    name: 'CLP_RSP_QPCIG_MASK_RELAXED',
    aliases: ['relaxed_align', 'VFIO_DEVICE_INFO_ZPCI_FLAG_RELAXED'],
    kind: 'zPCI constant',
    summary: "Relaxed alignment: a group flag that lets PCISTB skip the alignment and length rules (ISM's).",
    details:
      `Bit ${hex(CLP_RSP_QPCIG_MASK_RELAXED)} of the group's fr in the unmerged 2020-12 RFC: QEMU would keep ` +
      'only the 4 KiB check for such a function and send its block through the zPCI I/O region; the kernel ' +
      'half passes the flag in the GROUP cap. Upstream never merged either.',
    commit: 'unmerged: QEMU RFC 6/8 and kernel RFC 2/4 (2020-12), seed 004',
    trap: 'Not "relaxed translation" (MPCIFC with direct mapping), which QEMU did add later.',
    value: CLP_RSP_QPCIG_MASK_RELAXED,
  },
];

const functions: KnowledgeEntry[] = [
  {
    name: 'MIO',
    aliases: ['have_mio'],
    kind: 'concept',
    summary: 'Multi-I/O: zPCI load/store forms that take a mapped address instead of a function handle.',
    details:
      "The host's s390_pci_mmio_write/read use PCISTB_MIO/PCISTG_MIO/PCILG_MIO on a MIO machine since " +
      'f058599e22d5 (before, that path returned -EFAULT there). ISM supports only the classic, fh-based forms.',
    commit: 'Linux f058599e22d5 (v5.8-rc1, the MIO path of s390_pci_mmio_*)',
  },
  {
    name: 'ISM',
    aliases: ['ZPCI_PFT_ISM'],
    kind: 'concept',
    summary: `Internal Shared Memory: a virtual PCI function of type ${ZPCI_PFT_ISM} that SMC-D uses.`,
    details:
      'No MSI-X capability (so the MSI-X fence refuses it), no MIO, stores that must reach it as one ' +
      'non-MIO PCISTB. Passthrough became possible with interpretation (v7.2): its instructions never reach ' +
      'QEMU then. QEMU resets it on system reset since v8.0, as firmware keeps its DMA state.',
    commit: 'QEMU 15d0e7942d3b (v7.2, fence lifted for interpreted devices), 03451953c79e (v8.0, reset)',
    trap: 'An intercepted ISM function would get every PCISTB split into 8-byte writes.',
    value: ZPCI_PFT_ISM,
  },
  {
    name: 'pft',
    aliases: ['PFT'],
    kind: 'zPCI field',
    summary: 'The PCI Function Type the host reports (ISM is 5); CLP Query PCI Function returns it.',
    details:
      'QEMU keeps the host value in pbdev->pft for its own checks (the ISM reset) and reports 0 to the guest ' +
      'for vfio devices.',
    commit: 'QEMU 1e7552ff5c34 (v5.2, s390_pci_read_base), 03451953c79e (v8.0, ISM by PFT)',
  },
  {
    name: 'interp',
    aliases: ['s390_pci_kvm_interp_allowed', 'interpret'],
    kind: 'concept',
    summary: "zPCI interpretation: KVM and firmware run a vfio function's PCILG/PCISTG/PCISTB, not QEMU.",
    details:
      'Chosen at plug when the device property interpret is on (the default) and the host kernel has KVM ' +
      'zPCI interpretation. The function keeps the host fh and group; the MSI-X fence spares it.',
    commit: 'QEMU dd1d5fd9684b and 15d0e7942d3b (v7.2); Linux KVM zPCI interpretation (v6.0)',
    trap: "QEMU's instruction checks say nothing about an interpreted function: firmware decides.",
  },
  {
    name: 's390_pci_msix_init',
    kind: 'QEMU function',
    summary: 'Sets up MSI-X for a plugged zPCI device; its failure is the MSI-X fence at plug.',
    details:
      'A device without an MSI-X capability makes it fail, and s390_pcihost_plug then refuses the device ' +
      '("MSI-X support is mandatory in the S390 architecture"); from v7.2 only when it is not interpreted.',
    commit: 'QEMU 857cc71985dc (v2.9, the fence), 15d0e7942d3b (v7.2, `&& !pbdev->interp`)',
  },
];

const STATUS_WORDS: Record<keyof typeof ZPCI_STATUS, string> = {
  ZPCI_PCI_ST_FUNC_NOT_ENABLED: 'the function is not enabled',
  ZPCI_PCI_ST_FUNC_IN_ERR: 'the function is in an error state',
  ZPCI_PCI_ST_BLOCKED: 'loads and stores are blocked (the function is in the error state)',
  ZPCI_PCI_ST_INSUF_RES: 'insufficient resources',
  ZPCI_PCI_ST_INVAL_AS: 'the address space (PCIAS) is invalid',
};

const statuses: KnowledgeEntry[] = Object.entries(ZPCI_STATUS).map(([name, value]) => ({
  name,
  kind: 'zPCI constant',
  summary: `Status ${value} with cc 1: ${STATUS_WORDS[name as keyof typeof ZPCI_STATUS]}.`,
  details:
    'QEMU sets it in bits 32-39 of R2 (PCILG, PCISTG) or R1 (PCISTB) with condition code 1 ' +
    '(s390_set_status_code).',
  commit: 'QEMU 863f6f52b7 (v2.3); the error state gives status 12 since 5d1abf234462 (v2.7)',
  value,
}));

const CC_WORDS: Record<keyof typeof ZPCI_CC, string> = {
  ZPCI_PCI_LS_OK: 'the load or store was done',
  ZPCI_PCI_LS_ERR: 'an error; the status code says which',
  ZPCI_PCI_LS_BUSY: 'busy',
  ZPCI_PCI_LS_INVAL_HANDLE: 'the fh names no enabled function',
};

const conditionCodes: KnowledgeEntry[] = Object.entries(ZPCI_CC).map(([name, value]) => ({
  name,
  kind: 'zPCI constant',
  summary: `Condition code ${value} of a zPCI load or store: ${CC_WORDS[name as keyof typeof ZPCI_CC]}.`,
  details: 'setcc(cpu, ...) in pcilg/pcistg/pcistb_service_call.',
  commit: 'QEMU 863f6f52b7 (v2.3)',
  value,
}));

const PGM_WORDS: Record<keyof typeof PROGRAM_INTERRUPTS, string> = {
  PGM_PRIVILEGED: 'the guest ran the instruction in problem state (checked first by every version)',
  PGM_ADDRESSING: 'a PCISTB target outside the BAR before v2.8 (an operand exception since 88ee13c7b656)',
  PGM_SPECIFICATION: 'a PCISTB length, offset or guest address the rules refuse, or an odd R2',
  PGM_OPERAND: 'a length the address space refuses, or an access the memory region rejects',
};

const programInterrupts: KnowledgeEntry[] = Object.entries(PROGRAM_INTERRUPTS).map(([name, value]) => ({
  name,
  kind: 'zPCI constant',
  summary: `Program interruption ${hex(value)} a zPCI instruction can raise: ${PGM_WORDS[name as keyof typeof PROGRAM_INTERRUPTS]}.`,
  details:
    'QEMU injects it with s390_program_interrupt; the guest sees an exception instead of a condition code. ' +
    'Which one a guest sees depends on the order of the checks.',
  commit:
    'QEMU 863f6f52b7 (v2.3), 88ee13c7b656 (v2.8: addressing -> operand), 0e7c259adff7 (v2.12: PCISTB rules)',
  value,
}));

export const zpciEntries: KnowledgeEntry[] = [
  ...instructions,
  ...handle,
  ...limits,
  ...functions,
  ...statuses,
  ...conditionCodes,
  ...programInterrupts,
];
