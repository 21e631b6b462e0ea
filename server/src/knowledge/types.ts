/** The shape of one hover entry of the knowledge base: what a symbol is, where it comes from, the trap. */

export type SymbolKind =
  | 'pci_dev field'
  | 'dev_flags bit'
  | 'COMMAND bit'
  | 'SR-IOV bit'
  | 'vfio function'
  | 'vfio variable'
  | 'kernel function'
  | 'struct'
  | 's390 field'
  | 'zPCI instruction'
  | 'zPCI field'
  | 'zPCI constant'
  | 'QEMU function'
  | 'concept';

/** Where a dev_flags bit sat in one kernel version (null: the name does not exist there). */
export interface BitPlacement {
  kernel: string;
  bit: number | null;
  note?: string;
}

export interface KnowledgeEntry {
  /** The identifier as written in C (or the qualified form, "zdev->vfn"). */
  name: string;
  /** Other spellings that mean the same thing (renames across versions). */
  aliases?: string[];
  kind: SymbolKind;
  /** One line: what it is. Also used as an operand's meaning in decision hovers. */
  summary: string;
  /** A few sentences in the project's own words. */
  details: string;
  /** The commit(s) that introduced or changed it, "12856e7acde4 (v5.10-rc1)". */
  commit?: string;
  /** One line: the mistake reviewers make with it, if there is a known one. */
  trap?: string;
  /** For flag bits: the bit value per kernel version, where it moved or was only proposed. */
  bits?: BitPlacement[];
  /** Numeric value where one exists (COMMAND bits, SR-IOV control bits). */
  value?: number;
}
