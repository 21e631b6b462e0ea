/**
 * What the zPCI reader knows about the files and functions it reads, as tables: which function
 * holds which part of the model (an instruction body, the plug checks, CLP, the PCI group, the
 * host's syscalls), which calls touch memory (and which argument is the address and the size),
 * which calls only trace, which functions the model computes itself, and which locals it defines.
 */
import type { AccessEffect, ZpciInstruction } from '../../model/zpci';

export type FunctionRole =
  | { role: 'instruction'; instruction: ZpciInstruction }
  | { role: 'clp' }
  | { role: 'plug' }
  | { role: 'group' }
  | { role: 'base' }
  | { role: 'model-function'; computes: string }
  | { role: 'host-mmio'; op: 'write' | 'read' }
  | { role: 'host-caps' }
  | { role: 'unmodelled' };

export const FUNCTION_ROLES: Readonly<Record<string, FunctionRole>> = {
  pcilg_service_call: { role: 'instruction', instruction: 'pcilg' },
  pcistg_service_call: { role: 'instruction', instruction: 'pcistg' },
  pcistb_service_call: { role: 'instruction', instruction: 'pcistb' },
  clp_service_call: { role: 'clp' },
  s390_pcihost_plug: { role: 'plug' },
  s390_pci_read_group: { role: 'group' },
  s390_pci_read_base: { role: 'base' },
  zpci_endian_swap: { role: 'model-function', computes: '0 for lengths 1, 2, 4 and 8, else -EINVAL' },
  s390_pci_msix_init: {
    role: 'model-function',
    computes: "0 when the device has an MSI-X capability, else -1 (the device kind's hasMsix)",
  },
  s390_pci_kvm_interp_allowed: {
    role: 'model-function',
    computes: 'true when the device kind can be interpreted and the host kernel has KVM zPCI interpretation',
  },
  s390_pci_mmio_write: { role: 'host-mmio', op: 'write' },
  s390_pci_mmio_read: { role: 'host-mmio', op: 'read' },
  zpci_group_cap: { role: 'host-caps' },
  vfio_pci_info_zdev_add_caps: { role: 'host-caps' },
};

export function functionRole(name: string): FunctionRole {
  return Object.prototype.hasOwnProperty.call(FUNCTION_ROLES, name)
    ? FUNCTION_ROLES[name]
    : { role: 'unmodelled' };
}

export type FileKind = 'qemu-c' | 'qemu-header' | 'kernel-zdev' | 'kernel-mmio' | 'kernel-uapi' | 'outside';

/** The files the reader covers (QEMU's s390x PCI code and headers, the kernel's zPCI vfio and mmio code). */
export function fileKind(path: string): FileKind {
  const p = path.replace(/^[ab]\//, '');
  if (/^hw\/s390x\/s390-pci-[\w-]+\.c$/.test(p)) return 'qemu-c';
  if (/^(include\/)?hw\/s390x\/s390-pci-[\w-]+\.h$/.test(p)) return 'qemu-header';
  if (p === 'drivers/vfio/pci/vfio_pci_zdev.c') return 'kernel-zdev';
  if (p === 'arch/s390/pci/pci_mmio.c') return 'kernel-mmio';
  if (/(^|\/)linux\/vfio_zdev\.h$/.test(p)) return 'kernel-uapi';
  return 'outside';
}

export interface AccessCallee {
  effect: AccessEffect;
  /** Argument index of the address within the BAR (none for config space and guest memory). */
  addr?: number;
  /** Argument index of the size. */
  size: number;
}

/** Calls that touch memory in the instruction bodies. */
export const ACCESS_CALLEES: Readonly<Record<string, AccessCallee>> = {
  io_mem_read: { effect: 'bar-load', addr: 1, size: 3 },
  io_mem_write: { effect: 'bar-store', addr: 1, size: 3 },
  memory_region_dispatch_read: { effect: 'bar-load', addr: 1, size: 3 },
  memory_region_dispatch_write: { effect: 'bar-store', addr: 1, size: 3 },
  zpci_read_bar: { effect: 'bar-load', addr: 2, size: 4 },
  zpci_write_bar: { effect: 'bar-store', addr: 2, size: 4 },
  pci_host_config_read_common: { effect: 'config-load', size: 3 },
  pci_host_config_write_common: { effect: 'config-store', size: 4 },
  s390_cpu_virt_mem_read: { effect: 'guest-read', size: 4 },
};

/** `pbdev->ops.pcistb(...)` (the RFC's zPCI I/O region path) is a block store to the device. */
export const REGION_CALL = /^pbdev->ops\.pcistb$/;

/** MemOp sizes QEMU writes for an access size (size_memop(len) | MO_BE is the length itself). */
export const MEMOP_SIZES: Readonly<Record<string, string>> = {
  MO_8: '1',
  MO_16: '2',
  MO_32: '4',
  MO_64: '8',
};

/** Calls that only trace or log. */
export function isTraceCall(callee: string): boolean {
  return (
    callee === 'DPRINTF' ||
    callee.startsWith('trace_') ||
    callee === 'error_report' ||
    callee === 'warn_report' ||
    callee === 'qemu_log_mask' ||
    callee === 'zpci_dbg' ||
    callee === 'zpci_err' ||
    callee === 'zpci_err_hex' ||
    callee === 'pr_debug'
  );
}

/** Locals the model defines itself in an instruction (their assignment changes nothing it reads). */
export const MODEL_LOCALS: ReadonlySet<string> = new Set([
  'fh',
  'offset',
  'data',
  'gaddr',
  'mr',
  'i',
  'env',
  'pbdev',
  'result',
  'cc',
  'ret',
  'rc',
]);

/** Calls whose result a local of the model stands for (`pbdev = s390_pci_find_dev_by_fh(...)`). */
export const MODEL_LOCAL_CALLS: ReadonlySet<string> = new Set(['s390_pci_find_dev_by_fh', 's390_get_phb']);

/** QEMU's labels whose code the reader may not see in the hunk (goto specification_error). */
export const KNOWN_LABELS: Readonly<Record<string, { pgm: 'PGM_SPECIFICATION' }>> = {
  specification_error: { pgm: 'PGM_SPECIFICATION' },
};

/** Functions the model computes when a condition calls them (model/zpci/scope.ts). */
export const MODEL_COMPUTED_CALLS: ReadonlySet<string> = new Set([
  'memory_region_access_valid',
  'zpci_endian_swap',
  's390_pci_msix_init',
  's390_pci_kvm_interp_allowed',
  'object_dynamic_cast',
  's390_pci_get_zpci_io_region',
]);

/**
 * A call in a condition that hands a function the address of something (`&pbdev->fh`) and is not
 * one the model computes: it writes state the model does not follow. Returns the call, or null.
 */
export function writingCall(condition: string): string | null {
  const re = /\b([A-Za-z_]\w*)\s*\(([^()]*)\)/g;
  for (let m = re.exec(condition), n = 0; m && n < 64; m = re.exec(condition), n++)
    if (/(^|,)\s*&/.test(m[2]) && !MODEL_COMPUTED_CALLS.has(m[1])) return `${m[1]}(${m[2].trim()})`;
  return null;
}
