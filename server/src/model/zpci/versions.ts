/**
 * The QEMU versions as data (domain doc §2, §4, §6; checked against QEMU's source at every tag):
 * one row each, every instruction's body as ordered C text (bodies.ts), the plug checks, the
 * CLP enable/disable checks and the traits the C text of these three functions does not carry.
 * A version built from a patch's post-image is a row like these (see README.md).
 */
import { check, loadStoreBody, storeBlockBody } from './bodies';
import type {
  CheckNode,
  DecodeSpec,
  PlugCheck,
  ZpciInstruction,
  ZpciVersionSpec,
  ZpciVersionTraits,
} from './types';

const LOAD_STORE_DECODE: DecodeSpec = { len: 'env->regs[r2] & 0xf', pcias: '(env->regs[r2] >> 16) & 0xf' };
const decode = (pcistbLen: string): Record<ZpciInstruction, DecodeSpec> => ({
  pcilg: LOAD_STORE_DECODE,
  pcistg: LOAD_STORE_DECODE,
  pcistb: { len: pcistbLen, pcias: '(env->regs[r1] >> 16) & 0xf' },
});
const LEN_8_BITS = 'env->regs[r1] & 0xff';
const LEN_13_BITS = 'env->regs[r1] & 0x1fff';

const CLP_LOOKUP = check('lookup', 'no function for fh', '!pbdev', { clp: 'CLP_RC_SETPCIFN_FH' });
const CLP_V23 = { enable: [CLP_LOOKUP], disable: [CLP_LOOKUP] };
/** bd4976838d (v2.7.0): enabling an enabled function, or disabling a disabled one, is refused. */
const CLP_V27: { enable: CheckNode[]; disable: CheckNode[] } = {
  enable: [
    CLP_LOOKUP,
    check('already-enabled', 'already enabled', 'pbdev->fh & FH_MASK_ENABLE', {
      clp: 'CLP_RC_SETPCIFN_FHOP',
    }),
  ],
  disable: [
    CLP_LOOKUP,
    check('not-enabled', 'not enabled', '!(pbdev->fh & FH_MASK_ENABLE)', { clp: 'CLP_RC_SETPCIFN_FHOP' }),
  ],
};

export const MSIX_MESSAGE = 'MSI-X support is mandatory in the S390 architecture';
const fence = (condition: string, guard?: string): PlugCheck =>
  guard
    ? { id: 'msix-fence', label: 'no MSI-X capability', condition, guard, message: MSIX_MESSAGE }
    : { id: 'msix-fence', label: 'no MSI-X capability', condition, message: MSIX_MESSAGE };

const TRAITS_V23: ZpciVersionTraits = {
  stateModel: 'blocked-flag',
  fhShmBits: false,
  functionReset: false,
  clpMaxstbl: 'reserved',
  groupMaxstbl: 'none',
  defaultGroupId: 0x20,
  simulatedGroups: false,
  relaxedFromHost: false,
  vfioRegionSizes: false,
  accessValidChecksSize: false,
  ioRegion: false,
  ismReset: false,
};

type Row = Omit<ZpciVersionSpec, 'traits'> & { traits: ZpciVersionTraits };

function derive(
  base: Row,
  change: Partial<Omit<Row, 'traits'>> & { traits?: Partial<ZpciVersionTraits> },
): Row {
  return { ...base, ...change, traits: { ...base.traits, ...change.traits } };
}

const V23: Row = {
  id: 'v2.3',
  label: 'v2.3 (first zPCI support)',
  description:
    'PCISTB checks PCIAS first and only lengths 16/32/64/128, before the handle; no fh enable test; ' +
    'a bad target range is an addressing exception; access results ignored.',
  commits: ['863f6f52b7'],
  decode: decode(LEN_8_BITS),
  instructions: {
    pcilg: loadStoreBody(false, { handle: 'v2.3', lengths: 'v2.3', resultChecked: false, barCall: 'io_mem' }),
    pcistg: loadStoreBody(true, { handle: 'v2.3', lengths: 'v2.3', resultChecked: false, barCall: 'io_mem' }),
    pcistb: storeBlockBody({
      handle: 'v2.3',
      checks: 'v2.3',
      range: 'whole-addressing',
      writeResultChecked: false,
    }),
  },
  plug: { interpretation: null, checks: [] },
  clp: CLP_V23,
  traits: TRAITS_V23,
};

const V26 = derive(V23, {
  id: 'v2.6',
  label: 'v2.6 (3be5c2078bcf: disabled functions rejected)',
  description: 'An instruction naming a function whose fh is not enabled gets cc 3.',
  commits: ['3be5c2078bcf'],
  instructions: {
    pcilg: loadStoreBody(false, {
      handle: 'v2.6',
      lengths: 'v2.3',
      resultChecked: false,
      barCall: 'dispatch',
    }),
    pcistg: loadStoreBody(true, {
      handle: 'v2.6',
      lengths: 'v2.3',
      resultChecked: false,
      barCall: 'dispatch',
    }),
    pcistb: storeBlockBody({
      handle: 'v2.6',
      checks: 'v2.3',
      range: 'whole-addressing',
      writeResultChecked: false,
    }),
  },
});

