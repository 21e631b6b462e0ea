/**
 * The config spaces of the device kinds as data (model/devices.ts joins each to its row): header
 * registers, capability lists with register values and what the hardware does with writes, the
 * host's BAR resources and the struct pci_dev facts. Register values are those of a plausible
 * device, chosen so that every field a kernel treats differently has a value that shows it (a
 * PME_Status set, an FLR-capable DEVCAP, a bogus VF pin). The seven Command-register kinds get
 * the spaces of the PF or VF they are, with a PM capability (their d3hot and d0 write PM_CTRL).
 */
import { C } from './registers';
import type { BarResource, CapabilityImage, ConfigSpace, RegisterValue } from './types';

function reg(
  offset: number,
  width: 1 | 2 | 4,
  value: number,
  extra: Partial<RegisterValue> = {},
): RegisterValue {
  return { offset, width, value, ...extra };
}

const cap = (id: number, offset: number, length: number, registers: RegisterValue[]): CapabilityImage => ({
  space: 'std',
  id,
  offset,
  length,
  registers,
});

const ecap = (
  id: number,
  offset: number,
  length: number,
  registers: RegisterValue[],
  version = 1,
): CapabilityImage => ({ space: 'ext', id, offset, length, version, registers });

/* ---- capabilities ---- */

/** PM: PME from D0/D3hot/D3cold; PMCSR with No_Soft_Reset and a pending PME_Status. */
const PM = (offset: number) =>
  cap(C.PCI_CAP_ID_PM, offset, 8, [
    reg(C.PCI_PM_PMC, 2, 0xc803, { name: 'PCI_PM_PMC' }),
    reg(C.PCI_PM_CTRL, 2, 0x8008, {
      name: 'PCI_PM_CTRL',
      rw: C.PCI_PM_CTRL_STATE_MASK | C.PCI_PM_CTRL_PME_ENABLE,
      w1c: C.PCI_PM_CTRL_PME_STATUS,
      action: { bits: C.PCI_PM_CTRL_STATE_MASK, does: 'power-state' },
    }),
  ]);

/** MSI, 64-bit with per-vector masking (24 bytes), 8 vectors capable. */
const MSI64 = (offset: number) =>
  cap(C.PCI_CAP_ID_MSI, offset, 24, [
    reg(C.PCI_MSI_FLAGS, 2, 0x0186, { name: 'PCI_MSI_FLAGS', rw: 0x0071 }),
    reg(C.PCI_MSI_ADDRESS_LO, 4, 0, { name: 'PCI_MSI_ADDRESS_LO', rw: 0xfffffffc }),
    reg(C.PCI_MSI_ADDRESS_HI, 4, 0, { name: 'PCI_MSI_ADDRESS_HI', rw: 0xffffffff }),
    reg(C.PCI_MSI_DATA_64, 2, 0, { name: 'PCI_MSI_DATA_64', rw: 0xffff }),
    reg(C.PCI_MSI_MASK_64, 4, 0, { name: 'PCI_MSI_MASK_64', rw: 0xff }),
    reg(C.PCI_MSI_PENDING_64, 4, 0, { name: 'PCI_MSI_PENDING_64' }),
  ]);

/** MSI, 32-bit, no masking (10 bytes), one vector. */
const MSI32 = (offset: number) =>
  cap(C.PCI_CAP_ID_MSI, offset, 10, [
    reg(C.PCI_MSI_FLAGS, 2, 0x0000, { name: 'PCI_MSI_FLAGS', rw: 0x0071 }),
    reg(C.PCI_MSI_ADDRESS_LO, 4, 0, { name: 'PCI_MSI_ADDRESS_LO', rw: 0xfffffffc }),
    reg(C.PCI_MSI_DATA_32, 2, 0, { name: 'PCI_MSI_DATA_32', rw: 0xffff }),
  ]);

const MSIX = (offset: number) =>
  cap(C.PCI_CAP_ID_MSIX, offset, 12, [
    reg(C.PCI_MSIX_FLAGS, 2, 0x003f, { name: 'PCI_MSIX_FLAGS', rw: 0xc000 }),
    reg(C.PCI_MSIX_TABLE, 4, 0x00000003, { name: 'PCI_MSIX_TABLE' }),
    reg(C.PCI_MSIX_PBA, 4, 0x00000803, { name: 'PCI_MSIX_PBA' }),
  ]);

