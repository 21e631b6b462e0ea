/**
 * PCI facts the config-space model names (include/uapi/linux/pci_regs.h and vfio's own defines):
 * offsets, bits, capability IDs, lengths. One table, PCI_CONFIG_CONSTANTS, is what the C text of
 * permission rows and decisions may name; every value here is a fact, not a choice.
 */

const HEADER = {
  PCI_VENDOR_ID: 0x00,
  PCI_DEVICE_ID: 0x02,
  PCI_COMMAND: 0x04,
  PCI_STATUS: 0x06,
  PCI_REVISION_ID: 0x08,
  PCI_CLASS_PROG: 0x09,
  PCI_CACHE_LINE_SIZE: 0x0c,
  PCI_LATENCY_TIMER: 0x0d,
  PCI_HEADER_TYPE: 0x0e,
  PCI_BIST: 0x0f,
  PCI_BASE_ADDRESS_0: 0x10,
  PCI_BASE_ADDRESS_1: 0x14,
  PCI_BASE_ADDRESS_2: 0x18,
  PCI_BASE_ADDRESS_3: 0x1c,
  PCI_BASE_ADDRESS_4: 0x20,
  PCI_BASE_ADDRESS_5: 0x24,
  PCI_SUBSYSTEM_VENDOR_ID: 0x2c,
  PCI_SUBSYSTEM_ID: 0x2e,
  PCI_ROM_ADDRESS: 0x30,
  PCI_CAPABILITY_LIST: 0x34,
  PCI_INTERRUPT_LINE: 0x3c,
  PCI_INTERRUPT_PIN: 0x3d,
  PCI_STD_HEADER_SIZEOF: 64,
  PCI_CFG_SPACE_SIZE: 256,
  PCI_CFG_SPACE_EXP_SIZE: 4096,
  PCI_STATUS_CAP_LIST: 0x10,
  PCI_ROM_ADDRESS_ENABLE: 0x01,
  PCI_BASE_ADDRESS_SPACE_IO: 0x01,
  PCI_BASE_ADDRESS_MEM_TYPE_64: 0x04,
  PCI_BASE_ADDRESS_MEM_PREFETCH: 0x08,
  PCI_CAP_LIST_ID: 0,
  PCI_CAP_LIST_NEXT: 1,
  PCI_CAP_FLAGS: 2,
  PCI_CAP_SIZEOF: 4,
};

/** Standard capability IDs. */
export const CAP_IDS: Record<string, number> = {
  PCI_CAP_ID_PM: 0x01,
  PCI_CAP_ID_AGP: 0x02,
  PCI_CAP_ID_VPD: 0x03,
  PCI_CAP_ID_SLOTID: 0x04,
  PCI_CAP_ID_MSI: 0x05,
  PCI_CAP_ID_CHSWP: 0x06,
  PCI_CAP_ID_PCIX: 0x07,
  PCI_CAP_ID_HT: 0x08,
  PCI_CAP_ID_VNDR: 0x09,
  PCI_CAP_ID_DBG: 0x0a,
  PCI_CAP_ID_CCRC: 0x0b,
  PCI_CAP_ID_SHPC: 0x0c,
  PCI_CAP_ID_SSVID: 0x0d,
  PCI_CAP_ID_AGP3: 0x0e,
  PCI_CAP_ID_SECDEV: 0x0f,
  PCI_CAP_ID_EXP: 0x10,
  PCI_CAP_ID_MSIX: 0x11,
  PCI_CAP_ID_SATA: 0x12,
  PCI_CAP_ID_AF: 0x13,
  PCI_CAP_ID_EA: 0x14,
};

/** Extended capability IDs. */
export const ECAP_IDS: Record<string, number> = {
  PCI_EXT_CAP_ID_ERR: 0x01,
  PCI_EXT_CAP_ID_VC: 0x02,
  PCI_EXT_CAP_ID_DSN: 0x03,
  PCI_EXT_CAP_ID_PWR: 0x04,
  PCI_EXT_CAP_ID_RCLD: 0x05,
  PCI_EXT_CAP_ID_RCILC: 0x06,
  PCI_EXT_CAP_ID_RCEC: 0x07,
  PCI_EXT_CAP_ID_MFVC: 0x08,
  PCI_EXT_CAP_ID_VC9: 0x09,
  PCI_EXT_CAP_ID_RCRB: 0x0a,
  PCI_EXT_CAP_ID_VNDR: 0x0b,
  PCI_EXT_CAP_ID_CAC: 0x0c,
  PCI_EXT_CAP_ID_ACS: 0x0d,
  PCI_EXT_CAP_ID_ARI: 0x0e,
  PCI_EXT_CAP_ID_ATS: 0x0f,
  PCI_EXT_CAP_ID_SRIOV: 0x10,
  PCI_EXT_CAP_ID_MRIOV: 0x11,
  PCI_EXT_CAP_ID_MCAST: 0x12,
  PCI_EXT_CAP_ID_PRI: 0x13,
  PCI_EXT_CAP_ID_AMD_XXX: 0x14,
  PCI_EXT_CAP_ID_REBAR: 0x15,
  PCI_EXT_CAP_ID_DPA: 0x16,
  PCI_EXT_CAP_ID_TPH: 0x17,
  PCI_EXT_CAP_ID_LTR: 0x18,
  PCI_EXT_CAP_ID_SECPCI: 0x19,
  PCI_EXT_CAP_ID_PMUX: 0x1a,
  PCI_EXT_CAP_ID_PASID: 0x1b,
  PCI_EXT_CAP_ID_DVSEC: 0x23,
};

