/** The PCI COMMAND register bits a trace shows, decoded for people (PCI spec / pci_regs.h). */
export const COMMAND_BITS: readonly { mask: number; name: string }[] = [
  { mask: 0x0001, name: 'IO' },
  { mask: 0x0002, name: 'MEMORY' },
  { mask: 0x0004, name: 'MASTER' },
  { mask: 0x0040, name: 'PARITY' },
  { mask: 0x0100, name: 'SERR' },
  { mask: 0x0400, name: 'INTX_DISABLE' },
];

export const hex16 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(4, '0');

/** 0x0406 -> "MEMORY|MASTER|INTX_DISABLE"; 0 -> "-". Unknown bits are shown as hex. */
export function decodeCommand(v: number): string {
  const names = COMMAND_BITS.filter((b) => (v & b.mask) !== 0).map((b) => b.name);
  const rest = COMMAND_BITS.reduce((acc, b) => acc & ~b.mask, v);
  if (rest !== 0) names.push(hex16(rest));
  return names.length ? names.join('|') : '-';
}