/** PCIe v2 endpoint, FLR capable; DEVCTL: MRRS 512, MPS 256, relaxed ordering, no-snoop, ext tag. */
const EXP = (offset: number, devctl2 = 0) =>
  cap(C.PCI_CAP_ID_EXP, offset, 44, [
    reg(C.PCI_EXP_FLAGS, 2, 0x0002, { name: 'PCI_EXP_FLAGS' }),
    reg(C.PCI_EXP_DEVCAP, 4, 0x10008002, { name: 'PCI_EXP_DEVCAP' }),
    reg(C.PCI_EXP_DEVCTL, 2, 0x2930, {
      name: 'PCI_EXP_DEVCTL',
      rw: 0x7fff,
      action: { bits: C.PCI_EXP_DEVCTL_BCR_FLR, does: 'function-reset' },
    }),
    reg(C.PCI_EXP_DEVSTA, 2, 0, { name: 'PCI_EXP_DEVSTA', w1c: 0x000f }),
    reg(12, 4, 0x00400c43, { name: 'PCI_EXP_LNKCAP' }),
    reg(16, 2, 0x0040, { name: 'PCI_EXP_LNKCTL', rw: 0x0fff }),
    reg(36, 4, 0x00000010, { name: 'PCI_EXP_DEVCAP2' }),
    reg(C.PCI_EXP_DEVCTL2, 2, devctl2, { name: 'PCI_EXP_DEVCTL2', rw: 0xffff }),
  ]);

const VPD = (offset: number) =>
  cap(C.PCI_CAP_ID_VPD, offset, 8, [
    reg(C.PCI_VPD_ADDR, 2, 0, { name: 'PCI_VPD_ADDR', rw: 0xffff }),
    reg(C.PCI_VPD_DATA, 4, 0, { name: 'PCI_VPD_DATA', rw: 0xffffffff }),
  ]);

/** Advanced Features: Transactions Pending and FLR capable. */
const AF = (offset: number) =>
  cap(C.PCI_CAP_ID_AF, offset, 6, [
    reg(2, 1, 0x06, { name: 'PCI_AF_LENGTH' }),
    reg(C.PCI_AF_CAP, 1, C.PCI_AF_CAP_TP | C.PCI_AF_CAP_FLR, { name: 'PCI_AF_CAP' }),
    reg(C.PCI_AF_CTRL, 1, 0, {
      name: 'PCI_AF_CTRL',
      action: { bits: C.PCI_AF_CTRL_FLR, does: 'function-reset' },
    }),
  ]);

const AER = (offset: number) =>
  ecap(
    C.PCI_EXT_CAP_ID_ERR,
    offset,
    0x48,
    [
      reg(C.PCI_ERR_UNCOR_STATUS, 4, 0x00004000, { name: 'PCI_ERR_UNCOR_STATUS', w1c: 0x03fff031 }),
      reg(C.PCI_ERR_UNCOR_MASK, 4, 0, { name: 'PCI_ERR_UNCOR_MASK', rw: 0x03fff031 }),
      reg(C.PCI_ERR_UNCOR_SEVER, 4, 0x00462030, { name: 'PCI_ERR_UNCOR_SEVER', rw: 0x03fff031 }),
      reg(C.PCI_ERR_COR_STATUS, 4, 0, { name: 'PCI_ERR_COR_STATUS', w1c: 0x0000f1c1 }),
      reg(C.PCI_ERR_COR_MASK, 4, 0x00002000, { name: 'PCI_ERR_COR_MASK', rw: 0x0000f1c1 }),
      reg(C.PCI_ERR_CAP, 4, 0x000000a0, { name: 'PCI_ERR_CAP', rw: 0x00000140 }),
    ],
    2,
  );

const ATS = (offset: number) =>
  ecap(C.PCI_EXT_CAP_ID_ATS, offset, 8, [
    reg(C.PCI_ATS_CAP, 2, 0x0020, { name: 'PCI_ATS_CAP' }),
    reg(C.PCI_ATS_CTRL, 2, 0, { name: 'PCI_ATS_CTRL', rw: 0x801f }),
  ]);

const ARI = (offset: number) =>
  ecap(C.PCI_EXT_CAP_ID_ARI, offset, 8, [reg(4, 2, 0, { name: 'PCI_ARI_CAP' })]);

