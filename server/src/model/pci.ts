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

/** Named constants C expressions may use, with their values. */
export const PCI_CONSTANTS: Record<string, number> = {
  PCI_COMMAND,
  PCI_COMMAND_IO,
  PCI_COMMAND_MEMORY,
  PCI_COMMAND_MASTER,
  PCI_COMMAND_SPECIAL: 0x0008,
  PCI_COMMAND_INVALIDATE: 0x0010,
  PCI_COMMAND_VGA_PALETTE: 0x0020,
  PCI_COMMAND_PARITY: 0x0040,
  PCI_COMMAND_WAIT: 0x0080,
  PCI_COMMAND_SERR: 0x0100,
  PCI_COMMAND_FAST_BACK: 0x0200,
  PCI_COMMAND_INTX_DISABLE,
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

/** The names of the COMMAND bits, lowest first, for decoding a value. */
export const COMMAND_BIT_NAMES: [number, string][] = [
  [PCI_COMMAND_IO, 'IO'],
  [PCI_COMMAND_MEMORY, 'MEMORY'],
  [PCI_COMMAND_MASTER, 'MASTER'],
  [0x0008, 'SPECIAL'],
  [0x0010, 'INVALIDATE'],
  [0x0020, 'VGA_PALETTE'],
  [0x0040, 'PARITY'],
  [0x0080, 'WAIT'],
  [0x0100, 'SERR'],
  [0x0200, 'FAST_BACK'],
  [PCI_COMMAND_INTX_DISABLE, 'INTX_DISABLE'],
];

export function hex4(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(4, '0');
}

/** "IO|MEMORY" for 0x0003, "-" for 0; bits no row names are shown in hex ("MEMORY|0x8000"). */
export function decodeCommand(value: number): string {
  const names = COMMAND_BIT_NAMES.filter(([bit]) => value & bit).map(([, name]) => name);
  const rest = COMMAND_BIT_NAMES.reduce((left, [bit]) => left & ~bit, value);
  if (rest !== 0) names.push(hex4(rest));
  return names.length ? names.join('|') : '-';
}
