/**
 * The kernel variants of vfio_pci_config.c as data. v3.6 is written out whole (read from the
 * v3.6 source); every later variant is the previous one plus the changes of its commits, so each
 * change is written once. A row's C text is the kernel's own (arguments of p_setb/p_setw/p_setd,
 * entries of pci_cap_length/pci_ext_cap_length, conditions of the write functions); a patch's
 * post-image compiles into the same shapes (see index.ts for the mapping).
 */
import type { CapPerms, ConfigDecision, ConfigVariantSpec, PermRow, VariantChange } from './types';
import { CONFIG_DECISIONS } from './types';

const row = (width: 1 | 2 | 4, offset: string, virt: string, write: string, when?: string): PermRow =>
  when ? { width, offset, virt, write, when } : { width, offset, virt, write };
const NEXT = row(1, 'PCI_CAP_LIST_NEXT', '(u8)ALL_VIRT', 'NO_WRITE');
const ECAP_HEADER = row(4, '0', 'ALL_VIRT', 'NO_WRITE');

const BASIC_ROWS: PermRow[] = [
  row(2, 'PCI_VENDOR_ID', '(u16)ALL_VIRT', 'NO_WRITE'),
  row(2, 'PCI_DEVICE_ID', '(u16)ALL_VIRT', 'NO_WRITE'),
  row(2, 'PCI_COMMAND', 'PCI_COMMAND_INTX_DISABLE', '(u16)ALL_WRITE'),
  row(2, 'PCI_STATUS', 'PCI_STATUS_CAP_LIST', 'NO_WRITE'),
  row(1, 'PCI_CACHE_LINE_SIZE', 'NO_VIRT', '(u8)ALL_WRITE'),
  row(1, 'PCI_LATENCY_TIMER', 'NO_VIRT', '(u8)ALL_WRITE'),
  row(1, 'PCI_BIST', 'NO_VIRT', '(u8)ALL_WRITE'),
  ...[0, 1, 2, 3, 4, 5].map((i) => row(4, `PCI_BASE_ADDRESS_${i}`, 'ALL_VIRT', 'ALL_WRITE')),
  row(4, 'PCI_ROM_ADDRESS', 'ALL_VIRT', 'ALL_WRITE'),
  row(1, 'PCI_CAPABILITY_LIST', '(u8)ALL_VIRT', 'NO_WRITE'),
  row(1, 'PCI_INTERRUPT_LINE', '(u8)ALL_VIRT', '(u8)ALL_WRITE'),
];

const perms = (
  cap: string,
  init: string | null,
  alloc: string | null,
  readfn: CapPerms['readfn'],
  writefn: CapPerms['writefn'],
  rows: PermRow[],
): CapPerms => ({ cap, init, alloc, readfn, writefn, rows });

const AER_UNC = (first: string) =>
  [
    first,
    'PCI_ERR_UNC_DLP',
    'PCI_ERR_UNC_SURPDN',
    'PCI_ERR_UNC_POISON_TLP',
    'PCI_ERR_UNC_FCP',
    'PCI_ERR_UNC_COMP_TIME',
    'PCI_ERR_UNC_COMP_ABORT',
    'PCI_ERR_UNC_UNX_COMP',
    'PCI_ERR_UNC_RX_OVER',
    'PCI_ERR_UNC_MALF_TLP',
    'PCI_ERR_UNC_ECRC',
    'PCI_ERR_UNC_UNSUP',
    'PCI_ERR_UNC_ACSV',
    'PCI_ERR_UNC_INTN',
    'PCI_ERR_UNC_MCBTLP',
    'PCI_ERR_UNC_ATOMEG',
    'PCI_ERR_UNC_TLPPRE',
  ].join(' | ');