const SRIOV = (offset: number) =>
  ecap(C.PCI_EXT_CAP_ID_SRIOV, offset, 0x40, [
    reg(C.PCI_SRIOV_CTRL, 2, 0x0019, { name: 'PCI_SRIOV_CTRL', rw: 0x001f }),
    reg(0x0e, 2, 8, { name: 'PCI_SRIOV_TOTAL_VF' }),
    reg(C.PCI_SRIOV_NUM_VF, 2, 4, { name: 'PCI_SRIOV_NUM_VF', rw: 0xffff }),
    reg(0x14, 2, 0x0010, { name: 'PCI_SRIOV_VF_OFFSET' }),
    reg(0x16, 2, 0x0001, { name: 'PCI_SRIOV_VF_STRIDE' }),
    reg(C.PCI_SRIOV_VF_DID, 2, 0x154c, { name: 'PCI_SRIOV_VF_DID' }),
    reg(0x24, 4, 0xf800000c, { name: 'PCI_SRIOV_BAR' }),
  ]);

const PRI = (offset: number) =>
  ecap(C.PCI_EXT_CAP_ID_PRI, offset, 16, [
    reg(C.PCI_PRI_CTRL, 2, 0, {
      name: 'PCI_PRI_CTRL',
      rw: C.PCI_PRI_CTRL_ENABLE,
      action: { bits: C.PCI_PRI_CTRL_RESET, does: 'pri-reset' },
    }),
    reg(C.PCI_PRI_STATUS, 2, C.PCI_PRI_STATUS_STOPPED, { name: 'PCI_PRI_STATUS' }),
    reg(8, 4, 0x20, { name: 'PCI_PRI_MAX_REQ' }),
    reg(12, 4, 0, { name: 'PCI_PRI_ALLOC_REQ', rw: 0xffffffff }),
  ]);

const PASID = (offset: number) =>
  ecap(C.PCI_EXT_CAP_ID_PASID, offset, 8, [
    reg(C.PCI_PASID_CAP, 2, 0x1400, { name: 'PCI_PASID_CAP' }),
    reg(C.PCI_PASID_CTRL, 2, 0, { name: 'PCI_PASID_CTRL', rw: 0x0007 }),
  ]);

/* ---- headers and resources ---- */

interface HeaderOptions {
  vendor: number;
  device: number;
  /** COMMAND bits the hardware stores. */
  command: number;
  pin: number;
  line?: number;
  /** BAR registers in the header (VF BARs read 0: none). */
  bars: BarResource[];
  rom?: number;
}

function barRegisters(bars: BarResource[]): RegisterValue[] {
  const out: RegisterValue[] = [];
  for (const b of bars) {
    const at = C.PCI_BASE_ADDRESS_0 + 4 * b.index;
    const flags =
      b.type === 'io' ? 1 : (b.type === 'mem64' ? C.PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) | (b.prefetch ? 8 : 0);
    const low = b.type === 'io' ? 0x3 : 0xf;
    const mask = ~(b.size - 1) & ~low;
    out.push(
      reg(at, 4, ((b.start & mask) | flags) >>> 0, { rw: mask >>> 0, reset: flags, name: `BAR${b.index}` }),
    );
    if (b.type === 'mem64')
      out.push(reg(at + 4, 4, 0, { rw: 0xffffffff, reset: 0, name: `BAR${b.index + 1}` }));
  }
  return out;
}

function header(o: HeaderOptions): RegisterValue[] {
  return [
    reg(C.PCI_VENDOR_ID, 2, o.vendor, { name: 'PCI_VENDOR_ID' }),
    reg(C.PCI_DEVICE_ID, 2, o.device, { name: 'PCI_DEVICE_ID' }),
    reg(C.PCI_COMMAND, 2, 0, { name: 'PCI_COMMAND', rw: o.command }),
    reg(C.PCI_STATUS, 2, C.PCI_STATUS_CAP_LIST, { name: 'PCI_STATUS', w1c: 0xf900 }),
    reg(C.PCI_REVISION_ID, 4, 0x02000001, { name: 'PCI_CLASS_REVISION' }),
    reg(C.PCI_CACHE_LINE_SIZE, 1, 0x10, { name: 'PCI_CACHE_LINE_SIZE', rw: 0xff }),
    reg(C.PCI_LATENCY_TIMER, 1, 0, { name: 'PCI_LATENCY_TIMER', rw: 0xff }),
    ...barRegisters(o.bars),
    reg(C.PCI_SUBSYSTEM_VENDOR_ID, 4, (0x0001 << 16) | o.vendor, { name: 'PCI_SUBSYSTEM_VENDOR_ID' }),
    reg(C.PCI_ROM_ADDRESS, 4, o.rom ?? 0, { name: 'PCI_ROM_ADDRESS', rw: o.rom ? 0xfffff801 : 0 }),
    reg(C.PCI_CAPABILITY_LIST, 1, 0, { name: 'PCI_CAPABILITY_LIST' }),
    reg(C.PCI_INTERRUPT_LINE, 1, o.line ?? 0x0b, { name: 'PCI_INTERRUPT_LINE', rw: 0xff }),
    reg(C.PCI_INTERRUPT_PIN, 1, o.pin, { name: 'PCI_INTERRUPT_PIN' }),
  ];
}