const V27 = derive(V26, {
  id: 'v2.7',
  label: 'v2.7 (5d1abf234462: function states)',
  description:
    'Function states: reserved/standby/disabled/permanent error give cc 3, error cc 1 + status 12; ' +
    'FH_SHM bits; CLP refuses enabling an enabled function; a reset disables the function.',
  commits: ['5d1abf234462', 'c188e30315', 'bd4976838d'],
  instructions: {
    pcilg: loadStoreBody(false, {
      handle: 'v2.7',
      lengths: 'v2.3',
      resultChecked: false,
      barCall: 'dispatch',
    }),
    pcistg: loadStoreBody(true, {
      handle: 'v2.7',
      lengths: 'v2.3',
      resultChecked: false,
      barCall: 'dispatch',
    }),
    pcistb: storeBlockBody({
      handle: 'v2.7',
      checks: 'v2.3',
      range: 'whole-addressing',
      writeResultChecked: false,
    }),
  },
  clp: CLP_V27,
  traits: { stateModel: 'function-states', fhShmBits: true, functionReset: true },
});

const V28 = derive(V27, {
  id: 'v2.8',
  label: 'v2.8 (88ee13c7b656: access results checked)',
  description:
    'A failing BAR access is an operand exception; a bad PCISTB target range too (was addressing).',
  commits: ['88ee13c7b656'],
  instructions: {
    pcilg: loadStoreBody(false, {
      handle: 'v2.7',
      lengths: 'v2.3',
      resultChecked: true,
      barCall: 'dispatch',
    }),
    pcistg: loadStoreBody(true, {
      handle: 'v2.7',
      lengths: 'v2.3',
      resultChecked: true,
      barCall: 'dispatch',
    }),
    pcistb: storeBlockBody({
      handle: 'v2.7',
      checks: 'v2.3',
      range: 'whole-operand',
      writeResultChecked: true,
    }),
  },
});

const V29 = derive(V28, {
  id: 'v2.9',
  label: 'v2.9 (857cc71985dc: MSI-X fence)',
  description: 'A device without MSI-X capability cannot be plugged.',
  commits: ['857cc71985dc'],
  plug: { interpretation: null, checks: [fence('s390_pci_msix_init(pbdev)')] },
});

const V212 = derive(V29, {
  id: 'v2.12',
  label: 'v2.12 (7645b9a79474, 8cbd6aab9579, 0e7c259adff7: the rework)',
  description:
    'fh enable bit checked first; length 0 rejected; PCISTB lengths 8 < len <= maxstbl, multiples of 8, ' +
    'aligned, inside 4K, gaddr aligned. maxstbl is pbdev->maxstbl, which nothing assigns (0) while ' +
    'CLP reports 128. (vfio_region_ops got access sizes 1..8 in v2.10, 15126cba86.)',
  commits: ['7645b9a79474', '8cbd6aab9579', '0e7c259adff7', '4f6482bfe3da', '15126cba86'],
  instructions: {
    pcilg: loadStoreBody(false, {
      handle: 'v2.12',
      lengths: 'v2.12',
      resultChecked: true,
      barCall: 'zpci_bar',
    }),
    pcistg: loadStoreBody(true, {
      handle: 'v2.12',
      lengths: 'v2.12',
      resultChecked: true,
      barCall: 'zpci_bar',
    }),
    pcistb: storeBlockBody({
      handle: 'v2.12',
      checks: 'v2.12',
      range: 'whole-operand',
      writeResultChecked: true,
    }),
  },
  traits: { clpMaxstbl: 'constant-128', pbdevMaxstbl: 0, vfioRegionSizes: true },
});

const GROUP_MAXSTBL = 'pbdev->pci_group->zpci_group.maxstbl';
const V52 = derive(V212, {
  id: 'v5.2',
  label: 'v5.2 (28dc86a07299, 1e7552ff5c34: PCI groups from the host)',
  description:
    "maxstbl from the function's PCI group (host GROUP.maxstbl for vfio, 128 by default). " +
    'memory_region_access_valid rejects sizes above 8 for vfio BARs since v5.1 (5d971f9e67).',
  commits: ['28dc86a07299', '1e7552ff5c34', '5d971f9e67'],
  instructions: {
    ...V212.instructions,
    pcistb: storeBlockBody({
      handle: 'v2.12',
      checks: 'v2.12',
      maxstbl: GROUP_MAXSTBL,
      range: 'whole-operand-attrs',
      writeResultChecked: true,
    }),
  },
  traits: {
    clpMaxstbl: 'group',
    groupMaxstbl: 'host-group',
    pbdevMaxstbl: undefined,
    accessValidChecksSize: true,
  },
});

