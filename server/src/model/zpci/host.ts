/**
 * The host kernel the QEMU model sits on (domain doc §5, §7; z16): what vfio-pci reports in
 * VFIO_DEVICE_GET_INFO's zPCI GROUP capability (maxstbl, imaxstbl, the RFC's relaxed flag),
 * whether KVM can interpret zPCI instructions, and how QEMU's accesses to a vfio BAR region reach
 * the device (vfio-pci core's split into 8/4/2/1-byte stores, the 2026 ism-vfio-pci write() rule,
 * the RFC's zPCI I/O region). s390_pci_mmio_write/read are in mmio.ts.
 */
import type { Expr } from '../types';
import { ZPCI_PFT_ISM } from './constants';
import { ZpciScope, firstHolding } from './evaluation';
import type { CompiledHostCheck, HostCheck, MmioRequest, MmioResult } from './mmio';
import { mmioChecks, runMmio } from './mmio';
import type { HostDelivery, HostKernelId, ZpciDeviceKind, ZpciExplanation } from './types';

/** The s390_pci_mmio_write/read code of a kernel (arch/s390/pci/pci_mmio.c). */
export interface MmioForm {
  /** get_pfn (find_vma, follow_pfn) or the VMA validation before follow_pte. */
  form: 'get_pfn' | 'vma-validated';
  /** The MIO branch (f058599e22d5, v5.8-rc1 inferred). */
  mioPath: boolean;
  /** zpci_get_max_write_size (power of two both addresses are aligned to) or zpci_get_max_io_size (80df7d6af7f6). */
  chunking: 'power-of-two' | 'max-io-size';
  /** The VMA flag s390_pci_mmio_read requires. */
  readNeeds: 'VM_READ' | 'VM_WRITE';
  /** A missing page-table entry is faulted in and the lookup retried (aa9f168d55dc). */
  faultRetry: boolean;
}

export interface HostKernelSpec {
  /** A HostKernelId for the built-ins; a host derived from a patch has its own id. */
  id: HostKernelId | (string & {});
  label: string;
  description: string;
  commits: string[];
  proposal?: boolean;
  /** VFIO_DEVICE_GET_INFO zPCI BASE/GROUP/UTIL/PFIP caps (e6b817d4b821, v5.10-rc1). */
  zdevCaps: boolean;
  /** GROUP cap version 2 with imaxstbl (ba6090ff8ae0, v6.0-rc1 inferred). */
  imaxstbl: boolean;
  /** KVM zPCI interpretation (kvm-s390-pci-5.20, v6.0). */
  kvmInterpretation: boolean;
  /** Kernel RFC 2/4: VFIO_DEVICE_INFO_ZPCI_FLAG_RELAXED for functions with relaxed alignment. */
  relaxedFlag: boolean;
  /** Kernel RFC 4/4: the vfio zPCI I/O region (VFIO_REGION_SUBTYPE_IBM_ZPCI_IO) for ISM. */
  zpciIoRegion: boolean;
  /** The ism-vfio-pci variant driver is bound to ISM functions (queued 2026-04-01; id unconfirmed). */
  ismVariantDriver: boolean;
  mmio: MmioForm;
}

const MMIO_V57: MmioForm = {
  form: 'get_pfn',
  mioPath: false,
  chunking: 'power-of-two',
  readNeeds: 'VM_READ',
  faultRetry: false,
};
const MMIO_V58: MmioForm = { ...MMIO_V57, mioPath: true };
/** The form read at gregkh/linux 4be8065eace7 before 80df7d6af7f6 (VMA validation: v5.12, inferred). */
const MMIO_V60: MmioForm = { ...MMIO_V58, form: 'vma-validated', readNeeds: 'VM_WRITE' };
const MMIO_V68: MmioForm = { ...MMIO_V60, chunking: 'max-io-size' };
const MMIO_V615: MmioForm = { ...MMIO_V68, readNeeds: 'VM_READ', faultRetry: true };

const NONE = {
  zdevCaps: false,
  imaxstbl: false,
  kvmInterpretation: false,
  relaxedFlag: false,
  zpciIoRegion: false,
  ismVariantDriver: false,
};

