/**
 * What the models speak about: the files (and, in a file most of which is about something else,
 * the functions) whose code decides what vfio-lens models. A hunk inside this scope gets the
 * "not modelled" hints of what the model does not place; a hunk outside it (a host controller's
 * own use of PCI_COMMAND_MEMORY, an arch's pcibios code) gets no per-line hint, only its count in
 * the document's `outsideScope` ("outside what vfio-lens models: N hunks in M files").
 * One row per place; a model's new files are new rows.
 */
import type { HunkRecord } from './applySeries';

export interface ScopeRow {
  /** The model that speaks about the place. */
  model: 'vfio-pci' | 'zpci';
  /** A path, or a folder ending in '/', or a file-name prefix (hw/s390x/s390-pci- covers its family). */
  path: string;
  /** Only these functions of the file (when most of it is about something else). */
  functions?: readonly string[];
  /** What the model reads there, in words. */
  what: string;
  /**
   * The config-space reader reads the place (csrc/config: permission tables, write functions, the
   * PCI core's shared-capability rules): its changes the reader does not place are "not modelled"
   * hints. Elsewhere in the scope the other producers speak (markers, decisions, zPCI).
   */
  config?: true;
}

export const MODEL_SCOPE: readonly ScopeRow[] = [
  {
    model: 'vfio-pci',
    path: 'drivers/vfio/pci/',
    what: 'vfio-pci: config-space emulation, BAR restore, mmap',
    config: true,
  },
  {
    model: 'vfio-pci',
    path: 'include/linux/vfio_pci_core.h',
    what: "vfio-pci's device structure",
    config: true,
  },
  {
    model: 'vfio-pci',
    path: 'drivers/pci/iov.c',
    what: 'SR-IOV: VF creation, is_virtfn, physfn, the VF markers',
  },
  {
    model: 'vfio-pci',
    path: 'drivers/pci/ats.c',
    what: 'ATS, PRI and PASID: what a VF shares with its PF',
    config: true,
  },
  {
    model: 'vfio-pci',
    path: 'drivers/pci/pci.c',
    functions: [
      'pcie_set_readrq',
      'pci_set_power_state',
      'pcie_flr',
      'pci_reset_function',
      'pci_enable_device',
    ],
    what: 'the PCI core calls vfio-pci hands writes to',
    config: true,
  },
  { model: 'vfio-pci', path: 'include/linux/pci.h', what: 'struct pci_dev and its dev_flags (the markers)' },
  { model: 'vfio-pci', path: 'include/uapi/linux/pci_regs.h', what: 'register and bit values', config: true },
  { model: 'vfio-pci', path: 'arch/s390/pci/', what: 's390 zPCI: VF linking, MMIO instructions' },
  ...['pci.h', 'pci_io.h', 'pci_insn.h', 'pci_clp.h'].map((h) => ({
    model: 'zpci' as const,
    path: `arch/s390/include/asm/${h}`,
    what: "s390's zPCI device, its MIO and instruction helpers, CLP",
  })),
  // QEMU's config emulation is vfio-pci's own files; the rest of hw/vfio/ (migration, DMA, ccw) is in
  // the scope for its markers and decisions, but not the config reader's
  ...['hw/vfio/pci.c', 'hw/vfio/pci.h', 'hw/vfio/pci-quirks.c'].map((path) => ({
    model: 'vfio-pci' as const,
    path,
    what: "QEMU's vfio-pci: its config-space emulation and quirks",
    config: true as const,
  })),
  { model: 'vfio-pci', path: 'hw/vfio/', what: "QEMU's vfio: migration, DMA, other buses" },
  { model: 'vfio-pci', path: 'hw/misc/vfio.c', what: "QEMU's vfio-pci before hw/vfio/ (2013)", config: true },
  { model: 'zpci', path: 'hw/s390x/s390-pci-', what: "QEMU's zPCI: PCILG, PCISTG, PCISTB, CLP, plug" },
  { model: 'zpci', path: 'include/hw/s390x/s390-pci-', what: "QEMU's zPCI structures" },
  {
    model: 'zpci',
    path: 'include/uapi/linux/vfio_zdev.h',
    what: 'the zPCI capabilities vfio passes to QEMU',
  },
];

function pathMatches(row: ScopeRow, path: string): boolean {
  return row.path.endsWith('/') || row.path.endsWith('-') ? path.startsWith(row.path) : path === row.path;
}

/** The scope row a hunk falls in, if any (by its file, then by its function where the row names some). */
export function scopeOf(path: string, functionName: string | undefined): ScopeRow | undefined {
  return MODEL_SCOPE.find(
    (row) =>
      pathMatches(row, path) &&
      (!row.functions || (functionName !== undefined && row.functions.includes(functionName))),
  );
}

export const inScope = (r: HunkRecord): boolean => scopeOf(r.file.path, r.facts.functionName) !== undefined;

/** Whether the config-space reader reads a place (a scope row marked `config`). */
export const readByConfig = (path: string, functionName: string | undefined): boolean =>
  scopeOf(path, functionName)?.config === true;

/** The hunks outside every model's scope, counted (the summary's one line), or undefined when none. */
export function outsideScope(records: readonly HunkRecord[]): { hunks: number; files: string[] } | undefined {
  const outside = records.filter((r) => !inScope(r));
  if (outside.length === 0) return undefined;
  return { hunks: outside.length, files: [...new Set(outside.map((r) => r.file.path))] };
}

/** The summary's line for it: "outside what vfio-lens models: 3 hunks in 2 files". */
export function outsideScopeText(o: { hunks: number; files: readonly string[] }): string {
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  return `outside what vfio-lens models: ${n(o.hunks, 'hunk')} in ${n(o.files.length, 'file')}`;
}
