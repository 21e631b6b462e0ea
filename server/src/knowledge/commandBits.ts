/**
 * The PCI Command register (config offset 0x04, 16 bits) one bit per row, plus the SR-IOV control
 * bit that really gates a VF's memory decode.
 */
import { PCI_COMMAND_BITS } from '../model/index';
import type { KnowledgeEntry } from './types';

/** A row's words; its bit is the model's (PCI_COMMAND_BITS, by the constant's name). */
interface CommandBitRow {
  name: string;
  summary: string;
  details: string;
  trap?: string;
  commit?: string;
}

const rows: CommandBitRow[] = [
  {
    name: 'PCI_COMMAND_IO',
    summary: 'I/O Space Enable: the function answers I/O-port accesses to its I/O BARs.',
    details:
      'vfio passes it through to hardware and remembers the user\u2019s value in its virtual copy. A function without I/O BARs may hard-wire it to 0, which makes the restore condition (new_io && virt_io && !phys_io) true on every write that sets it.',
    trap: 'A device without I/O space never shows IO=1, so "IO written but reads 0" is not a reset — yet vfio_bar_restore runs.',
  },
  {
    name: 'PCI_COMMAND_MEMORY',
    summary: 'Memory Space Enable: the function decodes accesses to its memory BARs.',
    details:
      'Since abafbc551fdd vfio blocks BAR access (mmap fault SIGBUS, read/write EIO) while vfio\u2019s virtual copy of this bit is 0. VFs hard-wire it to 0 (their decode is governed by the PF\u2019s VF MSE), and s390 firmware does not emulate it for VFs either, so vfio must emulate it for them.',
    commit:
      'gating: abafbc551fdd (v5.8-rc1); VF exemption: ebfa440ce38b (v5.8); no_command_memory: 515ecd5368f1 (v5.10-rc1)',
    trap: 'Not the spec\u2019s "MSE" for VFs: that is PCI_SRIOV_CTRL_MSE in the PF\u2019s SR-IOV capability.',
  },
  {
    name: 'PCI_COMMAND_MASTER',
    summary: 'Bus Master Enable: the function may issue DMA and MSI writes.',
    details:
      'Passed through to hardware by vfio; pci_enable_device() does not set it (pci_set_master() does).',
  },
  {
    name: 'PCI_COMMAND_SPECIAL',
    summary: 'Special Cycle enable (conventional PCI; no meaning on PCIe).',
    details: 'Hard-wired 0 on PCI Express functions.',
  },
  {
    name: 'PCI_COMMAND_INVALIDATE',
    summary: 'Memory Write and Invalidate enable (conventional PCI).',
    details: 'Hard-wired 0 on PCI Express functions; pci_set_mwi() manages it on legacy PCI.',
  },
  {
    name: 'PCI_COMMAND_VGA_PALETTE',
    summary: 'VGA palette snooping (conventional PCI).',
    details: 'Only meaningful for old VGA-compatible devices; hard-wired 0 on PCIe.',
  },
  {
    name: 'PCI_COMMAND_PARITY',
    summary: 'Parity Error Response: report data parity errors.',
    details: 'Passed through to hardware by vfio.',
  },
  {
    name: 'PCI_COMMAND_WAIT',
    summary: 'Address/data stepping (IDSEL stepping) control, obsolete.',
    details: 'Hard-wired 0 in modern functions.',
  },
  {
    name: 'PCI_COMMAND_SERR',
    summary: 'SERR# Enable: report system errors.',
    details: 'Passed through to hardware by vfio.',
  },
  {
    name: 'PCI_COMMAND_FAST_BACK',
    summary: 'Fast back-to-back transactions enable (conventional PCI).',
    details: 'Hard-wired 0 on PCIe.',
  },
  {
    name: 'PCI_COMMAND_INTX_DISABLE',
    summary: 'Interrupt Disable: mask the legacy INTx pin of the function.',
    details:
      'The only Command bit vfio keeps purely virtual: the user\u2019s value goes to vfio\u2019s copy, and vfio masks or unmasks INTx itself. Bits 11..15 are reserved.',
  },
];

function maskOf(row: CommandBitRow): number {
  const bit = PCI_COMMAND_BITS.find((b) => b.constant === row.name);
  if (!bit) throw new Error(`knowledge: ${row.name} is no COMMAND bit of the model`);
  return bit.mask;
}

export const commandBitEntries: KnowledgeEntry[] = rows
  .map((row): KnowledgeEntry => ({
    name: row.name,
    kind: 'COMMAND bit',
    summary: row.summary,
    details: `${row.details}\n\nBit ${Math.log2(maskOf(row))} of PCI_COMMAND (0x${maskOf(row).toString(16).padStart(4, '0')}).`,
    value: maskOf(row),
    trap: row.trap,
    commit: row.commit ?? 'include/uapi/linux/pci_regs.h (PCI_COMMAND bits; unchanged for many releases)',
  }))
  .concat([
    {
      name: 'PCI_COMMAND',
      kind: 'COMMAND bit',
      summary: 'The Command register, config offset 0x04 (16 bits).',
      details:
        'vfio treats a config write whose chunk starts at 0x04 as a COMMAND write: it stores the new MEMORY and IO bits in its virtual copy, may call vfio_bar_restore, and zaps BAR mmaps when MEMORY is cleared.',
      value: 0x04,
      commit: 'include/uapi/linux/pci_regs.h; COMMAND-write handling in vfio_pci_config.c since v3.6',
      trap: 'A one-byte write at 0x05 (upper half, INTX_DISABLE) is not a COMMAND write for the MEMORY/IO bookkeeping.',
    },
    {
      name: 'PCI_SRIOV_CTRL_MSE',
      kind: 'SR-IOV bit',
      summary: 'VF Memory Space Enable: bit 3 (0x0008) of the PF\u2019s SR-IOV Control register.',
      details:
        'This one bit turns memory decode on or off for all VFs of the PF; the VFs\u2019 own Command MEMORY bit is hard-wired 0. The PCI specification calls this bit "MSE". Bit 0 is VF Enable, bit 4 ARI Capable Hierarchy.',
      value: 0x0008,
      commit: 'include/uapi/linux/pci_regs.h (SR-IOV capability, Control register)',
      trap: 'Calling PCI_COMMAND_MEMORY "MSE" in a VF context confuses it with this bit (a review point on the v4 series).',
    },
  ]);
