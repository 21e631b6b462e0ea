/**
 * s390_pci_mmio_write / s390_pci_mmio_read (arch/s390/pci/pci_mmio.c; domain doc §7) per kernel
 * form: the checks in order as the kernel writes them, then the chunking of the copy
 * (zpci_get_max_write_size before 80df7d6af7f6, zpci_get_max_io_size after) and which
 * instruction each chunk uses. Read at torvalds/linux 05909cd9a0c8 (get_pfn form) and
 * gregkh/linux 4be8065eace7 (VMA-validated form).
 */
import type { Expr } from '../types';
import type { EvaluableCheck } from './evaluation';
import { ZpciScope, evaluateExpression, firstHolding } from './evaluation';
import type { MmioForm } from './host';
import type { ZpciExplanation } from './types';

export interface HostCheck {
  id: string;
  label: string;
  condition: string;
  /** What the syscall returns when the condition holds ("-EINVAL", "0" for a silent return). */
  ret: string;
}

const check = (id: string, label: string, condition: string, ret: string): HostCheck => ({
  id,
  label,
  condition,
  ret,
});

/** The checks of one syscall in order; `mio` is where the MIO branch sits (after `before`). */
export interface MmioChecks {
  before: HostCheck[];
  /** The MIO branch's condition (null: no MIO branch in this kernel) and its own checks. */
  mio: { when: string; checks: HostCheck[] } | null;
  nonMio: HostCheck[];
}

export function mmioChecks(form: MmioForm, op: 'write' | 'read'): MmioChecks {
  const before = [
    check('enabled', 'zPCI not enabled', '!zpci_is_enabled()', '-ENODEV'),
    check(
      'length',
      'zero length or crossing the page',
      'length <= 0 || PAGE_SIZE - (mmio_addr & ~PAGE_MASK) < length',
      '-EINVAL',
    ),
  ];
  const mio = form.mioPath
    ? {
        when: 'static_branch_likely(&have_mio)',
        checks: op === 'write' ? [check('src', 'no user buffer', '!src', '-EINVAL')] : [],
      }
    : null;
  const need = op === 'write' ? 'VM_WRITE' : form.readNeeds;
  const lowIo =
    op === 'write' && form.form === 'vma-validated'
      ? check('io-addr', 'not a zPCI iomap address', '(unsigned long) io_addr < ZPCI_IOMAP_ADDR_BASE', '0')
      : check(
          'io-addr',
          'not a zPCI iomap address',
          '(unsigned long) io_addr < ZPCI_IOMAP_ADDR_BASE',
          '-EFAULT',
        );
  const nonMio =
    form.form === 'get_pfn'
      ? [
          check('vma', 'no VMA at the address', '!vma', '-EINVAL'),
          check('vma-access', `VMA without ${need}`, `!(vma->vm_flags & ${need})`, '-EACCES'),
          check('pfn', 'no pfn for the address', 'follow_pfn(vma, user_addr, pfn)', 'the lookup error'),
          lowIo,
        ]
      : [
          check('vma', 'no VMA at the address', '!vma', '-EINVAL'),
          check(
            'vma-kind',
            'VMA neither VM_IO nor VM_PFNMAP',
            '!(vma->vm_flags & (VM_IO | VM_PFNMAP))',
            '-EINVAL',
          ),
          check('vma-access', `VMA without ${need}`, `!(vma->vm_flags & ${need})`, '-EACCES'),
          check(
            'pte',
            'no page-table entry',
            'follow_pte(vma->vm_mm, mmio_addr, &ptep, &ptl)',
            'the lookup error',
          ),
          lowIo,
        ];
  return { before, mio, nonMio };
}

/** What the caller of the syscall has set up. */
export interface MmioRequest {
  op: 'write' | 'read';
  mmioAddr: number;
  length: number;
  /** The user buffer's address (its alignment and 4K offset matter for the chunking). */
  userBuffer: number;
  zpciEnabled?: boolean;
  haveMio?: boolean;
  /** The VMA at mmioAddr: absent, or its flags. */
  vma?: { io?: boolean; pfnmap?: boolean; read?: boolean; write?: boolean };
  /** The page-table entry exists (a mapping not yet faulted in has none). */
  ptePresent?: boolean;
  /** The translated address lies in the zPCI iomap (>= ZPCI_IOMAP_ADDR_BASE). */
  ioAddrInIomap?: boolean;
}