const AER_COR = [
  'PCI_ERR_COR_RCVR',
  'PCI_ERR_COR_BAD_TLP',
  'PCI_ERR_COR_BAD_DLLP',
  'PCI_ERR_COR_REP_ROLL',
  'PCI_ERR_COR_REP_TIMER',
  'PCI_ERR_COR_ADV_NFAT',
  'PCI_ERR_COR_INTERNAL',
  'PCI_ERR_COR_LOG_OVER',
].join(' | ');
const aer = (first: string) =>
  perms(
    'ext ERR',
    'init_pci_ext_cap_err_perm',
    'PCI_ERR_ROOT_COMMAND',
    'vfio_default_config_read',
    'vfio_default_config_write',
    [
      ECAP_HEADER,
      row(4, 'PCI_ERR_UNCOR_STATUS', 'NO_VIRT', AER_UNC(first)),
      row(4, 'PCI_ERR_UNCOR_MASK', 'NO_VIRT', AER_UNC(first)),
      row(4, 'PCI_ERR_UNCOR_SEVER', 'NO_VIRT', AER_UNC(first)),
      row(4, 'PCI_ERR_COR_STATUS', 'NO_VIRT', AER_COR),
      row(4, 'PCI_ERR_COR_MASK', 'NO_VIRT', AER_COR),
      row(4, 'PCI_ERR_CAP', 'NO_VIRT', 'PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE'),
    ],
  );

/** init_pci_cap_msi_perm: per device, rows depend on the MSI flags. */
const MSI_PERMS = perms(
  'MSI',
  'init_pci_cap_msi_perm',
  'len',
  'vfio_msi_config_read',
  'vfio_msi_config_write',
  [
    NEXT,
    row(1, 'PCI_MSI_FLAGS', '(u8)ALL_VIRT', '(u8)ALL_WRITE'),
    row(4, 'PCI_MSI_ADDRESS_LO', 'ALL_VIRT', 'ALL_WRITE'),
    row(4, 'PCI_MSI_ADDRESS_HI', 'ALL_VIRT', 'ALL_WRITE', 'flags & PCI_MSI_FLAGS_64BIT'),
    row(2, 'PCI_MSI_DATA_64', '(u16)ALL_VIRT', '(u16)ALL_WRITE', 'flags & PCI_MSI_FLAGS_64BIT'),
    row(
      4,
      'PCI_MSI_MASK_64',
      'NO_VIRT',
      'ALL_WRITE',
      '(flags & PCI_MSI_FLAGS_64BIT) && (flags & PCI_MSI_FLAGS_MASKBIT)',
    ),
    row(
      4,
      'PCI_MSI_PENDING_64',
      'NO_VIRT',
      'ALL_WRITE',
      '(flags & PCI_MSI_FLAGS_64BIT) && (flags & PCI_MSI_FLAGS_MASKBIT)',
    ),
    row(2, 'PCI_MSI_DATA_32', '(u16)ALL_VIRT', '(u16)ALL_WRITE', '!(flags & PCI_MSI_FLAGS_64BIT)'),
    row(
      4,
      'PCI_MSI_MASK_32',
      'NO_VIRT',
      'ALL_WRITE',
      '!(flags & PCI_MSI_FLAGS_64BIT) && (flags & PCI_MSI_FLAGS_MASKBIT)',
    ),
    row(
      4,
      'PCI_MSI_PENDING_32',
      'NO_VIRT',
      'ALL_WRITE',
      '!(flags & PCI_MSI_FLAGS_64BIT) && (flags & PCI_MSI_FLAGS_MASKBIT)',
    ),
  ],
);

const NONE: Record<ConfigDecision, string | null> = Object.fromEntries(
  CONFIG_DECISIONS.map((d) => [d, null]),
) as Record<ConfigDecision, string | null>;