/** Registers and bits inside capabilities (offsets relative to the capability). */
const CAPABILITY_REGISTERS = {
  // Power Management
  PCI_PM_PMC: 2,
  PCI_PM_CTRL: 4,
  PCI_PM_SIZEOF: 8,
  PCI_PM_CAP_PME_MASK: 0xf800,
  PCI_PM_CTRL_STATE_MASK: 0x0003,
  PCI_PM_CTRL_NO_SOFT_RESET: 0x0008,
  PCI_PM_CTRL_PME_ENABLE: 0x0100,
  PCI_PM_CTRL_PME_STATUS: 0x8000,
  // MSI
  PCI_MSI_FLAGS: 2,
  PCI_MSI_FLAGS_ENABLE: 0x0001,
  PCI_MSI_FLAGS_QMASK: 0x000e,
  PCI_MSI_FLAGS_QSIZE: 0x0070,
  PCI_MSI_FLAGS_64BIT: 0x0080,
  PCI_MSI_FLAGS_MASKBIT: 0x0100,
  PCI_MSI_ADDRESS_LO: 4,
  PCI_MSI_ADDRESS_HI: 8,
  PCI_MSI_DATA_32: 8,
  PCI_MSI_MASK_32: 12,
  PCI_MSI_PENDING_32: 16,
  PCI_MSI_DATA_64: 12,
  PCI_MSI_MASK_64: 16,
  PCI_MSI_PENDING_64: 20,
  // MSI-X
  PCI_MSIX_FLAGS: 2,
  PCI_MSIX_FLAGS_ENABLE: 0x8000,
  PCI_MSIX_FLAGS_MASKALL: 0x4000,
  PCI_MSIX_TABLE: 4,
  PCI_MSIX_PBA: 8,
  PCI_CAP_MSIX_SIZEOF: 12,
  // VPD
  PCI_VPD_ADDR: 2,
  PCI_VPD_ADDR_F: 0x8000,
  PCI_VPD_DATA: 4,
  PCI_CAP_VPD_SIZEOF: 8,
  // PCI-X
  PCI_X_CMD: 2,
  PCI_X_ECC_CSR: 8,
  PCI_CAP_PCIX_SIZEOF_V0: 8,
  PCI_CAP_PCIX_SIZEOF_V2: 24,
  // PCI Express
  PCI_EXP_FLAGS: 2,
  PCI_EXP_FLAGS_VERS: 0x000f,
  PCI_EXP_FLAGS_TYPE: 0x00f0,
  PCI_EXP_TYPE_ENDPOINT: 0x0,
  PCI_EXP_TYPE_RC_END: 0x9,
  PCI_EXP_DEVCAP: 4,
  PCI_EXP_DEVCAP_FLR: 0x10000000,
  PCI_EXP_DEVCTL: 8,
  PCI_EXP_DEVCTL_RELAX_EN: 0x0010,
  PCI_EXP_DEVCTL_PAYLOAD: 0x00e0,
  PCI_EXP_DEVCTL_EXT_TAG: 0x0100,
  PCI_EXP_DEVCTL_PHANTOM: 0x0200,
  PCI_EXP_DEVCTL_NOSNOOP_EN: 0x0800,
  PCI_EXP_DEVCTL_READRQ: 0x7000,
  PCI_EXP_DEVCTL_BCR_FLR: 0x8000,
  PCI_EXP_DEVSTA: 10,
  PCI_EXP_DEVCTL2: 40,
  PCI_EXP_DEVCTL2_ARI: 0x0020,
  PCI_CAP_EXP_ENDPOINT_SIZEOF_V1: 20,
  PCI_CAP_EXP_ENDPOINT_SIZEOF_V2: 44,
  // Advanced Features
  PCI_AF_CAP: 3,
  PCI_AF_CAP_TP: 0x01,
  PCI_AF_CAP_FLR: 0x02,
  PCI_AF_CTRL: 4,
  PCI_AF_CTRL_FLR: 0x01,
  PCI_CAP_AF_SIZEOF: 6,
  PCI_AGP_SIZEOF: 12,
  // AER
  PCI_ERR_UNCOR_STATUS: 4,
  PCI_ERR_UNCOR_MASK: 8,
  PCI_ERR_UNCOR_SEVER: 12,
  PCI_ERR_COR_STATUS: 16,
  PCI_ERR_COR_MASK: 20,
  PCI_ERR_CAP: 24,
  PCI_ERR_ROOT_COMMAND: 44,
  PCI_ERR_UNC_UND: 0x00000001,
  PCI_ERR_UNC_TRAIN: 0x00000001,
  PCI_ERR_UNC_DLP: 0x00000010,
  PCI_ERR_UNC_SURPDN: 0x00000020,
  PCI_ERR_UNC_POISON_TLP: 0x00001000,
  PCI_ERR_UNC_FCP: 0x00002000,
  PCI_ERR_UNC_COMP_TIME: 0x00004000,
  PCI_ERR_UNC_COMP_ABORT: 0x00008000,
  PCI_ERR_UNC_UNX_COMP: 0x00010000,
  PCI_ERR_UNC_RX_OVER: 0x00020000,
  PCI_ERR_UNC_MALF_TLP: 0x00040000,
  PCI_ERR_UNC_ECRC: 0x00080000,
  PCI_ERR_UNC_UNSUP: 0x00100000,
  PCI_ERR_UNC_ACSV: 0x00200000,
  PCI_ERR_UNC_INTN: 0x00400000,
  PCI_ERR_UNC_MCBTLP: 0x00800000,
  PCI_ERR_UNC_ATOMEG: 0x01000000,
  PCI_ERR_UNC_TLPPRE: 0x02000000,
  PCI_ERR_COR_RCVR: 0x00000001,
  PCI_ERR_COR_BAD_TLP: 0x00000040,
  PCI_ERR_COR_BAD_DLLP: 0x00000080,
  PCI_ERR_COR_REP_ROLL: 0x00000100,
  PCI_ERR_COR_REP_TIMER: 0x00001000,
  PCI_ERR_COR_ADV_NFAT: 0x00002000,
  PCI_ERR_COR_INTERNAL: 0x00004000,
  PCI_ERR_COR_LOG_OVER: 0x00008000,
  PCI_ERR_CAP_ECRC_GENC: 0x00000020,
  PCI_ERR_CAP_ECRC_GENE: 0x00000040,
  PCI_ERR_CAP_ECRC_CHKC: 0x00000080,
  PCI_ERR_CAP_ECRC_CHKE: 0x00000100,
  // Power budgeting
  PCI_PWR_DSR: 4,
  PCI_PWR_DATA: 8,
  PCI_EXT_CAP_PWR_SIZEOF: 16,
  // ATS, PRI, PASID, SR-IOV, others
  PCI_ATS_CAP: 4,
  PCI_ATS_CTRL: 6,
  PCI_ATS_CTRL_ENABLE: 0x8000,
  PCI_EXT_CAP_ATS_SIZEOF: 8,
  PCI_PRI_CTRL: 4,
  PCI_PRI_CTRL_ENABLE: 0x0001,
  PCI_PRI_CTRL_RESET: 0x0002,
  PCI_PRI_STATUS: 6,
  PCI_PRI_STATUS_STOPPED: 0x0100,
  PCI_EXT_CAP_PRI_SIZEOF: 16,
  PCI_PASID_CAP: 4,
  PCI_PASID_CTRL: 6,
  PCI_PASID_CTRL_ENABLE: 0x0001,
  PCI_EXT_CAP_PASID_SIZEOF: 8,
  PCI_SRIOV_CTRL: 8,
  PCI_SRIOV_CTRL_VFE: 0x0001,
  PCI_SRIOV_CTRL_MSE: 0x0008,
  PCI_SRIOV_NUM_VF: 0x10,
  PCI_SRIOV_VF_DID: 0x1a,
  PCI_EXT_CAP_SRIOV_SIZEOF: 0x40,
  PCI_EXT_CAP_ARI_SIZEOF: 8,
  PCI_EXT_CAP_DSN_SIZEOF: 12,
  PCI_EXT_CAP_LTR_SIZEOF: 8,
  PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF: 40,
  PCI_VNDR_HEADER: 4,
  PCI_VSEC_HDR: 4,
  PCI_VSEC_HDR_LEN_SHIFT: 20,
  PCI_DVSEC_HEADER1: 4,
  PCI_DVSEC_HEADER2: 8,
  PCI_ROM_RESOURCE: 6,
  IORESOURCE_ROM_SHADOW: 0x2,
  PCI_COMMAND_IO: 0x0001,
  PCI_COMMAND_MEMORY: 0x0002,
  PCI_COMMAND_MASTER: 0x0004,
  PCI_COMMAND_INTX_DISABLE: 0x0400,
};