export interface MmioChunk {
  offset: number;
  size: number;
  instruction: string;
}

export interface MmioResult {
  ret: string;
  chunks: MmioChunk[];
  why: ZpciExplanation[];
  notes: string[];
}

const VM = { VM_READ: 0x1, VM_WRITE: 0x2, VM_PFNMAP: 0x400, VM_IO: 0x4000 };
const ZPCI_IOMAP_ADDR_BASE = 0x8000000000000000;

/** zpci_get_max_write_size: the largest power of two both addresses are aligned to, up to min(len, max). */
export function maxWriteSizePowerOfTwo(a: number, b: number, len: number, max: number): number {
  const count = Math.min(len, max);
  let size = 1;
  while (a % (size * 2) === 0 && b % (size * 2) === 0 && size * 2 <= count) size *= 2;
  return size;
}

/**
 * zpci_get_max_io_size(src, dst, len, max) as its callers pass it (io address first, memory
 * second): the 4 KiB boundary is taken of the second, memory argument (80df7d6af7f6).
 */
export function maxIoSize(io: number, mem: number, len: number, max: number): number {
  const size = Math.min(len, 0x1000 - (mem % 0x1000), max);
  if (io % 8 === 0 && mem % 8 === 0 && size % 8 === 0) return size;
  if (size >= 8) return 8;
  let p = 1;
  while (p * 2 <= size) p *= 2;
  return p;
}

function chunks(form: MmioForm, req: MmioRequest, mio: boolean): MmioChunk[] {
  const max = req.op === 'write' ? 128 : 8;
  const out: MmioChunk[] = [];
  let done = 0;
  // The non-MIO path copies through a kernel buffer (kmalloc above 64 bytes): 8-aligned, page offset 0.
  const memBase = mio ? req.userBuffer : 0;
  while (done < req.length && out.length < 4096) {
    const io = req.mmioAddr + done;
    const mem = memBase + done;
    const left = req.length - done;
    const size =
      form.chunking === 'max-io-size'
        ? maxIoSize(io, mem, left, max)
        : maxWriteSizePowerOfTwo(io, mem, left, max);
    const instruction =
      req.op === 'read'
        ? mio
          ? 'PCILG_MIO'
          : 'PCILG'
        : size > 8
          ? mio
            ? 'PCISTB_MIO'
            : 'PCISTB'
          : mio
            ? 'PCISTG_MIO'
            : 'PCISTG';
    out.push({ offset: done, size, instruction });
    done += size;
  }
  return out;
}

export type CompiledHostCheck = HostCheck & EvaluableCheck;

