/**
 * What a version has that is no instruction node, read from the statements that establish it:
 * the plug checks (an `if` that errors the plug with QEMU's message), the choice between
 * interpretation and interception (the assignments of `pbdev->interp`), the CLP checks and the
 * maxstbl CLP reports, the PCI group's maxstbl, fr and simulated groups, the FH_SHM bits and the
 * ISM reset. Each reading is a table row: which function, what statement, which trait or field.
 */
import {
  ZPCI_VERSION_SPECS,
  type CheckNode,
  type PlugCheck,
  type ZpciVersionSpec,
  type ZpciVersionTraits,
} from '../../model/zpci';
import { exprForm, fold, negate, unwrap } from './cForm';
import { outcomeKey } from './outcome';
import type { ItemOf } from './reader';
import { type FunctionSides, type SideItem, caseAbove, guardsAbove } from './sides';
import type { ReadOutcome } from './types';

/* ---- plug checks ---- */

/** Guards the plug's device always passes (the function is a PCI device). */
const ALWAYS_TRUE_GUARDS = ['object_dynamic_cast(OBJECT(dev), TYPE_PCI_DEVICE)'];
const alwaysTrue = (g: string) => ALWAYS_TRUE_GUARDS.some((t) => exprForm(t) === exprForm(g));

export interface PlugCheckReading {
  at: SideItem;
  /** The model's id for it (by QEMU's message), if some version has it. */
  id?: string;
  base?: PlugCheck;
  condition: string;
  guard?: string;
  message: string;
}

export function knownPlugCheck(message: string): PlugCheck | undefined {
  for (const v of [...ZPCI_VERSION_SPECS].reverse()) {
    const c = v.plug.checks.find((p) => p.message === message);
    if (c) return c;
  }
  return undefined;
}

export function plugChecks(sides: FunctionSides, side: 'pre' | 'post'): PlugCheckReading[] {
  const out: PlugCheckReading[] = [];
  for (const s of sides[side]) {
    if (s.item.kind !== 'check' || !s.item.outcome || !('message' in s.item.outcome)) continue;
    const guards = guardsAbove(sides, side, s).filter((g) => !alwaysTrue(g));
    const base = knownPlugCheck(s.item.outcome.message);
    out.push({
      at: s,
      ...(base ? { id: base.id, base } : {}),
      condition: s.item.condition,
      ...(guards.length ? { guard: guards.join(' && ') } : {}),
      message: s.item.outcome.message,
    });
  }
  return out;
}

export const plugForm = (c: { condition: string; guard?: string }) =>
  `${exprForm(c.condition)}|${c.guard ? exprForm(c.guard) : ''}`;

/* ---- interpretation ---- */

export const VFIO_CAST = 'object_dynamic_cast(OBJECT(dev), "vfio-pci")';
const INTERP = 'pbdev->interp';

export interface InterpretationReading {
  items: SideItem[];
  /** The choice as one C condition, when the hunks show every assignment and its conditions. */
  text?: string;
}

/**
 * `pbdev->interp = false` under conditions C1..Cn in the vfio-pci arm of the plug makes
 * interpretation `pbdev->interp && !(C1 && ... && Cn)` (the property's value, true by default).
 */
export function interpretation(
  sides: FunctionSides,
  side: 'pre' | 'post',
): InterpretationReading | undefined {
  const items = sides[side].filter(
    (s): s is SideItem & { item: ItemOf<'assign'> } =>
      s.item.kind === 'assign' && s.item.target === 'pbdev->interp',
  );
  if (!items.length) return undefined;
  const terms: string[] = [];
  let derivable = true;
  for (const s of items) {
    const forms = s.item.conditions.map((c) => exprForm(c));
    const inVfioArm = forms.includes(exprForm(VFIO_CAST));
    const inOtherArm = s.item.conditions.some((c) => exprForm(negate(c)) === exprForm(VFIO_CAST));
    if (inOtherArm) continue; // emulated devices: never interpreted in the model
    if (!inVfioArm || !/^(false|0)$/.test(s.item.value)) {
      derivable = false;
      continue;
    }
    const rest = s.item.conditions.filter((c) => {
      const f = exprForm(c);
      return f !== exprForm(VFIO_CAST) && f !== exprForm(INTERP);
    });
    terms.push(
      rest.length ? negate(rest.map((c) => (rest.length > 1 ? `(${c})` : c)).join(' && ')) : 'false',
    );
  }
  if (!derivable || !terms.length) return { items };
  return {
    items,
    text: ['pbdev->interp', ...terms.map((t) => (/&&|\|\|/.test(t) ? `(${t})` : t))].join(' && '),
  };
}

