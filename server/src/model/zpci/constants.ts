/**
 * The zPCI names QEMU's s390x PCI code uses, with their values (include/hw/s390x/s390-pci-bus.h,
 * s390-pci-inst.h, s390-pci-clp.h, target/s390x/cpu.h, exec/memattrs.h at v8.0.0). The check
 * texts of every version are evaluated against this table; names not here are either locals of
 * the instruction (scope.ts) or unknown to the model.
 */

/** Condition codes a PCI load/store instruction sets. */
export const ZPCI_CC = {
  ZPCI_PCI_LS_OK: 0,
  ZPCI_PCI_LS_ERR: 1,
  ZPCI_PCI_LS_BUSY: 2,
  ZPCI_PCI_LS_INVAL_HANDLE: 3,
} as const;

/** Status codes set in bits 32-39 of R2 (PCILG/PCISTG) or R1 (PCISTB) with cc 1. */
export const ZPCI_STATUS = {
  ZPCI_PCI_ST_FUNC_NOT_ENABLED: 4,
  ZPCI_PCI_ST_FUNC_IN_ERR: 8,
  ZPCI_PCI_ST_BLOCKED: 12,
  ZPCI_PCI_ST_INSUF_RES: 16,
  ZPCI_PCI_ST_INVAL_AS: 20,
} as const;

/** Program interruption codes (target/s390x/cpu.h). */
export const PROGRAM_INTERRUPTS = {
  PGM_PRIVILEGED: 0x02,
  PGM_ADDRESSING: 0x05,
  PGM_SPECIFICATION: 0x06,
  PGM_OPERAND: 0x15,
} as const;
export type ProgramInterrupt = keyof typeof PROGRAM_INTERRUPTS;

/** Function states (enum order; introduced by 5d1abf234462, v2.7.0). */
export const ZPCI_FS = {
  ZPCI_FS_RESERVED: 0,
  ZPCI_FS_STANDBY: 1,
  ZPCI_FS_DISABLED: 2,
  ZPCI_FS_ENABLED: 3,
  ZPCI_FS_BLOCKED: 4,
  ZPCI_FS_ERROR: 5,
  ZPCI_FS_PERMANENT_ERROR: 6,
} as const;
export type FunctionStateName = keyof typeof ZPCI_FS;

/** CLP response codes of SET PCI FUNCTION. */
export const CLP_RC = {
  CLP_RC_OK: 0x0010,
  CLP_RC_SETPCIFN_FH: 0x0101,
  CLP_RC_SETPCIFN_FHOP: 0x0102,
} as const;
export type ClpResponse = keyof typeof CLP_RC;

export const FH_MASK_ENABLE = 0x80000000;
export const FH_SHM_VFIO = 0x00010000;
export const FH_SHM_EMUL = 0x00020000;
export const ZPCI_PFT_ISM = 5;
/** CLP Query PCI Function Group "fr" bit of the unmerged relaxed-alignment RFC. */
export const CLP_RSP_QPCIG_MASK_RELAXED = 0x8;
export const ZPCI_DEFAULT_FN_GRP_OLD = 0x20;
export const ZPCI_DEFAULT_FN_GRP = 0xff;
export const ZPCI_SIM_GRP_START = 0xf0;

/** MemTxResult values (exec/memattrs.h). */
export const MEMTX = { MEMTX_OK: 0, MEMTX_ERROR: 1, MEMTX_DECODE_ERROR: 2 } as const;

/** Every constant a check text may name, by name. */
export const ZPCI_CONSTANTS: Readonly<Record<string, number>> = {
  ...ZPCI_CC,
  ...ZPCI_STATUS,
  ...PROGRAM_INTERRUPTS,
  ...ZPCI_FS,
  ...CLP_RC,
  ...MEMTX,
  FH_MASK_ENABLE,
  /* v2.6's name for the same bit (1 << ENABLE_BIT_OFFSET) */
  FH_ENABLED: FH_MASK_ENABLE,
  FH_SHM_VFIO,
  FH_SHM_EMUL,
  ZPCI_PFT_ISM,
  CLP_RSP_QPCIG_MASK_RELAXED,
  ZPCI_IO_BAR_MIN: 0,
  ZPCI_IO_BAR_MAX: 5,
  ZPCI_CONFIG_BAR: 15,
  /*
   * The problem-state bit of the PSW (bit 15, 0x0001000000000000ULL). The model's arithmetic is
   * 32-bit, so `env->psw.mask` and PSW_MASK_PSTATE both stand for that one bit (0 or 1).
   */
  PSW_MASK_PSTATE: 1,
  MEMTXATTRS_UNSPECIFIED: 0,
};

/** The name of a value of one of the tables above, for explanations ("12 (ZPCI_PCI_ST_BLOCKED)"). */
export function constantName(table: Readonly<Record<string, number>>, value: number): string | undefined {
  return Object.keys(table).find((k) => table[k] === value);
}