const PCISTB_V60 = storeBlockBody({
  handle: 'v2.12',
  checks: 'v2.12',
  maxstbl: GROUP_MAXSTBL,
  range: 'per-8',
  writeResultChecked: true,
});
const V60 = derive(V52, {
  id: 'v6.0',
  label: 'v6.0 (704d7a2304d8, b3834073dad1: PCISTB length and range)',
  description: 'The PCISTB length is read with 13 bits; the target range is validated per 8-byte piece.',
  commits: ['704d7a2304d8', 'b3834073dad1'],
  decode: decode(LEN_13_BITS),
  instructions: { ...V52.instructions, pcistb: PCISTB_V60 },
});

const V72 = derive(V60, {
  id: 'v7.2',
  label: 'v7.2 (dd1d5fd9684b, 15d0e7942d3b: interpretation)',
  description:
    'vfio devices are interpreted when KVM allows it (interpret=on): their instructions never reach ' +
    'QEMU, and the MSI-X fence spares them. Intercepted vfio devices get simulated groups (>= 0xF0); ' +
    'interpreted groups report imaxstbl. The default group is 0xFF since v7.0 (b2892a2b9d45).',
  commits: ['dd1d5fd9684b', '15d0e7942d3b', '30dcf4f7fd23', '9ee8f7e46a7d', 'b2892a2b9d45'],
  plug: {
    interpretation: 'pbdev->interp && s390_pci_kvm_interp_allowed()',
    checks: [fence('s390_pci_msix_init(pbdev) && !pbdev->interp')],
  },
  traits: { groupMaxstbl: 'host-group-imaxstbl', simulatedGroups: true, defaultGroupId: 0xff },
});

const V80 = derive(V72, {
  id: 'v8.0',
  label: 'v8.0 (03451953c79e: ISM reset)',
  description: 'Interpreted ISM devices are reset on system reset and shutdown.',
  commits: ['03451953c79e'],
  traits: { ismReset: true },
});

const LATEST = derive(V80, {
  id: 'latest',
  label: 'latest (qemu/qemu 001cb79d89af)',
  description:
    'qemu/qemu as stored in the index (a late-2024 development state; release unconfirmed): the ' +
    'checks and the fence of v8.0 (only DPRINTF -> trace_*; relaxed translation in reg_ioat).',
  commits: ['001cb79d89af'],
});

const RFC_FENCE = derive(V52, {
  id: 'rfc-msix_fence',
  label: 'RFC 2/8 on v5.2 (MSI-X fence for emulated devices only; not merged)',
  description:
    "'s390x/pci: MSI-X isn't strictly required for passthrough' (2020-12): vfio devices plug without MSI-X.",
  commits: [],
  proposal: true,
  plug: {
    interpretation: null,
    checks: [fence('s390_pci_msix_init(pbdev)', '!object_dynamic_cast(OBJECT(dev), "vfio-pci")')],
  },
});

const RFC_ISM = derive(RFC_FENCE, {
  id: 'rfc-ism',
  label: 'the ISM RFC on v5.2 (seed 004, 2020-12; not merged)',
  description:
    'RFC 2/8 fence lift, 3/8 13-bit PCISTB length, 5/8 per-8-byte range, 6/8 relaxed alignment ' +
    '(group fr & 0x8 skips the offset, length and gaddr checks), 7/8 PCISTB through the vfio zPCI I/O ' +
    'region (mandatory for relaxed functions). PCILG through the region (8/8) is not modelled.',
  decode: decode(LEN_13_BITS),
  instructions: {
    ...V52.instructions,
    pcistb: storeBlockBody({
      handle: 'v2.12',
      checks: 'v2.12',
      maxstbl: GROUP_MAXSTBL,
      range: 'per-8',
      writeResultChecked: true,
      relaxedGuard: true,
      ioRegion: true,
    }),
  },
  plug: {
    interpretation: null,
    checks: [
      {
        id: 'io-region',
        label: 'relaxed function without the zPCI I/O region',
        condition: 's390_pci_get_zpci_io_region(pbdev)',
        guard: 'pbdev->pci_group->zpci_group.fr & CLP_RSP_QPCIG_MASK_RELAXED',
        message: 'vfio zPCI I/O region support is mandatory for %02x:%02x.%01x',
      },
      ...RFC_FENCE.plug.checks,
    ],
  },
  traits: { relaxedFromHost: true, ioRegion: true },
});

export const ZPCI_VERSION_SPECS: readonly ZpciVersionSpec[] = [
  V23,
  V26,
  V27,
  V28,
  V29,
  V212,
  V52,
  V60,
  V72,
  V80,
  LATEST,
  RFC_FENCE,
  RFC_ISM,
];

export function zpciVersionSpec(id: string): ZpciVersionSpec | undefined {
  return ZPCI_VERSION_SPECS.find((v) => v.id === id);
}