/** vfio's own values and the kernel facts its conditions name. */
const VFIO_VALUES = {
  PCI_CAP_ID_BASIC: 0,
  PCI_CAP_ID_INVALID: 0xff,
  PCI_CAP_ID_INVALID_VIRT: 0xfe,
  NO_VIRT: 0,
  ALL_VIRT: 0xffffffff,
  NO_WRITE: 0,
  ALL_WRITE: 0xffffffff,
  VFIO_PCI_INTX_IRQ_INDEX: 0,
  VFIO_PCI_MSI_IRQ_INDEX: 1,
  VFIO_PCI_MSIX_IRQ_INDEX: 2,
  IRQ_NOTCONNECTED: 0x80000000,
  PCI_D0: 0,
  PCI_D1: 1,
  PCI_D2: 2,
  PCI_D3hot: 3,
  EINVAL: 22,
  true: 1,
  false: 0,
  NULL: 0,
};

/** Every name the C text of rows and decisions may use, with its value. */
export const PCI_CONFIG_CONSTANTS: Readonly<Record<string, number>> = {
  ...HEADER,
  ...CAP_IDS,
  ...ECAP_IDS,
  ...CAPABILITY_REGISTERS,
  ...VFIO_VALUES,
};

export const C = PCI_CONFIG_CONSTANTS;

