/** PCI facts the model uses: COMMAND bits, offsets, power states (include/uapi/linux/pci_regs.h). */

export const PCI_COMMAND = 0x04;
export const PCI_COMMAND_IO = 0x0001;
export const PCI_COMMAND_MEMORY = 0x0002;
export const PCI_COMMAND_MASTER = 0x0004;
export const PCI_COMMAND_INTX_DISABLE = 0x0400;

/** The COMMAND bits vfio keeps in vconfig: MEMORY and IO (bookkeeping) and INTX_DISABLE (virtualized). */
export const VIRTUAL_COMMAND_BITS = PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_INTX_DISABLE;

export const PCI_D0 = 0;
export const PCI_D3HOT = 3;

/** The COMMAND register's bits, lowest first: the one table of their names (pci_regs.h). */
export const PCI_COMMAND_BITS: readonly { mask: number; name: string; constant: string }[] = [
  { mask: PCI_COMMAND_IO, name: 'IO', constant: 'PCI_COMMAND_IO' },
  { mask: PCI_COMMAND_MEMORY, name: 'MEMORY', constant: 'PCI_COMMAND_MEMORY' },
  { mask: PCI_COMMAND_MASTER, name: 'MASTER', constant: 'PCI_COMMAND_MASTER' },
  { mask: 0x0008, name: 'SPECIAL', constant: 'PCI_COMMAND_SPECIAL' },
  { mask: 0x0010, name: 'INVALIDATE', constant: 'PCI_COMMAND_INVALIDATE' },
  { mask: 0x0020, name: 'VGA_PALETTE', constant: 'PCI_COMMAND_VGA_PALETTE' },
  { mask: 0x0040, name: 'PARITY', constant: 'PCI_COMMAND_PARITY' },
  { mask: 0x0080, name: 'WAIT', constant: 'PCI_COMMAND_WAIT' },
  { mask: 0x0100, name: 'SERR', constant: 'PCI_COMMAND_SERR' },
  { mask: 0x0200, name: 'FAST_BACK', constant: 'PCI_COMMAND_FAST_BACK' },
  { mask: PCI_COMMAND_INTX_DISABLE, name: 'INTX_DISABLE', constant: 'PCI_COMMAND_INTX_DISABLE' },
];

/** Named constants C expressions may use, with their values. */
export const PCI_CONSTANTS: Record<string, number> = {
  PCI_COMMAND,
  ...Object.fromEntries(PCI_COMMAND_BITS.map((b) => [b.constant, b.mask])),
  PCI_STATUS: 0x06,
  PCI_D0,
  PCI_D1: 1,
  PCI_D2: 2,
  PCI_D3hot: PCI_D3HOT,
  PCI_D3cold: 4,
  true: 1,
  false: 0,
  NULL: 0,
};

export function hex4(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(4, '0');
}

/** "IO|MEMORY" for 0x0003, "-" for 0; bits no row names are shown in hex ("MEMORY|0x8000"). */
export function decodeCommand(value: number): string {
  const names = PCI_COMMAND_BITS.filter((b) => value & b.mask).map((b) => b.name);
  const rest = PCI_COMMAND_BITS.reduce((left, b) => left & ~b.mask, value);
  if (rest !== 0) names.push(hex4(rest));
  return names.length ? names.join('|') : '-';
}
