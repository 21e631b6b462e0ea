/**
 * One config variant on one device kind as a TransitionSystem (model/core/system.ts), memoised
 * and cached per (variant content, kind); the observation keys a comparison uses; and the
 * exploration alphabet chosen per device kind from its capabilities: a read of every field whose
 * permissions or visibility differ across the variants, writes of the values that exercise a
 * write function, the chain walk, and the runtime steps the kind supports.
 */
import { BoundedCache } from '../../cache';
import { MemoisedSystem, runScript, type Assumptions, type TransitionSystem } from '../../core/system';
import type { CompiledVariant } from './compile';
import { buildImage } from './image';
import { applyConfigStep, configStepRefusal } from './machine';
import { C } from './registers';
import { CLOSED_CFG_STATE, type CfgState, type Context } from './run';
import { parseConfigStep } from './steps';
import type { CfgObservation, CfgStep, ConfigDeviceKind } from './types';

export function configStateKey(s: CfgState): string {
  if (!s.open) return 'closed';
  const bytes = (o: Readonly<Record<number, number>>) =>
    Object.keys(o)
      .map((k) => `${Number(k).toString(16)}=${o[Number(k)].toString(16)}`)
      .join(',');
  return [
    s.layout,
    bytes(s.vconfig),
    bytes(s.hw),
    s.power,
    +s.virqDisabled,
    s.irqType,
    s.msiQmax,
    +s.pasidEnabled,
    +s.priEnabled,
    +s.atsEnabled,
    s.atsStu,
  ].join('|');
}

class ConfigSystem implements TransitionSystem<CfgState, CfgStep, CfgObservation> {
  readonly initial = CLOSED_CFG_STATE;
  readonly ctx: Context;

  constructor(variant: CompiledVariant, kind: ConfigDeviceKind) {
    this.ctx = { variant, kind, image: buildImage(kind), layouts: new Map() };
  }

  key(state: CfgState): string {
    return configStateKey(state);
  }

  refusal(state: CfgState, step: CfgStep): string | null {
    return configStepRefusal(this.ctx, state, step);
  }

  step(state: CfgState, step: CfgStep, assumptions: Assumptions) {
    return applyConfigStep(this.ctx, state, step, assumptions);
  }
}

export class ConfigSpaceSystem extends MemoisedSystem<CfgState, CfgStep, CfgObservation> {
  constructor(
    readonly variant: CompiledVariant,
    readonly kind: ConfigDeviceKind,
  ) {
    super(new ConfigSystem(variant, kind));
  }

  /** Runs a script from the closed device, every branch of unknown identifiers (all 0 first). */
  run(steps: CfgStep[]): { assumptions: Assumptions; trace: CfgObservation[] }[] {
    return runScript(this, steps, CLOSED_CFG_STATE).map((r) => ({
      assumptions: r.assumptions,
      trace: r.observations,
    }));
  }
}

const systems = new BoundedCache<string, ConfigSpaceSystem>(512);

export function configSystem(variant: CompiledVariant, kind: ConfigDeviceKind): ConfigSpaceSystem {
  const key = `${kind.id}\u0000${variant.key}`;
  let s = systems.get(key);
  if (!s) {
    s = new ConfigSpaceSystem(variant, kind);
    systems.set(key, s);
  }
  return s;
}

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

/** The permission signature of a kind's register under a variant (perms entry, masks, length). */
function signature(
  v: CompiledVariant,
  space: 'std' | 'ext' | 'header',
  capId: number,
  at: number,
  width: number,
): string {
  const capName = (n: string) => n === (space === 'header' ? 'BASIC' : '');
  const perms = [...v.perms.values()].find((p) => {
    if (space === 'header') return capName(p.spec.cap);
    const name = p.spec.cap;
    const id = space === 'ext' ? C[`PCI_EXT_CAP_ID_${name.slice(4)}`] : C[`PCI_CAP_ID_${name}`];
    return (space === 'ext') === name.startsWith('ext ') && id === capId;
  });
  const rows = perms?.rows
    .filter((r) => r.at < at + width && r.at + r.row.width > at)
    .map((r) => [r.at, r.virt, r.write]);
  const len = space === 'header' ? 64 : ((space === 'ext' ? v.ecapLengths : v.capLengths).get(capId) ?? 0);
  return JSON.stringify([
    perms?.spec.readfn,
    perms?.spec.writefn,
    rows,
    len,
    len ? '' : v.spec.rules.unassigned,
  ]);
}

/** The exploration alphabet of a kind over the given variants. */
export function configAlphabet(kind: ConfigDeviceKind, variants: readonly CompiledVariant[]): CfgStep[] {
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
    if (f.space === 'header' || f.name in C) return f.name;
    const cap = kind.capabilities.find((c) => c.space === f.space && c.id === f.id)!;
    return `0x${(cap.offset + f.at).toString(16)}`;
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
  return [...new Set(steps)].map((s) => parseConfigStep(s, kind));
}