function scopeFor(form: MmioForm, req: MmioRequest): ZpciScope {
  // Without the MIO path, a MIO machine's user mapping translates to a MIO address, not the iomap.
  const inIomap = req.ioAddrInIomap !== false && !(req.haveMio && !form.mioPath);
  const vmaFlags = req.vma
    ? (req.vma.read ? VM.VM_READ : 0) |
      (req.vma.write ? VM.VM_WRITE : 0) |
      (req.vma.io ? VM.VM_IO : 0) |
      (req.vma.pfnmap ? VM.VM_PFNMAP : 0)
    : 0;
  const values: Record<string, { value: number; meaning: string }> = {
    length: { value: req.length, meaning: 'bytes requested' },
    mmio_addr: { value: req.mmioAddr, meaning: 'the user address of the mapped BAR' },
    user_addr: { value: req.mmioAddr, meaning: 'the user address of the mapped BAR' },
    src: { value: req.userBuffer, meaning: 'the user buffer' },
    PAGE_SIZE: { value: 0x1000, meaning: 'constant 4096' },
    PAGE_MASK: { value: ~0xfff, meaning: '~(PAGE_SIZE - 1)' },
    vma: { value: req.vma ? 1 : 0, meaning: req.vma ? 'the VMA at mmio_addr' : 'no VMA at mmio_addr' },
    'vma->vm_flags': { value: vmaFlags, meaning: 'the VMA flags' },
    io_addr: {
      value: inIomap ? ZPCI_IOMAP_ADDR_BASE : 0,
      meaning: inIomap
        ? 'an address in the zPCI iomap'
        : req.ioAddrInIomap === false
          ? 'below the zPCI iomap'
          : "a MIO mapping's address (this kernel has no MIO path)",
    },
    ZPCI_IOMAP_ADDR_BASE: { value: ZPCI_IOMAP_ADDR_BASE, meaning: 'constant 1 << 63' },
    ...Object.fromEntries(Object.entries(VM).map(([k, v]) => [k, { value: v, meaning: `constant ${v}` }])),
  };
  const missing = req.ptePresent === false && !form.faultRetry;
  const faulted = req.ptePresent === false && form.faultRetry;
  return new ZpciScope(
    (name) => values[name],
    {
      zpci_is_enabled: () => ({
        value: req.zpciEnabled === false ? 0 : 1,
        meaning: 'zPCI enabled on the host',
      }),
      static_branch_likely: () => ({
        value: req.haveMio ? 1 : 0,
        meaning: req.haveMio ? 'a MIO machine' : 'no MIO',
      }),
      follow_pfn: () => ({
        value: missing ? -22 : 0,
        meaning: missing ? 'no pfn mapped (-EINVAL)' : 'pfn found',
      }),
      follow_pte: () => ({
        value: missing ? -22 : 0,
        meaning: missing
          ? 'no page-table entry (-EINVAL)'
          : faulted
            ? 'no entry at first: fixup_user_fault() faulted it in and the lookup was retried'
            : 'entry found',
      }),
    },
    {},
  );
}

/**
 * Runs s390_pci_mmio_write or _read of one kernel on a request: the check that decided (with
 * every operand) or the chunks of the copy and the instruction of each.
 */
export function runMmio(
  form: MmioForm,
  compiled: {
    before: CompiledHostCheck[];
    mio: { when: Expr; checks: CompiledHostCheck[] } | null;
    nonMio: CompiledHostCheck[];
  },
  req: MmioRequest,
): MmioResult {
  const scope = scopeFor(form, req);
  const notes: string[] = [];
  const stop = (r: { decided?: CompiledHostCheck; why: ZpciExplanation[] }, why: ZpciExplanation[]) =>
    r.decided ? { ret: r.decided.ret, chunks: [], why: [...why, ...r.why], notes } : undefined;
  const first = firstHolding(compiled.before, scope, `s390_pci_mmio_${req.op}`);
  const early = stop(first, []);
  if (early) return early;
  const why = first.why;
  if (compiled.mio) {
    const branch = evaluateExpression(compiled.mio.when, scope);
    why.push({
      node: `s390_pci_mmio_${req.op}/mio`,
      label: 'MIO machine',
      expression: 'static_branch_likely(&have_mio)',
      operands: branch.operands,
      result: branch.value,
    });
    if (branch.value) {
      const m = firstHolding(compiled.mio.checks, scope, `s390_pci_mmio_${req.op}`);
      const stopped = stop(m, why);
      if (stopped) return stopped;
      return { ret: '0', chunks: chunks(form, req, true), why: [...why, ...m.why], notes };
    }
  }
  if (!compiled.mio && req.haveMio)
    notes.push('no MIO path in this kernel: on a MIO machine the mapping is not a zPCI iomap address');
  const n = firstHolding(compiled.nonMio, scope, `s390_pci_mmio_${req.op}`);
  const stopped = stop(n, why);
  if (stopped) {
    if (stopped.ret === '0')
      notes.push("returns 0 without writing anything (ret still holds follow_pte's 0)");
    return stopped;
  }
  if (req.length > 64) notes.push('the kernel buffer is kmalloc()ed (length > 64)');
  return { ret: '0', chunks: chunks(form, req, false), why: [...why, ...n.why], notes };
}
