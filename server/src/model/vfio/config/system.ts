/**
 * How comparisons look at the config space: the observation key of a config step (what a user
 * sees of it), and the exploration alphabet chosen per device kind from its capabilities: a read
 * of every field whose permissions or visibility differ across the kernels compared, writes of
 * the values that exercise a write function, the chain walk, and the runtime steps the kind
 * supports. The transition system is the one of the vfio-pci model (model/system.ts).
 */
import { parseStep, type Step } from '../../steps';
import { C } from './registers';
import { checkRegisterToken } from './steps';
import type { CfgObservation, ConfigDeviceKind, ConfigSpaceSpec } from './types';

/** What a user sees of a step: value, outcome, hardware writes, dropped bytes, effects, chain, return. */
export function visibleConfigObservation(o: CfgObservation): string {
  return JSON.stringify([
    o.outcome,
    o.value ?? null,
    o.hardware.map((h) => [h.offset, h.width, h.value]),
    o.dropped.map((d) => [d.offset, d.width]),
    o.effects,
    o.chain ?? null,
    o.returned ?? null,
  ]);
}

/** Values written per register name (the write functions' interesting cases). */
export const WRITE_VALUES: Readonly<Record<string, { width: 1 | 2 | 4; values: number[] }>> = {
  PCI_COMMAND: { width: 2, values: [0x0406] },
  PCI_ROM_ADDRESS: { width: 4, values: [0xfffff800] },
  PCI_PM_CTRL: { width: 2, values: [0x0003, 0x8100] },
  PCI_MSI_FLAGS: { width: 2, values: [0x0071] },
  PCI_MSIX_FLAGS: { width: 2, values: [0x8000] },
  PCI_EXP_DEVCTL: { width: 2, values: [0xa930, 0x5930, 0x2950] },
  PCI_AF_CTRL: { width: 1, values: [0x01] },
  PCI_VPD_ADDR: { width: 2, values: [0x0000] },
  PCI_ERR_UNCOR_STATUS: { width: 4, values: [0xffffffff] },
  PCI_ATS_CTRL: { width: 2, values: [0x8000] },
  PCI_PRI_CTRL: { width: 2, values: [0x0001] },
  PCI_PASID_CTRL: { width: 2, values: [0x0001] },
  PCI_SRIOV_CTRL: { width: 2, values: [0x0000] },
  VNDR_DATA: { width: 4, values: [0x1] },
  VSEC_DATA: { width: 4, values: [0x1] },
  DVSEC_CONTROL: { width: 4, values: [0x1] },
};

/** A row argument or length as the model reads it without a parser: a name of the constants, or a number. */
function valueOf(text: string): number | string {
  const t = text.trim();
  if (t in C) return C[t];
  if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) return Number(t);
  return t;
}

const signatures = new WeakMap<ConfigSpaceSpec, Map<string, string>>();

/** The permission signature of a kind's register under a variant (perms entry, rows, length), from its C text; once per variant and register. */
function signature(
  v: ConfigSpaceSpec,
  space: 'std' | 'ext' | 'header',
  capId: number,
  at: number,
  width: number,
): string {
  let known = signatures.get(v);
  if (!known) signatures.set(v, (known = new Map()));
  const key = `${space}:${capId}:${at}:${width}`;
  const seen = known.get(key);
  if (seen !== undefined) return seen;
  const perms = v.perms.find((p) => {
    if (space === 'header') return p.cap === 'BASIC';
    const name = p.cap;
    const id = space === 'ext' ? C[`PCI_EXT_CAP_ID_${name.slice(4)}`] : C[`PCI_CAP_ID_${name}`];
    return (space === 'ext') === name.startsWith('ext ') && id === capId;
  });
  const rows = perms?.rows
    .filter((r) => {
      const o = valueOf(r.offset);
      return typeof o !== 'number' || (o < at + width && o + r.width > at);
    })
    .map((r) => [r.offset, r.width, r.virt, r.write, r.when ?? '']);
  const length = space === 'header' ? '64' : (space === 'ext' ? v.ecapLengths : v.capLengths)[capId];
  const len = length === undefined ? 0 : valueOf(length);
  const sig = JSON.stringify([perms?.readfn, perms?.writefn, rows, len, len ? '' : v.rules.unassigned]);
  known.set(key, sig);
  return sig;
}

/** The exploration alphabet of a kind over the given variants. */
export function configAlphabet(kind: ConfigDeviceKind, variants: readonly ConfigSpaceSpec[]): Step[] {
  const steps: string[] = ['open', 'cfg-read PCI_COMMAND 2', 'cfg-walk'];
  const fields: { name: string; space: 'std' | 'ext' | 'header'; id: number; at: number; width: number }[] =
    [];
  for (const r of kind.header)
    if (r.name) fields.push({ name: r.name, space: 'header', id: 0, at: r.offset, width: r.width });
  for (const c of kind.capabilities) {
    for (const r of c.registers)
      if (r.name) fields.push({ name: r.name, space: c.space, id: c.id, at: r.offset, width: r.width });
  }
  const offsetText = (f: (typeof fields)[number]) => {
    if (checkRegisterToken(f.name) === null) return f.name;
    const cap = kind.capabilities.find((c) => c.space === f.space && c.id === f.id);
    return `0x${((cap?.offset ?? 0) + f.at).toString(16)}`;
  };
  for (const f of fields) {
    const sigs = new Set(variants.map((v) => signature(v, f.space, f.id, f.at, f.width)));
    if (sigs.size > 1) steps.push(`cfg-read ${offsetText(f)} ${f.width}`);
    const w = WRITE_VALUES[f.name];
    if (w)
      for (const value of w.values)
        steps.push(`cfg-write ${offsetText(f)} ${w.width} 0x${value.toString(16)}`);
  }
  if (kind.capabilities.some((c) => c.space === 'ext' && c.offset === 0x100)) steps.push('cfg-read 0x100 4');
  const hasStd = (id: number) => kind.capabilities.some((c) => c.space === 'std' && c.id === id);
  if (kind.bars.length)
    steps.push('cfg-write PCI_BASE_ADDRESS_0 4 0xffffffff', 'cfg-read PCI_BASE_ADDRESS_0 4');
  steps.push('cfg-read PCI_ROM_ADDRESS 4', 'flr');
  if (hasStd(C.PCI_CAP_ID_PM)) steps.push('set-power D3hot', 'set-power D0');
  if (hasStd(C.PCI_CAP_ID_MSI)) steps.push('enable-msi');
  if (kind.cfgSize > 256) steps.push('pci_enable_pasid', 'pci_enable_pri', 'pci_enable_ats 12');
  return [...new Map(steps.map((t) => parseStep(t)).map((st) => [st.text, st])).values()];
}
