/**
 * The host kernel side: what drivers/vfio/pci/vfio_pci_zdev.c reports in VFIO_DEVICE_GET_INFO's
 * zPCI capabilities (the GROUP cap, its maxstbl and imaxstbl, the RFC's relaxed flag and zPCI I/O
 * region) and how arch/s390/pci/pci_mmio.c's s390_pci_mmio_write/read are built (the MIO branch,
 * the VMA checks, the chunking, the fault retry), each read from the statement that makes it,
 * compared between the images, and turned into host edits (applyHostEdits). The uapi header
 * only declares: what the driver fills in decides.
 */
import { HOST_KERNELS, type HostEdit, type HostKernelSpec, type MmioForm } from '../../model/zpci';
import { exprForm } from './cForm';
import { type FunctionSides, type SideItem, leftovers, placeOf } from './sides';
import type { ZpciChange } from './types';

type HostField = Extract<HostEdit, { op: 'set-host' }>['field'];
type MmioField = keyof MmioForm;

/** One host fact a statement establishes. */
interface HostFact {
  field: HostField | MmioField;
  mmio: boolean;
  value: boolean | string;
  items: SideItem[];
  why: string;
}

const HAVE_MIO = 'static_branch_likely(&have_mio)';
const VMA_KIND = /VM_IO\s*\|\s*VM_PFNMAP/;

interface HostRow {
  field: HostField | MmioField;
  mmio: boolean;
  /** What the statement makes the field, or undefined when it is not this row's statement. */
  read: (s: SideItem) => boolean | string | undefined;
  why: string;
}

const text = (s: SideItem) => s.item.text;

