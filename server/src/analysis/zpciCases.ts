/**
 * The cases a zPCI patch changes: its QEMU version (and host kernel) before and after compared
 * through the zPCI model for every zPCI device kind (compareZpci: the shortest step sequences,
 * visible, then those where only the deciding check differs), what CLP reports after the plug,
 * and, for a host kernel patch, the s390_pci_mmio_* calls of MMIO_REQUESTS. One case per device
 * and observed change; each case says which model nodes (or traits, or host fields) it turns on,
 * so that attribution (zpciFindings.ts) can put it on the line that causes it.
 */
import { BoundedCache } from '../model/index';
import {
  DEFAULT_HOST,
  MMIO_REQUESTS,
  ZPCI_DEVICE_KINDS,
  clpValues,
  compareZpci,
  decidingExplanation,
  formatMmioResult,
  formatOutcomeShort,
  hostMmio,
  parseZpciSteps,
  zpciSystem,
  type ClpValues,
  type HostKernelSpec,
  type ZpciOutcome,
  type ZpciTraceEntry,
  type ZpciVersionSpec,
} from '../model/zpci';
import { ANALYSIS_DEPTH } from './behaviourFindings';
import type { Severity } from './types';
import { zpciCatalogue, zpciWhy } from './zpciRuns';
import type { ZpciBehaviourChange, ZpciChangeSide } from './zpciTypes';

/** The two sides of one patch: QEMU version and host kernel before and after. */
export interface PatchSides {
  before: ZpciVersionSpec;
  after: ZpciVersionSpec;
  host: HostKernelSpec | string;
  hostAfter: HostKernelSpec | string;
}

export const hostId = (h: HostKernelSpec | string) => (typeof h === 'string' ? h : h.id);
const hostKey = (h: HostKernelSpec | string) => (typeof h === 'string' ? h : JSON.stringify(h));

/** What a case turns on: the nodes evaluated differently (and those that decided), or named fields. */
export type CaseCause =
  | { kind: 'nodes'; decided: Set<string>; any: Set<string> }
  /** Traits of the version or fields of the host kernel (CLP values, s390_pci_mmio_*). */
  | { kind: 'fields'; fields: readonly string[] };

export interface ZpciCase {
  change: ZpciBehaviourChange;
  cause: CaseCause;
  severity: Severity;
}

const decidedNode = (e: ZpciTraceEntry) => decidingExplanation(e)?.node ?? '-';

const whySignature = (w: ZpciTraceEntry['why'][number]) =>
  `${w.node}\u0000${w.expression}\u0000${w.result}\u0000${JSON.stringify(w.operands)}`;

/** The nodes whose evaluation differs between the two observations, and the ones that decided. */
function differingNodes(a: ZpciTraceEntry, b: ZpciTraceEntry): CaseCause {
  const sa = new Set(a.why.map(whySignature));
  const sb = new Set(b.why.map(whySignature));
  const any = new Set<string>();
  for (const w of a.why) if (!sb.has(whySignature(w))) any.add(w.node);
  for (const w of b.why) if (!sa.has(whySignature(w))) any.add(w.node);
  const decided = new Set([decidedNode(a), decidedNode(b)].filter((n) => n !== '-'));
  for (const d of decided) any.add(d);
  return { kind: 'nodes', decided, any };
}

/**
 * An internal-only case is kept when another check decides, or the same check with other values
 * of the operands both sides name: a condition rewritten to an equal one (a refactor) is none.
 */
function internallyDiffers(a: ZpciTraceEntry, b: ZpciTraceEntry): boolean {
  const x = decidingExplanation(a);
  const y = decidingExplanation(b);
  if (!x || !y) return !!x !== !!y;
  if (x.node !== y.node) return true;
  const values = new Map(x.operands.map((o) => [o.name, o.value]));
  return y.operands.some((o) => values.has(o.name) && values.get(o.name) !== o.value);
}

const WORKS: readonly ZpciOutcome['kind'][] = ['accepted', 'plugged', 'interpreted', 'state'];
const works = (o: ZpciOutcome | null | undefined) =>
  !!o && (WORKS.includes(o.kind) || (o.kind === 'clp' && o.response === 'CLP_RC_OK'));
const hostTrouble = (e: ZpciTraceEntry) => !!(e.delivery?.host?.error || e.delivery?.host?.problem);

/** A case that worked and now fails (or now reaches the device badly) is a warning; internal only a hint. */
function stepSeverity(a: ZpciTraceEntry, b: ZpciTraceEntry, internal: boolean): Severity {
  if (internal) return 'hint';
  if (works(a.outcome) && !works(b.outcome)) return 'warning';
  if (works(b.outcome) && hostTrouble(b) && !hostTrouble(a)) return 'warning';
  return 'information';
}

function stepSide(e: ZpciTraceEntry, qemu: string, host: string): ZpciChangeSide {
  const reading = formatOutcomeShort(e);
  return {
    model: 'zpci',
    step: e.action,
    qemu,
    host,
    outcome: e.outcome,
    ...(e.delivery ? { delivery: e.delivery } : {}),
    reading,
    text: `${e.action}: ${reading}`,
    why: e.why.map(zpciWhy),
  };
}