export const HOST_KERNELS: readonly HostKernelSpec[] = [
  {
    id: 'host-v5.7',
    label: 'host v5.7',
    description: 's390_pci_mmio_* without the MIO path (broken on MIO machines); no vfio zPCI caps.',
    commits: [],
    ...NONE,
    mmio: MMIO_V57,
  },
  {
    id: 'host-v5.8',
    label: 'host v5.8 (f058599e22d5: MIO path)',
    description: 's390_pci_mmio_* use PCISTB/PCISTG/PCILG_MIO on the user mapping on MIO machines.',
    commits: ['f058599e22d5'],
    ...NONE,
    mmio: MMIO_V58,
  },
  {
    id: 'host-v5.10',
    label: 'host v5.10 (e6b817d4b821: vfio zPCI caps)',
    description: 'VFIO_DEVICE_GET_INFO carries the zPCI caps; GROUP.maxstbl is ZPCI_MAX_WRITE_SIZE (128).',
    commits: ['e6b817d4b821'],
    ...NONE,
    zdevCaps: true,
    mmio: MMIO_V58,
  },
  {
    id: 'host-v6.0',
    label: 'host v6.0 (ba6090ff8ae0, KVM zPCI interpretation)',
    description: 'GROUP cap version 2 with imaxstbl; KVM can interpret zPCI load/store for a guest.',
    commits: ['ba6090ff8ae0'],
    ...NONE,
    zdevCaps: true,
    imaxstbl: true,
    kvmInterpretation: true,
    mmio: MMIO_V60,
  },
  {
    id: 'host-v6.8',
    label: 'host v6.8 (80df7d6af7f6: zpci_get_max_io_size)',
    description: 'Block stores up to 128 bytes whenever both addresses and the size are 8-aligned.',
    commits: ['80df7d6af7f6'],
    ...NONE,
    zdevCaps: true,
    imaxstbl: true,
    kvmInterpretation: true,
    mmio: MMIO_V68,
  },
  {
    id: 'host-v6.15',
    label: 'host v6.15 (aa9f168d55dc)',
    description: 's390_pci_mmio_* fault the mapping in and retry; read requires VM_READ.',
    commits: ['aa9f168d55dc'],
    ...NONE,
    zdevCaps: true,
    imaxstbl: true,
    kvmInterpretation: true,
    mmio: MMIO_V615,
  },
  {
    id: 'host-ism_vfio',
    label: 'host with ism-vfio-pci (2026, queued)',
    description:
      "'vfio/ism: Implement vfio_pci driver for ISM devices': write() of N bytes is one non-MIO PCISTB.",
    commits: [],
    proposal: true,
    ...NONE,
    zdevCaps: true,
    imaxstbl: true,
    kvmInterpretation: true,
    ismVariantDriver: true,
    mmio: MMIO_V615,
  },
  {
    id: 'host-rfc-zpci_io',
    label: 'host with the 2020-12 kernel RFC (relaxed flag, zPCI I/O region; not merged)',
    description:
      'v5.10 plus the RFC: relaxed functions (ISM) report VFIO_DEVICE_INFO_ZPCI_FLAG_RELAXED and get the zPCI I/O region.',
    commits: [],
    proposal: true,
    ...NONE,
    zdevCaps: true,
    relaxedFlag: true,
    zpciIoRegion: true,
    mmio: MMIO_V58,
  },
];

/** The host the model assumes when none is named: the newest upstream release modelled. */
export const DEFAULT_HOST: HostKernelId = 'host-v6.15';

export function hostKernel(id: string): HostKernelSpec | undefined {
  return HOST_KERNELS.find((h) => h.id === id);
}

/** ZPCI_MAX_WRITE_SIZE: what vfio-pci's GROUP cap reports as maxstbl (e6b817d4b821). */
export const ZPCI_MAX_WRITE_SIZE = 128;

/** What VFIO_DEVICE_GET_INFO's zPCI GROUP capability says about a function. */
export interface ZdevGroupInfo {
  present: boolean;
  maxstbl: number;
  /** Cap version 2 only. */
  imaxstbl?: number;
  version: number;
  relaxed: boolean;
  /** The zPCI I/O region is offered (kernel RFC), with its maximum block. */
  ioRegion?: { max: number };
}

export function zdevGroupInfo(host: HostKernelSpec, device: ZpciDeviceKind): ZdevGroupInfo {
  if (device.backend !== 'vfio' || !host.zdevCaps)
    return { present: false, maxstbl: 0, version: 0, relaxed: false };
  const relaxed = host.relaxedFlag && device.firmware.relaxedAlignment;
  const info: ZdevGroupInfo = {
    present: true,
    maxstbl: ZPCI_MAX_WRITE_SIZE,
    version: host.imaxstbl ? 2 : 1,
    relaxed,
  };
  if (host.imaxstbl) info.imaxstbl = device.firmware.imaxstbl;
  if (host.zpciIoRegion && device.pft === ZPCI_PFT_ISM) info.ioRegion = { max: device.firmware.maxstbl };
  return info;
}

/** vfio_pci_core_do_io_rw: a user access split into the largest aligned 8/4/2/1-byte pieces. */
export function vfioCoreSplit(offset: number, count: number): number[] {
  const sizes: number[] = [];
  let off = offset;
  let left = count;
  while (left > 0 && sizes.length < 8192) {
    const size =
      left >= 8 && off % 8 === 0 ? 8 : left >= 4 && off % 4 === 0 ? 4 : left >= 2 && off % 2 === 0 ? 2 : 1;
    sizes.push(size);
    off += size;
    left -= size;
  }
  return sizes;
}

const ISM_NEEDS = 'ISM needs each write as one non-MIO PCISTB';

/**
 * The ism-vfio-pci write() rule as its commit text states it (the driver's source was not read):
 * a write of `count` bytes at `pos` is refused when larger than the function's maxstbl or when it
 * crosses 4 KiB; otherwise it is one non-MIO PCISTB of `count` bytes.
 */