const HOST_ROWS: readonly HostRow[] = [
  {
    field: 'zdevCaps',
    mmio: false,
    read: (s) =>
      s.item.kind === 'assign' && s.item.target.startsWith('vfio_device_info_cap_zpci_group.')
        ? true
        : undefined,
    why: 'VFIO_DEVICE_GET_INFO carries the zPCI GROUP capability',
  },
  {
    field: 'imaxstbl',
    mmio: false,
    read: (s) =>
      s.item.kind === 'assign' && s.item.target === 'vfio_device_info_cap_zpci_group.imaxstbl'
        ? true
        : undefined,
    why: 'the GROUP capability reports imaxstbl (cap version 2)',
  },
  {
    field: 'relaxedFlag',
    mmio: false,
    read: (s) =>
      /VFIO_DEVICE_INFO_ZPCI_FLAG_RELAXED/.test(text(s)) && s.item.kind !== 'define' ? true : undefined,
    why: 'relaxed-alignment functions report VFIO_DEVICE_INFO_ZPCI_FLAG_RELAXED',
  },
  {
    field: 'zpciIoRegion',
    mmio: false,
    read: (s) =>
      /VFIO_REGION_SUBTYPE_IBM_ZPCI_IO/.test(text(s)) && s.item.kind !== 'define' ? true : undefined,
    why: 'the vfio zPCI I/O region is offered',
  },
  {
    field: 'mioPath',
    mmio: true,
    read: (s) =>
      (s.item.kind === 'guard' || s.item.kind === 'check' || s.item.kind === 'case') &&
      exprForm((s.item.kind === 'case' ? s.item.when : s.item.condition) ?? '') === exprForm(HAVE_MIO)
        ? true
        : undefined,
    why: 's390_pci_mmio_* take the MIO path on a MIO machine (static_branch_likely(&have_mio))',
  },
  {
    field: 'form',
    mmio: true,
    read: (s) =>
      s.item.kind === 'check' && VMA_KIND.test(s.item.condition)
        ? 'vma-validated'
        : (s.item.kind === 'assign' || s.item.kind === 'call') && /\b(get_pfn|follow_pfn)\s*\(/.test(text(s))
          ? 'get_pfn'
          : undefined,
    why: 'how the user mapping is checked and translated',
  },
  {
    field: 'chunking',
    mmio: true,
    read: (s) =>
      /\bzpci_get_max_io_size\s*\(/.test(text(s))
        ? 'max-io-size'
        : /\bzpci_get_max_write_size\s*\(/.test(text(s))
          ? 'power-of-two'
          : undefined,
    why: 'how the copy is cut into PCI stores and loads',
  },
  {
    field: 'faultRetry',
    mmio: true,
    read: (s) => (/\bfixup_user_fault\s*\(/.test(text(s)) ? true : undefined),
    why: 'a missing page-table entry is faulted in and the lookup retried',
  },
];

/** s390_pci_mmio_read's VMA flag: from `get_pfn(mmio_addr, VM_X, ...)` or `!(vma->vm_flags & VM_X)`. */
function readNeeds(items: readonly SideItem[]): HostFact | undefined {
  for (const s of items) {
    if (s.item.fn !== 's390_pci_mmio_read') continue;
    const m =
      /\bget_pfn\s*\(\s*\w+\s*,\s*(VM_READ|VM_WRITE)/.exec(text(s)) ??
      (s.item.kind === 'check' ? /vm_flags\s*&\s*(VM_READ|VM_WRITE)\)/.exec(s.item.condition) : null);
    if (m)
      return {
        field: 'readNeeds',
        mmio: true,
        value: m[1],
        items: [s],
        why: `s390_pci_mmio_read requires ${m[1]}`,
      };
  }
  return undefined;
}

export function hostFacts(items: readonly SideItem[]): HostFact[] {
  const out: HostFact[] = [];
  for (const row of HOST_ROWS) {
    let value: boolean | string | undefined;
    const hit: SideItem[] = [];
    for (const s of items) {
      const v = row.read(s);
      if (v === undefined) continue;
      value = v;
      hit.push(s);
    }
    if (value !== undefined) out.push({ field: row.field, mmio: row.mmio, value, items: hit, why: row.why });
  }
  const r = readNeeds(items);
  if (r) out.push(r);
  return out;
}

function hostValue(h: HostKernelSpec, f: HostFact): unknown {
  return f.mmio ? h.mmio[f.field as MmioField] : h[f.field as HostField];
}

function edit(f: HostFact): HostEdit {
  return f.mmio
    ? ({ op: 'set-mmio', field: f.field, value: f.value } as HostEdit)
    : ({ op: 'set-host', field: f.field, value: f.value as boolean } as HostEdit);
}

export interface HostEvidence {
  what: string;
  verdict: (h: HostKernelSpec) => 'match' | 'differs';
}

/** What the kernel pre-images say about the host (a new file says its features were absent). */
export function hostEvidence(pre: readonly SideItem[], newFiles: readonly string[]): HostEvidence[] {
  const out: HostEvidence[] = hostFacts(pre).map((f) => ({
    what: `${f.field} = ${String(f.value)}`,
    verdict: (h) => (hostValue(h, f) === f.value ? 'match' : 'differs'),
  }));
  if (newFiles.includes('drivers/vfio/pci/vfio_pci_zdev.c'))
    out.push({
      what: 'no vfio_pci_zdev.c before: no zPCI caps',
      verdict: (h) => (h.zdevCaps ? 'differs' : 'match'),
    });
  return out;
}

export interface KernelReading {
  changes: ZpciChange[];
  edits: HostEdit[];
}

/** The host changes of one kernel file's functions (all functions of the file together). */
export function kernelChanges(sides: FunctionSides, host: HostKernelSpec): KernelReading {
  const pre = hostFacts(sides.pre);
  const post = hostFacts(sides.post);
  const taken = new Set<SideItem>();
  const changes: ZpciChange[] = [];
  const edits: HostEdit[] = [];
  const fields = new Set([...pre.map((f) => f.field), ...post.map((f) => f.field)]);
  for (const field of fields) {
    const a = pre.find((f) => f.field === field);
    const b = post.find((f) => f.field === field);
    for (const f of [a, b]) f?.items.forEach((s) => taken.add(s));
    const place = placeOf(sides, a?.items ?? [], b?.items ?? []);
    if (!b && !a?.items.some((s) => s.item.touched)) continue; // not in the post-image's hunks
    const fact = (b ?? a)!;
    const was = a ? a.value : hostValue(host, fact);
    const now = b ? b.value : typeof fact.value === 'boolean' ? false : was;
    const touched = [...(a?.items ?? []), ...(b?.items ?? [])].some((s) => s.item.touched);
    if (now === was) {
      if (touched)
        changes.push({
          place,
          target: { kind: 'host', field },
          key: `host ${field}`,
          change: 'reformatted',
          message: a
            ? `host ${field}: rewritten, still ${String(now)} (${fact.why})`
            : `host ${field}: ${String(now)}, as ${host.id} has it (${fact.why})`,
          edits: [],
        });
      continue;
    }
    const e = edit({ ...fact, value: now as boolean | string });
    edits.push(e);
    changes.push({
      place,
      target: { kind: 'host', field },
      key: `host ${field}`,
      change: a && b ? 'modified' : b ? 'added' : 'removed',
      before: String(was),
      after: String(now),
      message: `host ${field}: ${String(was)} -> ${String(now)} (${fact.why})`,
      edits: [],
      hostEdits: [e],
    });
  }
  // The GROUP cap's maxstbl: the model's hosts report ZPCI_MAX_WRITE_SIZE.
  for (const s of sides.post) {
    if (s.item.kind !== 'assign' || s.item.target !== 'vfio_device_info_cap_zpci_group.maxstbl') continue;
    taken.add(s);
    if (!s.item.touched) continue;
    const same = s.item.value === 'ZPCI_MAX_WRITE_SIZE';
    changes.push({
      place: placeOf(sides, [], [s]),
      target: same
        ? { kind: 'none', reason: 'GROUP.maxstbl = ZPCI_MAX_WRITE_SIZE (128), as the model has it' }
        : { kind: 'not-modelled', reason: `GROUP.maxstbl = ${s.item.value}` },
      key: same ? 'host GROUP.maxstbl' : `not modelled: zpci_group_cap in ${sides.file}`,
      change: same ? 'none' : 'not-modelled',
      message: same
        ? 'GROUP.maxstbl = ZPCI_MAX_WRITE_SIZE: 128, what the model takes vfio-pci to report'
        : `not modelled: GROUP.maxstbl = ${s.item.value} in ${sides.file}: the model's hosts report ZPCI_MAX_WRITE_SIZE (128)`,
      edits: [],
    });
  }
  changes.push(
    ...leftovers(
      sides,
      { pre: sides.pre.filter((s) => !taken.has(s)), post: sides.post.filter((s) => !taken.has(s)) },
      'host code the model does not read',
    ),
  );
  return { changes, edits };
}

export { HOST_KERNELS };