/** Which traits and host fields decide each CLP value (model/zpci/clp.ts functionGroup). */
const CLP_CAUSES: Readonly<Record<'groupId' | 'maxstbl' | 'fr' | 'pft', readonly string[]>> = {
  maxstbl: [
    'clpMaxstbl',
    'groupMaxstbl',
    'ioRegion',
    'relaxedFromHost',
    'zdevCaps',
    'imaxstbl',
    'zpciIoRegion',
  ],
  groupId: ['simulatedGroups', 'defaultGroupId', 'groupMaxstbl', 'zdevCaps'],
  fr: ['relaxedFromHost', 'groupMaxstbl', 'zdevCaps', 'relaxedFlag'],
  pft: [],
};

/** The host fields s390_pci_mmio_* read (model/zpci/host.ts MmioForm). */
const MMIO_FIELDS = ['form', 'mioPath', 'chunking', 'readNeeds', 'faultRetry'] as const;

function clpSide(step: string, qemu: string, host: string, field: string, v: ClpValues): ZpciChangeSide {
  const value = String(v[field as keyof ClpValues]);
  const origin = field === 'maxstbl' ? v.maxstblOrigin : `after plug on ${host}`;
  return {
    model: 'zpci',
    step,
    qemu,
    host,
    outcome: null,
    clp: { field: field as 'maxstbl', value, origin },
    reading: `CLP reports ${field} ${value}`,
    text: `${step}: CLP reports ${field} ${value} (${origin})`,
    why: [],
  };
}

const cache = new BoundedCache<string, ZpciCase[]>(128);

/**
 * Every case between the two sides of a patch, or null when the budget ran out first. A case of
 * the same device, outcomes and deciding checks as an earlier (shorter) one is left out.
 */
export function patchCases(s: PatchSides, budgetLeft: () => boolean): ZpciCase[] | null {
  const c = zpciCatalogue();
  const [va, vb] = [c.version(s.before), c.version(s.after)];
  const [ha, hb] = [c.host(s.host), c.host(s.hostAfter)];
  if (va.key === vb.key && hostKey(s.host) === hostKey(s.hostAfter)) return [];
  const key = JSON.stringify([
    va.key,
    vb.key,
    s.before.id,
    s.after.id,
    hostKey(s.host),
    hostKey(s.hostAfter),
  ]);
  const hit = cache.get(key);
  if (hit) return hit;
  // A host kernel patch leaves the QEMU version as it was: both sides name it alike.
  const ids = {
    a: s.before.id,
    b: va.key === vb.key ? s.before.id : s.after.id,
    ha: hostId(s.host),
    hb: hostId(s.hostAfter),
  };
  const out: ZpciCase[] = [];
  const seen = new Set<string>();
  const plug = parseZpciSteps('plug');
  for (const device of ZPCI_DEVICE_KINDS) {
    if (!budgetLeft()) return null;
    for (const internal of [false, true]) {
      const r = compareZpci(va, vb, device, ha, { depth: ANALYSIS_DEPTH, internal, hostAfter: hb });
      for (const d of r.differences) {
        const before = d.before[d.before.length - 1];
        const after = d.after[d.after.length - 1];
        if (internal && (!d.internalOnly || !internallyDiffers(before, after))) continue;
        const k = [device.id, formatOutcomeShort(before), formatOutcomeShort(after), internal]
          .concat([decidedNode(before), decidedNode(after)])
          .join('|');
        if (seen.has(k)) continue;
        seen.add(k);
        const change: ZpciBehaviourChange = {
          model: 'zpci',
          device: device.id,
          steps: d.steps,
          before: stepSide(before, ids.a, ids.ha),
          after: stepSide(after, ids.b, ids.hb),
        };
        if (internal) change.internal = true;
        if (d.dependsOn) change.dependsOn = d.dependsOn;
        out.push({
          change,
          cause: differingNodes(before, after),
          severity: stepSeverity(before, after, internal),
        });
      }
    }
    const x = clpValues(va, device, ha);
    const y = clpValues(vb, device, hb);
    if (!x.plugged || !y.plugged) continue;
    for (const field of ['groupId', 'maxstbl', 'fr', 'pft'] as const) {
      if (x[field] === y[field]) continue;
      const step = zpciSystem(vb, device, hb).run(plug)[0].trace[0].action;
      out.push({
        change: {
          model: 'zpci',
          device: device.id,
          steps: ['plug'],
          before: clpSide(step, ids.a, ids.ha, field, x),
          after: clpSide(step, ids.b, ids.hb, field, y),
        },
        cause: { kind: 'fields', fields: CLP_CAUSES[field] },
        severity: 'information',
      });
    }
  }
  if (JSON.stringify(ha.spec.mmio) !== JSON.stringify(hb.spec.mmio))
    for (const m of MMIO_REQUESTS) {
      const x = hostMmio(ha, m.request);
      const y = hostMmio(hb, m.request);
      const [rx, ry] = [formatMmioResult(x), formatMmioResult(y)];
      if (rx === ry) continue;
      const side = (qemu: string, host: string, r: typeof x, reading: string): ZpciChangeSide => ({
        model: 'zpci',
        step: m.text,
        qemu,
        host,
        outcome: null,
        mmio: { ret: r.ret, chunks: r.chunks },
        reading,
        text: `${m.text}: ${reading}`,
        why: r.why.map(zpciWhy),
      });
      out.push({
        change: {
          model: 'zpci',
          device: 'host',
          steps: [m.text],
          before: side(ids.a, ids.ha, x, rx),
          after: side(ids.b, ids.hb, y, ry),
        },
        cause: { kind: 'fields', fields: MMIO_FIELDS },
        severity: x.ret === '0' && y.ret !== '0' ? 'warning' : 'information',
      });
    }
  cache.set(key, out);
  return out;
}

export { DEFAULT_HOST };