/** v3.6 (89e1f7d4c66d), as the v3.6 source has it. */
const V3_6: ConfigVariantSpec = {
  id: 'v3.6',
  label: 'v3.6 (vfio-pci added)',
  status: 'release',
  description:
    'Unassigned bytes read 0, map per dword, PMCSR/DEVCTL/AF_CTRL/VPD written to hardware, Interrupt Pin from hardware.',
  commits: ['89e1f7d4c66d'],
  commandKernel: 'v5.7',
  commandOverrides: {
    'restore-condition': '(new_mem && virt_mem && !phys_mem) || (new_io && virt_io && !phys_io)',
  },
  perms: [
    perms(
      'BASIC',
      'init_pci_cap_basic_perm',
      'PCI_STD_HEADER_SIZEOF',
      'vfio_basic_config_read',
      'vfio_basic_config_write',
      BASIC_ROWS,
    ),
    perms(
      'PM',
      'init_pci_cap_pm_perm',
      'PCI_PM_SIZEOF',
      'vfio_default_config_read',
      'vfio_default_config_write',
      [NEXT, row(4, 'PCI_PM_CTRL', 'NO_VIRT', 'ALL_WRITE')],
    ),
    perms('VPD', null, null, 'vfio_direct_config_read', 'vfio_raw_config_write', []),
    perms(
      'PCIX',
      'init_pci_cap_pcix_perm',
      'PCI_CAP_PCIX_SIZEOF_V2',
      'vfio_default_config_read',
      'vfio_default_config_write',
      [
        NEXT,
        row(2, 'PCI_X_CMD', 'NO_VIRT', '(u16)ALL_WRITE'),
        row(4, 'PCI_X_ECC_CSR', 'NO_VIRT', 'ALL_WRITE'),
      ],
    ),
    perms('VNDR', null, null, 'vfio_direct_config_read', 'vfio_raw_config_write', []),
    perms(
      'EXP',
      'init_pci_cap_exp_perm',
      'PCI_CAP_EXP_ENDPOINT_SIZEOF_V2',
      'vfio_default_config_read',
      'vfio_default_config_write',
      [
        NEXT,
        row(2, 'PCI_EXP_DEVCTL', 'NO_VIRT', '~PCI_EXP_DEVCTL_PHANTOM'),
        row(2, 'PCI_EXP_DEVCTL2', 'NO_VIRT', '~PCI_EXP_DEVCTL2_ARI'),
      ],
    ),
    perms(
      'AF',
      'init_pci_cap_af_perm',
      'PCI_CAP_AF_SIZEOF',
      'vfio_default_config_read',
      'vfio_default_config_write',
      [NEXT, row(1, 'PCI_AF_CTRL', 'NO_VIRT', 'PCI_AF_CTRL_FLR')],
    ),
    MSI_PERMS,
    aer('PCI_ERR_UNC_TRAIN'),
    perms(
      'ext PWR',
      'init_pci_ext_cap_pwr_perm',
      'PCI_EXT_CAP_PWR_SIZEOF',
      'vfio_default_config_read',
      'vfio_default_config_write',
      [ECAP_HEADER, row(1, 'PCI_PWR_DATA', 'NO_VIRT', '(u8)ALL_WRITE')],
    ),
    perms('ext VNDR', null, null, 'vfio_direct_config_read', 'vfio_raw_config_write', []),
  ],
  capLengths: {
    0x00: 'PCI_STD_HEADER_SIZEOF',
    0x01: 'PCI_PM_SIZEOF',
    0x02: 'PCI_AGP_SIZEOF',
    0x03: 'PCI_CAP_VPD_SIZEOF',
    0x05: '0xFF',
    0x07: '0xFF',
    0x08: '0xFF',
    0x09: '0xFF',
    0x10: '0xFF',
    0x11: 'PCI_CAP_MSIX_SIZEOF',
    0x12: '0xFF',
    0x13: 'PCI_CAP_AF_SIZEOF',
  },
  ecapLengths: {
    0x01: 'PCI_ERR_ROOT_COMMAND',
    0x02: '0xFF',
    0x03: 'PCI_EXT_CAP_DSN_SIZEOF',
    0x04: 'PCI_EXT_CAP_PWR_SIZEOF',
    0x08: '0xFF',
    0x09: '0xFF',
    0x0b: '0xFF',
    0x0d: '0xFF',
    0x0e: 'PCI_EXT_CAP_ARI_SIZEOF',
    0x0f: 'PCI_EXT_CAP_ATS_SIZEOF',
    0x10: 'PCI_EXT_CAP_SRIOV_SIZEOF',
    0x12: 'PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF',
    0x13: 'PCI_EXT_CAP_PRI_SIZEOF',
    0x15: '0xFF',
    0x16: '0xFF',
    0x17: '0xFF',
    0x18: 'PCI_EXT_CAP_LTR_SIZEOF',
    0x1b: '0',
  },
  decisions: {
    ...NONE,
    'cap-length-known': 'cap <= PCI_CAP_ID_MAX',
    'ecap-length-known': 'ecap <= PCI_EXT_CAP_ID_MAX',
    'extended-caps': '(word & PCI_EXP_FLAGS_VERS) != 1',
    'vf-ids': 'pdev->is_virtfn',
    'msi-flags-covered': 'offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS',
    'msi-enable-forced-off': '!is_msi(vdev)',
    'msi-qsize-clamp': '(flags & PCI_MSI_FLAGS_QSIZE) >> 4 > vdev->msi_qmax',
    'ats-vf': 'pdev->is_virtfn',
    'ats-vf-stu': 'pdev->ats->stu == ps',
  },
  rules: {
    map: 'dword',
    unassigned: 'zero',
    chopAtCapability: false,
    dpaLength: 'round-up',
    capIdMax: 0x13,
    ecapIdMax: 0x1b,
  },
  pciCore: 'pre-v5.5',
};