const PF_BARS: BarResource[] = [
  { index: 0, start: 0xf0000000, size: 0x100000, type: 'mem64', prefetch: true },
];
const IO_BAR: BarResource = { index: 4, start: 0xe000, size: 0x20, type: 'io' };
const VF_BARS: BarResource[] = [{ index: 0, start: 0xf8000000, size: 0x4000, type: 'mem64', prefetch: true }];

const PF_STD = [PM(0x40), MSI64(0x50), MSIX(0x70), EXP(0x80, C.PCI_EXP_DEVCTL2_ARI), VPD(0xac)];
const PF_EXT = [AER(0x100), ATS(0x148), SRIOV(0x150), PRI(0x190), PASID(0x1a0)];
const VF_STD = [MSIX(0x70), EXP(0x80)];
/** A VF with a PM capability of its own (the Command-register kinds' d3hot writes PM_CTRL). */
const VF_STD_PM = [PM(0x60), ...VF_STD];
const VF_EXT = [AER(0x100), ARI(0x148), ATS(0x150)];

/** COMMAND bits a PF stores (MEMORY, IO, MASTER, ..., INTX_DISABLE). */
const PF_COMMAND = 0x07ff;
const PF_COMMAND_NO_IO = PF_COMMAND & ~C.PCI_COMMAND_IO;
/** A VF: MEMORY and IO hard-wired 0. */
const VF_COMMAND = PF_COMMAND & ~(C.PCI_COMMAND_IO | C.PCI_COMMAND_MEMORY);

const HOST_FACTS = {
  CONFIG_VFIO_PCI_INTX: 1,
  'vdev->nointx': 0,
  'pdev->rom': 0,
  'pdev->romlen': 0,
  'pdev->resource[PCI_ROM_RESOURCE].flags': 0,
};
const PF_IDS = { 'pdev->vendor': 0x8086, 'pdev->device': 0x1572 };
const VF_IDS = { 'pdev->vendor': 0x8086, 'pdev->device': 0x154c };
/** s390: vfio_pci's Kconfig has VFIO_PCI_INTX only if !S390. */
const S390_FACTS = { ...HOST_FACTS, CONFIG_VFIO_PCI_INTX: 0, 'pdev->vendor': 0x15b3, 'pdev->device': 0x101e };

interface SpaceOptions {
  cfgSize?: 256 | 4096;
  hdr: HeaderOptions;
  std: CapabilityImage[];
  ext: CapabilityImage[];
  resources: BarResource[];
  rom?: { start: number; size: number };
  facts: Record<string, number>;
  vpd?: number[];
}

function space(o: SpaceOptions): ConfigSpace {
  const cfgSize = o.cfgSize ?? 4096;
  return {
    cfgSize,
    header: header(o.hdr),
    capabilities: [...o.std, ...o.ext],
    bars: o.resources,
    rom: o.rom,
    facts: { ...o.facts, 'pdev->cfg_size': cfgSize },
    vpd: o.vpd,
  };
}

const pfHeader = (bars: BarResource[], command = PF_COMMAND_NO_IO): HeaderOptions => ({
  vendor: 0x8086,
  device: 0x1572,
  command,
  pin: 1,
  bars,
});
const vfHeader: HeaderOptions = { vendor: 0xffff, device: 0xffff, command: VF_COMMAND, pin: 1, bars: [] };
const PF_FACTS = { ...HOST_FACTS, ...PF_IDS, 'pdev->irq': 16 };
const VPD_DATA = [0x82, 0x10, 0x00, 0x54];

const pfSpace = (extra: Partial<SpaceOptions> = {}) =>
  space({
    hdr: pfHeader(PF_BARS),
    std: PF_STD,
    ext: PF_EXT,
    resources: PF_BARS,
    facts: PF_FACTS,
    vpd: VPD_DATA,
    ...extra,
  });

/** A VF of pf-pcie as pci_iov_add_virtfn creates it (std: the VF's own capabilities). */
const vfSpace = (std: CapabilityImage[]) =>
  space({ hdr: vfHeader, std, ext: VF_EXT, resources: VF_BARS, facts: { ...HOST_FACTS, ...VF_IDS } });