/* ---- CLP ---- */

export interface ClpCheckReading {
  at: SideItem;
  request: 'enable' | 'disable' | 'both';
  condition: string;
  guard?: string;
  outcome: ReadOutcome;
  id?: string;
  base?: CheckNode;
}

export function knownClpCheck(
  request: 'enable' | 'disable',
  form: string,
  outcome: ReadOutcome,
): CheckNode | undefined {
  for (const v of [...ZPCI_VERSION_SPECS].reverse()) {
    const c = v.clp[request].find(
      (x) => exprForm(x.condition) === form && outcomeKey(x.outcome) === outcomeKey(outcome),
    );
    if (c) return c;
  }
  return undefined;
}

function clpRequest(
  sides: FunctionSides,
  side: 'pre' | 'post',
  s: SideItem,
): ClpCheckReading['request'] | null {
  const c = caseAbove(sides, side, s);
  if (c && c.kind === 'case' && c.when) {
    if (c.when.includes('CLP_SET_ENABLE_PCI_FN')) return 'enable';
    if (c.when.includes('CLP_SET_DISABLE_PCI_FN')) return 'disable';
  }
  if (c) return null;
  // No case above in the hunk: what the function does to the fh after the check says which request.
  const after = sides[side].filter((x) => x.hunk === s.hunk && x.itemIndex > s.itemIndex);
  for (const x of after) {
    if (x.item.kind !== 'assign' || x.item.target !== 'pbdev->fh') continue;
    if (x.item.op === '|=' && /FH_MASK_ENABLE/.test(x.item.value)) return 'enable';
    if (x.item.op === '&=' && /~\s*FH_MASK_ENABLE/.test(x.item.value)) return 'disable';
  }
  const lookup = s.item.kind === 'check' && exprForm(s.item.condition) === exprForm('!pbdev');
  return lookup ? 'both' : null;
}

export function clpChecks(
  sides: FunctionSides,
  side: 'pre' | 'post',
): { checks: ClpCheckReading[]; unplaced: SideItem[] } {
  const checks: ClpCheckReading[] = [];
  const unplaced: SideItem[] = [];
  for (const s of sides[side]) {
    if (
      s.item.kind !== 'check' ||
      !s.item.outcome ||
      !('clp' in s.item.outcome || 'notModelled' in s.item.outcome)
    )
      continue;
    if ('notModelled' in s.item.outcome && !/^CLP response/.test(s.item.outcome.notModelled)) continue;
    const request = clpRequest(sides, side, s);
    if (!request) {
      unplaced.push(s);
      continue;
    }
    const guards = guardsAbove(sides, side, s);
    const form = exprForm(s.item.condition);
    const base = knownClpCheck(request === 'disable' ? 'disable' : 'enable', form, s.item.outcome);
    checks.push({
      at: s,
      request,
      condition: s.item.condition,
      ...(guards.length ? { guard: guards.join(' && ') } : {}),
      outcome: s.item.outcome,
      ...(base ? { id: base.id, base } : {}),
    });
  }
  return { checks, unplaced };
}

/* ---- traits read from statements ---- */

export interface TraitReading<K extends keyof ZpciVersionTraits = keyof ZpciVersionTraits> {
  trait: K;
  value: ZpciVersionTraits[K];
  items: SideItem[];
  why: string;
}

/** What `stw_p(&resgrp->maxstbl, X)` / `resgrp->maxstbl = X` write: [X, the item]. */
function maxstblWrites(items: readonly SideItem[]): { value: string; at: SideItem; conditions: string[] }[] {
  const out: { value: string; at: SideItem; conditions: string[] }[] = [];
  for (const s of items) {
    const it = s.item;
    if (
      it.kind === 'call' &&
      it.callee === 'stw_p' &&
      /->maxstbl$/.test(fold(it.args[0] ?? '').replace(/\s/g, ''))
    )
      out.push({ value: fold(it.args[1] ?? ''), at: s, conditions: it.conditions });
    else if (it.kind === 'assign' && /^resgrp->maxstbl$|zpci_group\.maxstbl$/.test(it.target))
      out.push({ value: it.value, at: s, conditions: it.conditions });
  }
  return out;
}