/* The changes, one per commit (or per group the facts date together), in version order. */

/** 3.7 … 4.19: what S5.9 has and v3.6 has not, before the dated v5.x commits (commits unconfirmed). */
const TO_V4_19: VariantChange[] = [
  {
    commit: 'unconfirmed (3.7–4.19)',
    summary: 'unassigned bytes raw (be2net), byte-granular map, chop at capability boundaries',
    rules: { map: 'byte', unassigned: 'raw', chopAtCapability: true, capIdMax: 0x14, ecapIdMax: 0x1f },
    commandKernel: 'v5.7',
  },
  {
    commit: 'unconfirmed (3.7–4.19)',
    summary: 'VPD virtualized through pci_read_vpd/pci_write_vpd',
    perms: [
      perms(
        'VPD',
        'init_pci_cap_vpd_perm',
        'PCI_CAP_VPD_SIZEOF',
        'vfio_default_config_read',
        'vfio_vpd_config_write',
        [
          NEXT,
          row(2, 'PCI_VPD_ADDR', '(u16)ALL_VIRT', '(u16)ALL_WRITE'),
          row(4, 'PCI_VPD_DATA', 'ALL_VIRT', 'ALL_WRITE'),
        ],
      ),
    ],
    decisions: {
      'vpd-no-work': 'count < 0 || offset > PCI_VPD_ADDR + 1 || offset + count <= PCI_VPD_ADDR + 1',
      'vpd-write': 'addr & PCI_VPD_ADDR_F',
    },
  },
  {
    commit: 'unconfirmed (3.7–4.19)',
    summary: 'PowerState trapped: PMCSR state bits read-only, vfio_pm_config_write sets the power state',
    perms: [
      perms(
        'PM',
        'init_pci_cap_pm_perm',
        'PCI_PM_SIZEOF',
        'vfio_default_config_read',
        'vfio_pm_config_write',
        [NEXT, row(4, 'PCI_PM_CTRL', 'NO_VIRT', '~PCI_PM_CTRL_STATE_MASK')],
      ),
    ],
    decisions: { 'pm-trap': 'offset == PCI_PM_CTRL' },
  },
  {
    commit: 'unconfirmed (3.7–4.19)',
    summary:
      'PCIe FLR, MPS and MRRS virtualized (vfio_exp_config_write); RC_END lengths; extended_caps probed',
    perms: [
      perms(
        'EXP',
        'init_pci_cap_exp_perm',
        'PCI_CAP_EXP_ENDPOINT_SIZEOF_V2',
        'vfio_default_config_read',
        'vfio_exp_config_write',
        [
          NEXT,
          row(
            2,
            'PCI_EXP_DEVCTL',
            'PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_READRQ',
            '~PCI_EXP_DEVCTL_PHANTOM',
          ),
          row(2, 'PCI_EXP_DEVCTL2', 'NO_VIRT', '~PCI_EXP_DEVCTL2_ARI'),
        ],
      ),
    ],
    decisions: {
      'exp-flr': '*ctrl & cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR)',
      'exp-flr-supported': '!ret && (cap & PCI_EXP_DEVCAP_FLR)',
      'exp-readrq-changed': 'readrq != (le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ)',
      'exp-length-rc-end': 'pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END',
      'extended-caps': 'pdev->cfg_size > PCI_CFG_SPACE_SIZE && dword != 0',
    },
  },
  {
    commit: 'unconfirmed (3.7–4.19)',
    summary: 'AF FLR virtualized (vfio_af_config_write)',
    perms: [
      perms(
        'AF',
        'init_pci_cap_af_perm',
        'PCI_CAP_AF_SIZEOF',
        'vfio_default_config_read',
        'vfio_af_config_write',
        [NEXT, row(1, 'PCI_AF_CTRL', 'PCI_AF_CTRL_FLR', 'PCI_AF_CTRL_FLR')],
      ),
    ],
    decisions: {
      'af-flr': '*ctrl & PCI_AF_CTRL_FLR',
      'af-flr-supported': '!ret && (cap & PCI_AF_CAP_FLR) && (cap & PCI_AF_CAP_TP)',
    },
  },
  {
    commit: '450744051d20? (unconfirmed)',
    summary: 'Interrupt Pin virtualized read-only; 0 without CONFIG_VFIO_PCI_INTX or for nointx',
    perms: [
      perms(
        'BASIC',
        'init_pci_cap_basic_perm',
        'PCI_STD_HEADER_SIZEOF',
        'vfio_basic_config_read',
        'vfio_basic_config_write',
        [...BASIC_ROWS, row(1, 'PCI_INTERRUPT_PIN', '(u8)ALL_VIRT', '(u8)NO_WRITE')],
      ),
    ],
    decisions: { 'pin-zero': '!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx' },
  },
  {
    commit: 'unconfirmed (3.7–4.19)',
    summary: 'shadow ROM sized as 128 KiB; DPA length exact; AER bit 0 named PCI_ERR_UNC_UND',
    decisions: { 'rom-shadow': 'pdev->resource[PCI_ROM_RESOURCE].flags & IORESOURCE_ROM_SHADOW' },
    rules: { dpaLength: 'exact' },
    perms: [aer('PCI_ERR_UNC_UND')],
  },
];