/** A function-like macro: its parameters and its body as C text. */
export interface ConfigMacro {
  params: string[];
  body: string;
}

/**
 * Function-like macros of pci_regs.h and of vfio-pci's private header that the C text of rows
 * and decisions may use; reading a patch, a use is replaced by the body (so
 * `PCI_VNDR_HEADER_LEN(dword)` and `dword >> PCI_VSEC_HDR_LEN_SHIFT` can be compared by value).
 */
export const PCI_CONFIG_MACROS: Readonly<Record<string, ConfigMacro>> = {
  PCI_EXT_CAP_ID: { params: ['header'], body: '(header) & 0x0000ffff' },
  PCI_EXT_CAP_VER: { params: ['header'], body: '((header) >> 16) & 0xf' },
  PCI_EXT_CAP_NEXT: { params: ['header'], body: '((header) >> 20) & 0xffc' },
  PCI_VNDR_HEADER_ID: { params: ['x'], body: '(x) & 0xffff' },
  PCI_VNDR_HEADER_REV: { params: ['x'], body: '((x) >> 16) & 0xf' },
  PCI_VNDR_HEADER_LEN: { params: ['x'], body: '((x) >> 20) & 0xfff' },
  PCI_DVSEC_HEADER1_LEN: { params: ['x'], body: '((x) >> 20) & 0xfff' },
  PCI_X_CMD_VERSION: { params: ['x'], body: '((x) >> 12) & 3' },
  is_intx: { params: ['vdev'], body: '(vdev)->irq_type == VFIO_PCI_INTX_IRQ_INDEX' },
  is_msi: { params: ['vdev'], body: '(vdev)->irq_type == VFIO_PCI_MSI_IRQ_INDEX' },
  is_msix: { params: ['vdev'], body: '(vdev)->irq_type == VFIO_PCI_MSIX_IRQ_INDEX' },
};

/** The names of capability IDs, per space, built once (every config access names its region). */
const CAPABILITY_NAMES = new Map<string, string>();

/** Short names of capabilities for messages ("PM", "EXP", "ext ATS"). */
export function capabilityName(id: number, extended: boolean): string {
  const key = `${+extended}:${id}`;
  let known = CAPABILITY_NAMES.get(key);
  if (known === undefined) {
    const table = extended ? ECAP_IDS : CAP_IDS;
    const prefix = extended ? 'PCI_EXT_CAP_ID_' : 'PCI_CAP_ID_';
    const found = Object.entries(table).find(([, v]) => v === id);
    const name = found ? found[0].slice(prefix.length) : `0x${id.toString(16)}`;
    CAPABILITY_NAMES.set(key, (known = extended ? `ext ${name}` : name));
  }
  return known;
}

export function hex(value: number, digits = 0): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}