/** clp_service_call's Query PCI Function Group: what it reports as maxstbl. */
export function clpMaxstbl(items: readonly SideItem[]): TraitReading<'clpMaxstbl'> | undefined {
  const w = maxstblWrites(items);
  if (!w.length) return undefined;
  const v = w[w.length - 1].value;
  const value: ZpciVersionTraits['clpMaxstbl'] = /^\d+$/.test(v) ? 'constant-128' : 'group';
  if (value === 'constant-128' && v !== '128') return undefined;
  return {
    trait: 'clpMaxstbl',
    value,
    items: w.map((x) => x.at),
    why: `CLP Query PCI Function Group reports maxstbl ${v}`,
  };
}

/** s390_pci_read_group: where the group's maxstbl comes from (the host's GROUP cap, imaxstbl when interpreted). */
export function groupMaxstbl(items: readonly SideItem[]): TraitReading<'groupMaxstbl'> | undefined {
  const w = maxstblWrites(items);
  if (!w.length) return undefined;
  const imax = w.find((x) => /imaxstbl/.test(x.value) && x.conditions.some((c) => /pbdev->interp/.test(c)));
  if (imax)
    return {
      trait: 'groupMaxstbl',
      value: 'host-group-imaxstbl',
      items: w.map((x) => x.at),
      why: `the group's maxstbl is ${imax.value} when ${unwrap(imax.conditions.join(' && '))}, else the GROUP cap's maxstbl`,
    };
  if (w.some((x) => /cap->maxstbl/.test(x.value)))
    return {
      trait: 'groupMaxstbl',
      value: 'host-group',
      items: w.map((x) => x.at),
      why: "the group's maxstbl is the host GROUP cap's",
    };
  return undefined;
}

/** Statement rows that establish a trait, per function role. */
interface TraitRow {
  role: 'plug' | 'group';
  trait: keyof ZpciVersionTraits;
  value: boolean;
  matches: (s: SideItem) => boolean;
  why: string;
}

const TRAIT_ROWS: readonly TraitRow[] = [
  {
    role: 'plug',
    trait: 'fhShmBits',
    value: true,
    matches: (s) =>
      s.item.kind === 'assign' && s.item.target === 'pbdev->fh' && /FH_SHM_(VFIO|EMUL)/.test(s.item.value),
    why: 'the guest fh carries FH_SHM_VFIO / FH_SHM_EMUL',
  },
  {
    role: 'plug',
    trait: 'ismReset',
    value: true,
    matches: (s) =>
      s.item.kind === 'call' &&
      s.item.callee === 'qemu_register_reset' &&
      s.item.conditions.some((c) => /ZPCI_PFT_ISM/.test(c)),
    why: 'an ISM device gets a reset callback (qemu_register_reset) at plug',
  },
  {
    role: 'group',
    trait: 'simulatedGroups',
    value: true,
    matches: (s) =>
      (s.item.kind === 'assign' || s.item.kind === 'call') &&
      /s390_group_find_host_sim|next_sim_grp/.test(s.item.text) &&
      ('conditions' in s.item ? s.item.conditions : []).some(
        (c) => exprForm(c) === exprForm('!pbdev->interp'),
      ),
    why: 'intercepted devices get simulated PCI groups',
  },
  {
    role: 'group',
    trait: 'relaxedFromHost',
    value: true,
    matches: (s) =>
      s.item.kind === 'assign' &&
      /fr$/.test(s.item.target) &&
      /CLP_RSP_QPCIG_MASK_RELAXED/.test(s.item.value),
    why: "the group's fr gets the relaxed-alignment bit from the host",
  },
];

export function rowTraits(role: TraitRow['role'], items: readonly SideItem[]): TraitReading[] {
  const out: TraitReading[] = [];
  for (const row of TRAIT_ROWS) {
    if (row.role !== role) continue;
    const hit = items.filter(row.matches);
    // The guard the statement sits in belongs to it (`if (pbdev->pft == ZPCI_PFT_ISM) {`).
    const guards = items.filter(
      (g) => g.item.kind === 'guard' && hit.some((h) => h.hunk === g.hunk && h.item.parent === g.itemIndex),
    );
    if (hit.length)
      out.push({ trait: row.trait, value: row.value as never, items: [...hit, ...guards], why: row.why });
  }
  return out;
}

export function traitValue(spec: ZpciVersionSpec, trait: keyof ZpciVersionTraits): unknown {
  return spec.traits[trait];
}