interface Row {
  id: string;
  label: string;
  status?: 'release' | 'proposal';
  description: string;
  base: string;
  changes: VariantChange[];
}

const ROWS: Row[] = [
  {
    id: 'v4.19',
    label: 'v4.19',
    description: 'The 3.7–4.19 virtualization work (see the changes).',
    base: 'v3.6',
    changes: TO_V4_19,
  },
  {
    id: 'v5.7',
    label: 'v5.7',
    description: 'VF Interrupt Pin forced 0 (db04264fe9bc, v5.4); no MMIO blocking yet.',
    base: 'v4.19',
    changes: [
      {
        commit: 'db04264fe9bc',
        summary: 'VF Interrupt Pin forced 0',
        decisions: { 'vf-pin-zero': 'pdev->is_virtfn' },
      },
      {
        commit: '2b0ae7cc3bfc, 9bf49e36d718 (PCI core, v5.5)',
        summary: 'VFs share the PF PASID and PRI',
        pciCore: 'v5.5',
        decisions: {
          'pasid-vf-shared': 'pdev->is_virtfn',
          'pasid-vf-result': 'pci_physfn(pdev)->pasid_enabled',
          'pri-vf-shared': 'pdev->is_virtfn',
          'pri-vf-result': 'pci_physfn(pdev)->pri_enabled',
        },
      },
      {
        commit: 'unconfirmed',
        summary: 'pci_enable_ats VF test in its current form',
        decisions: { 'ats-vf-stu': 'pci_physfn(pdev)->ats_stu == ps' },
      },
    ],
  },
  {
    id: 'v5.8-rc1',
    label: 'v5.8-rc1',
    description: 'MMIO blocking (abafbc551fdd); capability ID 0 hidden (bc138db1b962).',
    base: 'v5.7',
    changes: [
      { commit: 'abafbc551fdd', summary: 'MMIO blocking on MEMORY=0', commandKernel: 'v5.8-rc1' },
      {
        commit: 'bc138db1b962',
        summary: 'cap ID 0 hidden',
        decisions: { 'cap-length-known': 'cap && cap <= PCI_CAP_ID_MAX' },
      },
    ],
  },
  {
    id: 'v5.8',
    label: 'v5.8',
    description: 'VF exemption (ebfa440ce38b); MSI perm leak fixed (3e63b94b6274, no behaviour change).',
    base: 'v5.8-rc1',
    changes: [{ commit: 'ebfa440ce38b', summary: 'is_virtfn memory-enabled', commandKernel: 'v5.8' }],
  },
  {
    id: 'v2-detached_vf',
    label: 'v2 detached_vf',
    status: 'proposal',
    description: 'Proposal (not merged) on v5.8: detached_vf marker.',
    base: 'v5.8',
    changes: [{ commit: 'proposal', summary: 'detached_vf', commandKernel: 'v2-detached_vf' }],
  },
  {
    id: 'v4-dev_flags',
    label: 'v4 dev_flags',
    status: 'proposal',
    description: 'Proposal (seed, not merged) on v5.8: PCI_DEV_FLAGS_FORCE_COMMAND_MEM.',
    base: 'v5.8',
    changes: [{ commit: 'proposal', summary: 'dev_flags bit', commandKernel: 'v4-dev_flags' }],
  },
  {
    id: 'v5.10',
    label: 'v5.10',
    description: 'no_command_memory (515ecd5368f1).',
    base: 'v5.8',
    changes: [{ commit: '515ecd5368f1', summary: 'no_command_memory', commandKernel: 'v5.10' }],
  },
  {
    id: 'v5.19',
    label: 'v5.19',
    description: 'D3hot blocks memory; PME bits virtualized and zeroed; PM_CTRL writes lock and zap.',
    base: 'v5.10',
    changes: [
      {
        commit: '2b2c651baf1c',
        summary: 'D3hot test; vfio_lock_and_set_power_state',
        commandKernel: 'v5.19',
        decisions: { 'pm-lock-zap': 'state >= PCI_D3hot' },
      },
      {
        commit: '54918c287401',
        summary: 'PME_Support, PME_En, PME_Status virtual and cleared at open',
        perms: [
          perms(
            'PM',
            'init_pci_cap_pm_perm',
            'PCI_PM_SIZEOF',
            'vfio_default_config_read',
            'vfio_pm_config_write',
            [
              NEXT,
              row(2, 'PCI_PM_PMC', 'PCI_PM_CAP_PME_MASK', 'NO_WRITE'),
              row(
                4,
                'PCI_PM_CTRL',
                'PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS',
                '~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS | PCI_PM_CTRL_STATE_MASK)',
              ),
            ],
          ),
        ],
        decisions: { 'pm-vconfig-clear': 'cap == PCI_CAP_ID_PM' },
      },
    ],
  },
  {
    id: 'v6.4',
    label: 'v6.4',
    description: 'DVSEC visible with raw writes; is_msi() open-coded (v6.1, no behaviour change).',
    base: 'v5.19',
    changes: [
      {
        commit: 'unconfirmed (v6.1)',
        summary: 'is_msi() open-coded',
        decisions: { 'msi-enable-forced-off': 'vdev->irq_type != VFIO_PCI_MSI_IRQ_INDEX' },
      },
      {
        commit: '6467d0740a2b? (unconfirmed)',
        summary: 'DVSEC exposed',
        ecapLengths: { 0x23: '0xFF' },
        perms: [perms('ext DVSEC', null, null, 'vfio_direct_config_read', 'vfio_raw_config_write', [])],
        rules: { ecapIdMax: 0x23 },
      },
    ],
  },
  {
    id: 'v6.13',
    label: 'v6.13',
    description: 'Unknown first-in-list ecap uses direct_ro_perms (fe4bf8d0b671).',
    base: 'v6.4',
    changes: [
      {
        commit: 'fe4bf8d0b671',
        summary: 'direct_ro_perms',
        decisions: { 'ecap-unknown-perms': 'cap_id > PCI_EXT_CAP_ID_MAX' },
      },
    ],
  },
  {
    id: 'v6.14',
    label: 'v6.14',
    description: 'Shadow-ROM branch removed; platform ROM sized at the ROM BAR.',
    base: 'v6.13',
    changes: [
      {
        commit: 'c5a8b5d740ef (unconfirmed)',
        summary: 'shadow ROM branch removed',
        decisions: { 'rom-shadow': null },
      },
      {
        commit: 'e021e6cbfb5a (unconfirmed)',
        summary: 'platform ROM',
        decisions: { 'rom-platform': 'pdev->rom && pdev->romlen' },
      },
    ],
  },
  {
    id: 'v6.15-rc1',
    label: 'v6.15-rc1',
    description: 'Interrupt Pin 0 for IRQ_NOTCONNECTED (860be250fc32).',
    base: 'v6.14',
    changes: [
      {
        commit: '860be250fc32',
        summary: 'IRQ_NOTCONNECTED',
        decisions: {
          'pin-zero':
            '!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx || vdev->pdev->irq == IRQ_NOTCONNECTED',
        },
      },
    ],
  },
  {
    id: 'v6.15',
    label: 'v6.15',
    description: 'Interrupt Pin 0 also when pdev->irq is 0 (2bd42b03ab6b).',
    base: 'v6.15-rc1',
    changes: [
      {
        commit: '2bd42b03ab6b',
        summary: 'no IRQ',
        decisions: {
          'pin-zero':
            '!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx || !vdev->pdev->irq || vdev->pdev->irq == IRQ_NOTCONNECTED',
        },
      },
    ],
  },
  {
    id: 'mainline',
    label: 'mainline',
    description: 'Today: as v6.15 in everything the facts record.',
    base: 'v6.15',
    changes: [],
  },
  {
    id: 'pasid-expose',
    label: 'PASID exposure proposal',
    status: 'proposal',
    description:
      "Proposal (not merged, 'vfio/pci: Expose PCIe PASID capability to guest'): PASID length 8, read-only.",
    base: 'mainline',
    changes: [
      { commit: 'proposal', summary: 'PASID length 8', ecapLengths: { 0x1b: 'PCI_EXT_CAP_PASID_SIZEOF' } },
    ],
  },
];