export const ISM_WRITE_RULE: readonly HostCheck[] = [
  { id: 'maxstbl', label: 'larger than maxstbl', condition: 'count > zdev->maxstbl', ret: '-EINVAL' },
  { id: 'boundary', label: 'crossing 4 KiB', condition: '(pos & 0xfff) + count > 0x1000', ret: '-EINVAL' },
];

/** A host kernel with its C text parsed (by the parser handed in). */
export interface CompiledHost {
  spec: HostKernelSpec;
  ismWrite: CompiledHostCheck[];
  mmio: Record<
    'write' | 'read',
    {
      before: CompiledHostCheck[];
      mio: { when: Expr; checks: CompiledHostCheck[] } | null;
      nonMio: CompiledHostCheck[];
    }
  >;
}

export function compileHost(spec: HostKernelSpec, parse: (c: string) => Expr): CompiledHost {
  const compile = (c: HostCheck): CompiledHostCheck => ({ ...c, conditionExpr: parse(c.condition) });
  const mmio = (op: 'write' | 'read') => {
    const m = mmioChecks(spec.mmio, op);
    return {
      before: m.before.map(compile),
      mio: m.mio ? { when: parse(m.mio.when), checks: m.mio.checks.map(compile) } : null,
      nonMio: m.nonMio.map(compile),
    };
  };
  return { spec, ismWrite: ISM_WRITE_RULE.map(compile), mmio: { write: mmio('write'), read: mmio('read') } };
}

/** s390_pci_mmio_write / s390_pci_mmio_read of this host on a request. */
export function hostMmio(host: CompiledHost, req: MmioRequest): MmioResult {
  return runMmio(host.spec.mmio, host.mmio[req.op], req);
}

function ismWriteCheck(host: CompiledHost, device: ZpciDeviceKind, pos: number, count: number) {
  const values: Record<string, { value: number; meaning: string }> = {
    count: { value: count, meaning: 'bytes QEMU writes in one pwrite()' },
    pos: { value: pos, meaning: 'offset within the BAR' },
    'zdev->maxstbl': { value: device.firmware.maxstbl, meaning: "the function's maxstbl (firmware)" },
  };
  return firstHolding(host.ismWrite, new ZpciScope((n) => values[n], {}, {}), 'ism-vfio-pci/write');
}

/**
 * How the host performs `count` QEMU writes of `size` bytes each (from `offset`) to a vfio BAR
 * region: the ism-vfio-pci rule for ISM when that driver is bound, else vfio-pci core's split.
 */
export function hostStores(
  host: CompiledHost,
  device: ZpciDeviceKind,
  offset: number,
  size: number,
  count: number,
): { delivery: HostDelivery; why: ZpciExplanation[] } {
  if (host.spec.ismVariantDriver && device.pft === ZPCI_PFT_ISM) {
    const r = ismWriteCheck(host, device, offset, size);
    if (r.decided)
      return {
        delivery: {
          instruction: 'none',
          size,
          count,
          mio: false,
          via: 'ism-vfio-pci write()',
          error: r.decided.ret,
          problem: r.decided.label,
        },
        why: r.why,
      };
    const d: HostDelivery = { instruction: 'PCISTB', size, count, mio: false, via: 'ism-vfio-pci write()' };
    if (count > 1)
      d.problem = `fragmented: ${count} PCISTBs of ${size} bytes instead of one of ${count * size}`;
    return { delivery: d, why: r.why };
  }
  const pieces = vfioCoreSplit(offset, size);
  const d: HostDelivery = {
    instruction: 'PCISTG',
    size: pieces[0] ?? 0,
    count: pieces.length * count,
    mio: device.mio,
    via: 'vfio-pci region write (vfio_pci_core_do_io_rw)',
  };
  if (device.needsBlockStores)
    d.problem = `${ISM_NEEDS}; the host issues ${d.count} PCISTG of ${d.size} bytes`;
  return { delivery: d, why: [] };
}

/** How the host performs one QEMU load of `size` bytes from a vfio BAR region. */
export function hostLoad(
  host: CompiledHost,
  device: ZpciDeviceKind,
  offset: number,
  size: number,
): HostDelivery {
  const pieces = vfioCoreSplit(offset, size);
  const via =
    host.spec.ismVariantDriver && device.pft === ZPCI_PFT_ISM
      ? 'ism-vfio-pci read()'
      : 'vfio-pci region read (vfio_pci_core_do_io_rw)';
  return {
    instruction: 'PCILG',
    size: pieces[0] ?? 0,
    count: pieces.length,
    mio: device.mio && !via.startsWith('ism'),
    via,
  };
}

/** The RFC's zPCI I/O region: the host re-issues the guest's block store as it was. */
export function hostRegionBlock(len: number): HostDelivery {
  return {
    instruction: 'PCISTB',
    size: len,
    count: 1,
    mio: false,
    via: 'vfio zPCI I/O region (kernel RFC 4/4)',
  };
}