/** The VF as s390 firmware presents it: IDs and BARs emulated (real values), MEMORY reads 0, pin 1. */
const s390VfSpace = space({
  hdr: { vendor: 0x15b3, device: 0x101e, command: VF_COMMAND, pin: 1, bars: VF_BARS },
  std: VF_STD_PM,
  ext: VF_EXT,
  resources: VF_BARS,
  facts: S390_FACTS,
});

/** The config space of every device kind, by its id. */
export const CONFIG_SPACES: Readonly<Record<string, ConfigSpace>> = {
  'pf-pcie': pfSpace(),
  'vf-pcie': vfSpace(VF_STD),
  'cap-id-zero': pfSpace({
    std: [PM(0x40), cap(0, 0x48, 8, []), MSI64(0x50), MSIX(0x70), EXP(0x80)],
    ext: [AER(0x100)],
  }),
  dvsec: pfSpace({
    std: [
      PM(0x40),
      cap(C.PCI_CAP_ID_VNDR, 0x48, 0x10, [
        reg(2, 1, 0x10),
        reg(4, 4, 0x11223344, { name: 'VNDR_DATA', rw: ~0 }),
      ]),
      EXP(0x80),
    ],
    ext: [
      AER(0x100),
      ecap(C.PCI_EXT_CAP_ID_VNDR, 0x148, 0x18, [
        reg(C.PCI_VNDR_HEADER, 4, (0x18 << 20) | (1 << 16) | 0x0001, { name: 'PCI_VNDR_HEADER' }),
        reg(8, 4, 0, { name: 'VSEC_DATA', rw: ~0 }),
      ]),
      ecap(C.PCI_EXT_CAP_ID_DVSEC, 0x160, 0x20, [
        reg(C.PCI_DVSEC_HEADER1, 4, (0x20 << 20) | (1 << 16) | 0x8086, { name: 'PCI_DVSEC_HEADER1' }),
        reg(C.PCI_DVSEC_HEADER2, 2, 0x0002, { name: 'PCI_DVSEC_HEADER2' }),
        reg(0x0c, 4, 0, { name: 'DVSEC_CONTROL', rw: ~0 }),
      ]),
    ],
  }),
  'ecap-unknown-first': pfSpace({
    ext: [ecap(0x40, 0x100, 0x10, [reg(4, 4, 0xcafe0001, { name: 'UNKNOWN_DATA' })]), AER(0x110), ATS(0x160)],
  }),
  'no-irq': pfSpace({ facts: { ...PF_FACTS, 'pdev->irq': 0 } }),
  'irq-notconnected': pfSpace({ facts: { ...PF_FACTS, 'pdev->irq': C.IRQ_NOTCONNECTED } }),
  'platform-rom': pfSpace({ facts: { ...PF_FACTS, 'pdev->rom': 0xfffe0000, 'pdev->romlen': 0x9000 } }),
  conventional: space({
    cfgSize: 256,
    hdr: {
      vendor: 0x10ec,
      device: 0x8139,
      command: PF_COMMAND,
      pin: 1,
      line: 10,
      bars: [
        { index: 0, start: 0xd000, size: 0x100, type: 'io' },
        { index: 1, start: 0xfe000000, size: 0x1000, type: 'mem32' },
      ],
      rom: 0xfd000000,
    },
    std: [PM(0x40), MSI32(0x48), AF(0x58)],
    ext: [],
    resources: [
      { index: 0, start: 0xd000, size: 0x100, type: 'io' },
      { index: 1, start: 0xfe000000, size: 0x1000, type: 'mem32' },
    ],
    rom: { start: 0xfd000000, size: 0x10000 },
    facts: { ...HOST_FACTS, 'pdev->vendor': 0x10ec, 'pdev->device': 0x8139, 'pdev->irq': 10 },
  }),
  // the seven Command-register kinds
  pf: pfSpace({ hdr: pfHeader([...PF_BARS, IO_BAR], PF_COMMAND), resources: [...PF_BARS, IO_BAR] }),
  'pf-no-io': pfSpace(),
  vf: vfSpace(VF_STD_PM),
  's390-vf-linked': s390VfSpace,
  's390-vf-detached': s390VfSpace,
  's390-vf-noiov': s390VfSpace,
  'guest-vf': space({
    hdr: { vendor: 0x8086, device: 0x154c, command: PF_COMMAND_NO_IO, pin: 0, bars: VF_BARS },
    std: VF_STD_PM,
    ext: [ATS(0x100)],
    resources: VF_BARS,
    facts: { ...HOST_FACTS, ...VF_IDS, 'pdev->irq': 0 },
  }),
};