function apply(base: ConfigVariantSpec, r: Row): ConfigVariantSpec {
  let v: ConfigVariantSpec = {
    ...base,
    id: r.id,
    label: r.label,
    status: r.status ?? 'release',
    description: r.description,
    commits: [],
  };
  for (const c of r.changes) {
    const replaced = new Set([...(c.perms ?? []).map((p) => p.cap), ...(c.removePerms ?? [])]);
    v = {
      ...v,
      commits: [...v.commits, c.commit],
      perms: [...v.perms.filter((p) => !replaced.has(p.cap)), ...(c.perms ?? [])],
      capLengths: { ...v.capLengths, ...c.capLengths },
      ecapLengths: { ...v.ecapLengths, ...c.ecapLengths },
      decisions: { ...v.decisions, ...c.decisions },
      rules: { ...v.rules, ...c.rules },
      pciCore: c.pciCore ?? v.pciCore,
      commandKernel: c.commandKernel ?? v.commandKernel,
      commandOverrides: c.commandKernel ? c.commandOverrides : (c.commandOverrides ?? v.commandOverrides),
    };
  }
  return v;
}

function build(): ConfigVariantSpec[] {
  const out: ConfigVariantSpec[] = [V3_6];
  for (const r of ROWS) {
    const base = out.find((v) => v.id === r.base);
    if (!base) throw new Error(`variant ${r.id}: no base ${r.base}`);
    out.push(apply(base, r));
  }
  return out;
}

export const CONFIG_VARIANTS: readonly ConfigVariantSpec[] = build();
export const CONFIG_VARIANT_IDS: readonly string[] = CONFIG_VARIANTS.map((v) => v.id);
/** The changes of each derived row, for hovers and the report of what a version changed. */
export const VARIANT_CHANGES: Readonly<Record<string, VariantChange[]>> = Object.fromEntries(
  ROWS.map((r) => [r.id, r.changes]),
);

export function configVariant(id: string): ConfigVariantSpec | undefined {
  return CONFIG_VARIANTS.find((v) => v.id === id);
}
