/**
 * The changes of the functions that are no instruction body: s390_pcihost_plug (plug checks,
 * interpretation, FH_SHM bits, the ISM reset), clp_service_call (CLP SET checks, the maxstbl
 * Query PCI Function Group reports), s390_pci_read_group / _read_base (the PCI group's maxstbl,
 * simulated groups, PFT), the functions the model computes itself, the headers (constants and
 * struct fields), and every other function of these files ("not modelled", with the place).
 * Each reading also gives the evidence its pre-images hold for detecting the baseline.
 */
import {
  ZPCI_CONSTANTS,
  type CheckNode,
  type PlugCheck,
  type ZpciEdit,
  type ZpciVersionSpec,
  type ZpciVersionTraits,
} from '../../model/zpci';
import { exprForm } from './cForm';
import { modelOutcome, outcomeKey, outcomeText } from './outcome';
import type { ItemOf } from './reader';
import { type FunctionRole, writingCall } from './roles';
import { type FunctionSides, type SideItem, containersAbove, leftovers, placeOf, sameItems } from './sides';
import {
  type TraitReading,
  VFIO_CAST,
  clpChecks,
  clpMaxstbl,
  groupMaxstbl,
  interpretation,
  plugChecks,
  plugForm,
  rowTraits,
} from './traits';
import type { BaselineDrift, ZpciChange } from './types';

/** One fact of the pre-images a version agrees with, has otherwise, or lacks. */
export interface Evidence {
  fn: string;
  what: string;
  verdict: (v: ZpciVersionSpec) => 'match' | 'differs' | 'lacks';
}

export interface RoleReading {
  changes: ZpciChange[];
  /** The changes' edits in the order they apply (default: the changes' order). */
  edits?: ZpciEdit[];
  drift: BaselineDrift[];
  driftEdits: ZpciEdit[];
}

const empty = (): RoleReading => ({ changes: [], drift: [], driftEdits: [] });

/** Takes items and the guards and cases above them (the conditions they sit in are theirs). */
function take(sides: FunctionSides, taken: Set<SideItem>, items: readonly SideItem[]): void {
  for (const side of ['pre', 'post'] as const) {
    const mine = items.filter((x) => sides[side].includes(x));
    for (const s of mine) {
      taken.add(s);
      for (const c of sameItems(sides, side, containersAbove(sides, side, s))) taken.add(c);
    }
  }
}

function used(all: SideItem[], taken: Set<SideItem>): SideItem[] {
  return all.filter((s) => !taken.has(s));
}

/* ---- traits shared by plug, clp and group ---- */

function traitChanges(
  sides: FunctionSides,
  baseline: ZpciVersionSpec,
  pre: TraitReading[],
  post: TraitReading[],
  taken: Set<SideItem>,
  out: RoleReading,
): void {
  const traits = new Set([...pre.map((t) => t.trait), ...post.map((t) => t.trait)]);
  // A function the patch adds had no statement before it: the trait was what the model has without one.
  const added = newFunction(sides);
  for (const trait of traits) {
    const a = pre.find((t) => t.trait === trait);
    const b = post.find((t) => t.trait === trait);
    for (const t of [a, b]) if (t) take(sides, taken, t.items);
    const place = placeOf(sides, a?.items ?? [], b?.items ?? []);
    const absent = added && !a && FALLBACK[trait] !== undefined;
    const was = a ? a.value : absent ? FALLBACK[trait] : baseline.traits[trait];
    if (absent && baseline.traits[trait] !== FALLBACK[trait]) {
      out.driftEdits.push({ op: 'set-trait', trait, value: FALLBACK[trait] } as ZpciEdit);
      out.drift.push({
        key: `trait ${trait}`,
        baseline: String(baseline.traits[trait]),
        preImage: `${String(FALLBACK[trait])} (${sides.fn} is new in the patch)`,
      });
    }
    if (a && a.value !== baseline.traits[trait]) {
      out.driftEdits.push({ op: 'set-trait', trait, value: a.value } as ZpciEdit);
      out.drift.push({
        key: `trait ${trait}`,
        baseline: String(baseline.traits[trait]),
        preImage: String(a.value),
      });
    }
    if (!b) {
      // The statement is gone: the trait falls back to what the model has without it.
      const fallback = FALLBACK[trait];
      if (!a || fallback === undefined) continue;
      out.changes.push({
        place,
        target: { kind: 'trait', trait },
        key: `trait ${trait}`,
        change: 'removed',
        before: String(a.value),
        after: String(fallback),
        message: `trait ${trait}: ${String(a.value)} -> ${String(fallback)} (${a.why}: removed)`,
        edits: [{ op: 'set-trait', trait, value: fallback } as ZpciEdit],
      });
      continue;
    }
    const touched = b.items.some((s) => s.item.touched) || !!a?.items.some((s) => s.item.touched);
    if (b.value === was) {
      if (touched)
        out.changes.push({
          place,
          target: { kind: 'trait', trait },
          key: `trait ${trait}`,
          change: 'reformatted',
          before: String(was),
          after: String(b.value),
          message: `trait ${trait}: rewritten, still ${String(b.value)} (${b.why})`,
          edits: [],
        });
      continue;
    }
    out.changes.push({
      place,
      target: { kind: 'trait', trait },
      key: `trait ${trait}`,
      change: a ? 'modified' : 'added',
      before: String(was),
      after: String(b.value),
      message: `trait ${trait}: ${String(was)} -> ${String(b.value)} (${b.why})`,
      edits: [{ op: 'set-trait', trait, value: b.value } as ZpciEdit],
    });
  }
}

/** True when the patch adds the function whole (its definition line is added, no pre-image of it). */
export function newFunction(sides: FunctionSides): boolean {
  return (
    sides.post.some((s) => s.item.kind === 'function' && s.item.touched) &&
    !sides.pre.some((s) => s.item.kind === 'function' && !s.item.touched)
  );
}

/** What a trait is when the statement establishing it is removed. */
const FALLBACK: Partial<ZpciVersionTraits> = {
  clpMaxstbl: 'reserved',
  groupMaxstbl: 'none',
  fhShmBits: false,
  ismReset: false,
  simulatedGroups: false,
  relaxedFromHost: false,
};

function traitEvidence(fn: string, readings: TraitReading[]): Evidence[] {
  return readings.map((t) => ({
    fn,
    what: `trait ${t.trait} = ${String(t.value)}`,
    verdict: (v) => (v.traits[t.trait] === t.value ? 'match' : 'differs'),
  }));
}

/* ---- s390_pcihost_plug ---- */

export function plugEvidence(sides: FunctionSides): Evidence[] {
  const out: Evidence[] = [];
  for (const c of plugChecks(sides, 'pre')) {
    if (!c.id) continue;
    const form = plugForm(c);
    out.push({
      fn: sides.fn,
      what: `plug/${c.id}`,
      verdict: (v) => {
        const has = v.plug.checks.find((x) => x.id === c.id);
        return !has ? 'lacks' : plugForm(has) === form ? 'match' : 'differs';
      },
    });
  }
  const interp = interpretation(sides, 'pre');
  const vfioArm = sides.pre.find(
    (s) =>
      s.item.kind === 'case' &&
      !s.item.cut &&
      s.item.when !== null &&
      exprForm(s.item.when) === exprForm(VFIO_CAST),
  );
  if (!interp && vfioArm)
    out.push({
      fn: sides.fn,
      what: 'plug/interpretation absent (the vfio-pci arm is in the hunk and never sets pbdev->interp)',
      verdict: (v) => (v.plug.interpretation === null ? 'match' : 'lacks'),
    });
  if (interp)
    out.push({
      fn: sides.fn,
      what: 'plug/interpretation',
      verdict: (v) =>
        v.plug.interpretation === null
          ? 'lacks'
          : !interp.text || exprForm(interp.text) === exprForm(v.plug.interpretation)
            ? 'match'
            : 'differs',
    });
  out.push(...traitEvidence(sides.fn, rowTraits('plug', sides.pre)));
  return out;
}

export function plugChanges(sides: FunctionSides, baseline: ZpciVersionSpec): RoleReading {
  const out = empty();
  const taken = new Set<SideItem>();
  const pre = plugChecks(sides, 'pre');
  const post = plugChecks(sides, 'post');
  const ids = new Set([...pre, ...post].map((c) => c.id).filter((x): x is string => !!x));
  for (const id of ids) {
    const a = pre.find((c) => c.id === id);
    const b = post.find((c) => c.id === id);
    take(sides, taken, [...(a ? [a.at] : []), ...(b ? [b.at] : [])]);
    const place = placeOf(sides, a ? [a.at] : [], b ? [b.at] : []);
    const has = baseline.plug.checks.find((c) => c.id === id);
    const make = (r: { condition: string; guard?: string; message: string; base?: PlugCheck }): PlugCheck => {
      const base = has ?? r.base;
      const c: PlugCheck = {
        id,
        label: base?.label ?? 'plug check',
        condition: r.condition,
        message: r.message,
      };
      if (r.guard) c.guard = r.guard;
      return c;
    };
    if (a && has && plugForm(a) !== plugForm(has)) {
      out.driftEdits.push({ op: 'set-plug-check', id, check: make(a) });
      out.drift.push({ key: `plug/${id}`, baseline: has.condition, preImage: a.condition });
    }
    const text = (c: { condition: string; guard?: string }) =>
      c.guard ? `if (${c.guard}) if (${c.condition})` : `if (${c.condition})`;
    if (a && b) {
      if (plugForm(a) === plugForm(b)) {
        if (a.at.item.touched || b.at.item.touched)
          out.changes.push({
            place,
            target: { kind: 'plug-check', id },
            key: `plug/${id}`,
            change: 'reformatted',
            before: text(a),
            after: text(b),
            message: `plug/${id}: rewritten with the same expression form (no behaviour change)`,
            edits: [],
          });
        continue;
      }
      out.changes.push({
        place,
        target: { kind: 'plug-check', id },
        key: `plug/${id}`,
        change: 'modified',
        before: text(a),
        after: text(b),
        message: `plug/${id}: ${text(a)} -> ${text(b)} (plug refused with "${b.message}")`,
        edits: [{ op: 'set-plug-check', id, check: make(b) }],
      });
    } else if (b) {
      const before = post
        .slice(0, post.indexOf(b))
        .reverse()
        .find((c) => c.id && baseline.plug.checks.some((x) => x.id === c.id));
      out.changes.push({
        place,
        target: { kind: 'plug-check', id },
        key: `plug/${id}`,
        change: 'added',
        after: text(b),
        message: `plug/${id} added: ${text(b)} refuses the plug with "${b.message}"`,
        edits: [{ op: 'set-plug-check', id, check: make(b), ...(before?.id ? { after: before.id } : {}) }],
      });
    } else if (a && has) {
      out.changes.push({
        place,
        target: { kind: 'plug-check', id },
        key: `plug/${id}`,
        change: 'removed',
        before: text(a),
        message: `plug/${id} removed: ${text(a)} no longer refuses the plug`,
        edits: [{ op: 'set-plug-check', id, check: null }],
      });
    }
  }
  // Interpretation versus interception.
  const ia = interpretation(sides, 'pre');
  const ib = interpretation(sides, 'post');
  take(sides, taken, [...(ia?.items ?? []), ...(ib?.items ?? [])]);
  const touched = [...(ia?.items ?? []), ...(ib?.items ?? [])].some((s) => s.item.touched);
  if (touched) {
    const place = placeOf(sides, ia?.items ?? [], ib?.items ?? []);
    const was = ia?.text ?? baseline.plug.interpretation;
    if (ib?.text && (!was || exprForm(ib.text) !== exprForm(was))) {
      out.changes.push({
        place,
        target: { kind: 'interpretation' },
        key: 'plug/interpretation',
        change: was ? 'modified' : 'added',
        before: was ?? 'always intercepted',
        after: ib.text,
        message: `plug/interpretation: ${was ?? 'always intercepted'} -> a vfio device is interpreted when ${ib.text}`,
        edits: [{ op: 'set-interpretation', text: ib.text }],
      });
    } else if (ib?.text) {
      out.changes.push({
        place,
        target: { kind: 'interpretation' },
        key: 'plug/interpretation',
        change: 'reformatted',
        before: was ?? '',
        after: ib.text,
        message: `plug/interpretation: rewritten, still ${ib.text}`,
        edits: [],
      });
    } else {
      out.changes.push({
        place,
        target: { kind: 'not-modelled', reason: 'the interpretation choice is not wholly in the hunks' },
        key: `not modelled: ${sides.fn} in ${sides.file}`,
        change: 'not-modelled',
        message: `not modelled: pbdev->interp assignments in ${sides.fn} (${sides.file}): the hunks do not show every condition around them`,
        edits: [],
      });
    }
  }
  traitChanges(sides, baseline, rowTraits('plug', sides.pre), rowTraits('plug', sides.post), taken, out);
  // Plug checks the model has no id for (QEMU errors it does not model).
  for (const c of [...pre, ...post])
    if (!c.id && c.at.item.touched) {
      taken.add(c.at);
      out.changes.push({
        place: placeOf(sides, pre.includes(c) ? [c.at] : [], post.includes(c) ? [c.at] : []),
        target: { kind: 'not-modelled', reason: `a plug error the model does not have ("${c.message}")` },
        key: `not modelled: ${sides.fn} in ${sides.file}`,
        change: 'not-modelled',
        message: `not modelled: if (${c.condition}) error "${c.message}" in ${sides.fn} (${sides.file}): the model assumes the plug gets past it`,
        edits: [],
      });
    }
  out.changes.push(
    ...leftovers(
      sides,
      { pre: used(sides.pre, taken), post: used(sides.post, taken) },
      'statements of the plug the model does not read',
    ),
  );
  return out;
}

/* ---- clp_service_call ---- */

const clpForm = (c: { condition: string; guard?: string; outcome: unknown }) =>
  `${exprForm(c.condition)}|${c.guard ? exprForm(c.guard) : ''}|${outcomeKey(c.outcome as never)}`;

export function clpEvidence(sides: FunctionSides): Evidence[] {
  const out: Evidence[] = [];
  for (const c of clpChecks(sides, 'pre').checks) {
    const requests = c.request === 'both' ? (['enable', 'disable'] as const) : ([c.request] as const);
    out.push({
      fn: sides.fn,
      what: `clp ${c.request}/${c.id ?? c.condition}`,
      verdict: (v) => {
        const lists = requests.map((r) => v.clp[r]);
        if (lists.every((l) => l.some((x) => clpForm(x) === clpForm(c)))) return 'match';
        return c.id && lists.some((l) => l.some((x) => x.id === c.id)) ? 'differs' : 'lacks';
      },
    });
  }
  const m = clpMaxstbl(sides.pre);
  if (m) out.push(...traitEvidence(sides.fn, [m]));
  return out;
}

export function clpChanges(sides: FunctionSides, baseline: ZpciVersionSpec): RoleReading {
  const out = empty();
  const taken = new Set<SideItem>();
  const pre = clpChecks(sides, 'pre');
  const post = clpChecks(sides, 'post');
  const node = (c: (typeof post.checks)[number], id: string): CheckNode => {
    const outcome = modelOutcome(c.outcome) ?? { notModelled: outcomeText(c.outcome) };
    const n: CheckNode = {
      kind: 'check',
      id,
      label: c.base?.label ?? `CLP check from the patch`,
      condition: c.condition,
      outcome,
    };
    if (c.guard) n.guard = c.guard;
    return n;
  };
  const requestsOf = (r: 'enable' | 'disable' | 'both') =>
    r === 'both' ? (['enable', 'disable'] as const) : ([r] as const);
  const usedP = new Set<number>();
  post.checks.forEach((b, bi) => {
    take(sides, taken, [b.at]);
    const writes = writingCall(b.condition);
    if (writes && !pre.checks.some((a) => clpForm(a) === clpForm(b))) {
      out.changes.push({
        place: placeOf(sides, [], [b.at]),
        target: {
          kind: 'not-modelled',
          reason: `the condition calls ${writes}, which writes state the model does not follow`,
        },
        key: `not modelled: ${sides.fn} in ${sides.file}`,
        change: 'not-modelled',
        after: `if (${b.condition})`,
        message: `not modelled: CLP ${b.request} check if (${b.condition}) in ${sides.fn} (${sides.file}): ${writes} writes what the condition then reads; the model takes the call to succeed`,
        edits: [],
      });
      return;
    }
    const ai = pre.checks.findIndex(
      (a, i) =>
        !usedP.has(i) && a.request === b.request && (clpForm(a) === clpForm(b) || (!!a.id && a.id === b.id)),
    );
    const a = ai >= 0 ? pre.checks[ai] : undefined;
    if (a) {
      usedP.add(ai);
      take(sides, taken, [a.at]);
    }
    const place = placeOf(sides, a ? [a.at] : [], [b.at]);
    if (a && clpForm(a) === clpForm(b)) {
      if (a.at.item.touched || b.at.item.touched)
        out.changes.push({
          place,
          target: {
            kind: 'clp-check',
            request: b.request === 'both' ? 'enable' : b.request,
            id: b.id ?? 'clp',
          },
          key: `clp-${b.request}/${b.id ?? 'check'}`,
          change: 'reformatted',
          message: `CLP ${b.request} check ${b.condition}: rewritten with the same expression form`,
          edits: [],
        });
      return;
    }
    const edits: ZpciEdit[] = [];
    for (const r of requestsOf(b.request)) {
      const list = baseline.clp[r];
      const id = a?.id && list.some((x) => x.id === a.id) ? a.id : (b.id ?? `patch-clp-${bi}`);
      const prev = post.checks
        .slice(0, bi)
        .reverse()
        .find((x) => x.id && list.some((y) => y.id === x.id));
      edits.push({
        op: 'set-clp-check',
        request: r,
        id,
        check: node(b, id),
        ...(list.some((x) => x.id === id) ? {} : prev?.id ? { after: prev.id } : {}),
      });
    }
    const id = (edits[0] as Extract<ZpciEdit, { op: 'set-clp-check' }> | undefined)?.id ?? 'check';
    out.changes.push({
      place,
      target: { kind: 'clp-check', request: b.request === 'both' ? 'enable' : b.request, id },
      key: `clp-${b.request}/${id}`,
      change: a ? 'modified' : 'added',
      ...(a ? { before: `if (${a.condition})` } : {}),
      after: `${b.guard ? `if (${b.guard}) ` : ''}if (${b.condition})`,
      message: `CLP SET PCI FUNCTION ${b.request}: ${a ? `if (${a.condition}) -> ` : 'new check '}${b.guard ? `if (${b.guard}) ` : ''}if (${b.condition}) answers ${outcomeText(b.outcome)}`,
      edits,
    });
  });
  pre.checks.forEach((a, ai) => {
    if (usedP.has(ai)) return;
    take(sides, taken, [a.at]);
    if (!a.at.item.touched) return;
    const edits: ZpciEdit[] = requestsOf(a.request)
      .filter((r) => a.id && baseline.clp[r].some((x) => x.id === a.id))
      .map((r) => ({ op: 'set-clp-check' as const, request: r, id: a.id!, check: null }));
    out.changes.push({
      place: placeOf(sides, [a.at], []),
      target: edits.length
        ? { kind: 'clp-check', request: a.request === 'both' ? 'enable' : a.request, id: a.id! }
        : { kind: 'not-modelled', reason: 'a CLP check the model does not have' },
      key: edits.length ? `clp-${a.request}/${a.id}` : `not modelled: ${sides.fn} in ${sides.file}`,
      change: edits.length ? 'removed' : 'not-modelled',
      before: `if (${a.condition})`,
      message: edits.length
        ? `CLP ${a.request}/${a.id} removed: if (${a.condition})`
        : `not modelled: if (${a.condition}) (${outcomeText(a.outcome)}) in ${sides.fn} (${sides.file})`,
      edits,
    });
  });
  traitChanges(sides, baseline, maybe(clpMaxstbl(sides.pre)), maybe(clpMaxstbl(sides.post)), taken, out);
  out.changes.push(
    ...leftovers(
      sides,
      { pre: used(sides.pre, taken), post: used(sides.post, taken) },
      'CLP statements the model does not read (it models SET PCI FUNCTION enable/disable and the group maxstbl)',
    ),
  );
  return out;
}

const maybe = <T>(x: T | undefined): T[] => (x ? [x] : []);

/* ---- s390_pci_read_group, s390_pci_read_base ---- */

export function groupEvidence(sides: FunctionSides): Evidence[] {
  const out = traitEvidence(sides.fn, [...maybe(groupMaxstbl(sides.pre)), ...rowTraits('group', sides.pre)]);
  if (newFunction(sides))
    for (const t of [...maybe(groupMaxstbl(sides.post)), ...rowTraits('group', sides.post)]) {
      const fallback = FALLBACK[t.trait];
      if (fallback !== undefined)
        out.push({
          fn: sides.fn,
          what: `${sides.fn} is new: trait ${t.trait} = ${String(fallback)} before`,
          verdict: (v) => (v.traits[t.trait] === fallback ? 'match' : 'differs'),
        });
    }
  return out;
}

export function groupChanges(sides: FunctionSides, baseline: ZpciVersionSpec): RoleReading {
  const out = empty();
  const taken = new Set<SideItem>();
  traitChanges(
    sides,
    baseline,
    [...maybe(groupMaxstbl(sides.pre)), ...rowTraits('group', sides.pre)],
    [...maybe(groupMaxstbl(sides.post)), ...rowTraits('group', sides.post)],
    taken,
    out,
  );
  out.changes.push(
    ...leftovers(
      sides,
      { pre: used(sides.pre, taken), post: used(sides.post, taken) },
      'PCI group values the model does not read (it reads maxstbl, fr and the simulated groups)',
    ),
  );
  return out;
}

/** s390_pci_read_base: the host PFT kept in pbdev->pft and the guest's PFT 0 are what the model assumes. */
export function baseChanges(sides: FunctionSides): RoleReading {
  const out = empty();
  const taken = new Set<SideItem>();
  for (const side of ['pre', 'post'] as const)
    for (const s of sides[side]) {
      if (s.item.kind !== 'assign' || !s.item.touched) continue;
      if (s.item.target === 'pbdev->pft' || s.item.target === 'pbdev->zpci_fn.pft') {
        taken.add(s);
        out.changes.push({
          place: placeOf(sides, side === 'pre' ? [s] : [], side === 'post' ? [s] : []),
          target: {
            kind: 'none',
            reason:
              s.item.target === 'pbdev->pft'
                ? "the model's pbdev->pft is the device kind's PFT (the host's)"
                : 'the guest sees PFT 0 for vfio devices in every modelled version',
          },
          key: `${sides.fn}: ${s.item.target}`,
          change: 'none',
          message: `${s.item.target} = ${s.item.value} in ${sides.fn}: as the model assumes`,
          edits: [],
        });
      }
    }
  out.changes.push(
    ...leftovers(
      sides,
      { pre: used(sides.pre, taken), post: used(sides.post, taken) },
      'CLP function values the model does not read',
    ),
  );
  return out;
}

/* ---- functions the model computes, functions it does not model ---- */

export function modelFunctionChanges(
  sides: FunctionSides,
  role: Extract<FunctionRole, { role: 'model-function' }>,
): RoleReading {
  const out = empty();
  const all = [...sides.pre, ...sides.post];
  const touched = all.filter((s) => s.item.touched);
  if (!touched.length) return out;
  const added =
    sides.post.some((s) => s.item.kind === 'function' && s.item.touched) &&
    !sides.pre.some((s) => s.item.kind === 'function');
  const place = placeOf(
    sides,
    sides.pre.filter((s) => s.item.touched),
    sides.post.filter((s) => s.item.touched),
  );
  if (!added && touched.every((s) => s.item.kind === 'neutral')) {
    out.changes.push(...leftovers(sides, { pre: sides.pre, post: sides.post }, ''));
    return out;
  }
  out.changes.push(
    added
      ? {
          place,
          target: { kind: 'none', reason: `the model computes ${sides.fn} itself: ${role.computes}` },
          key: `${sides.fn}: computed by the model`,
          change: 'none',
          message: `${sides.fn} (new in ${sides.file}): the model computes it itself (${role.computes}); its body is not read`,
          edits: [],
        }
      : {
          place,
          target: {
            kind: 'not-modelled',
            reason: `the body of ${sides.fn} (the model computes it as: ${role.computes})`,
          },
          key: `not modelled: ${sides.fn} in ${sides.file}`,
          change: 'not-modelled',
          message: `not modelled: ${sides.fn} in ${sides.file}: the model computes it as ${role.computes}, and does not read its body`,
          edits: [],
        },
  );
  return out;
}

/** Device properties the model reads as fixed: `interpret` (on by default) is what plug assumes. */
const KNOWN_PROPERTIES: readonly { test: RegExp; why: string }[] = [
  {
    test: /DEFINE_PROP_BOOL\(\s*"interpret"\s*,\s*S390PCIBusDevice\s*,\s*interp\s*,\s*true\s*\)/,
    why: 'the interpret property, on by default: what the plug takes pbdev->interp to be',
  },
];

export function unmodelledChanges(sides: FunctionSides): RoleReading {
  const out = empty();
  const taken = new Set<SideItem>();
  for (const side of ['pre', 'post'] as const)
    for (const s of sides[side]) {
      const row = s.item.touched ? KNOWN_PROPERTIES.find((r) => r.test.test(s.item.text)) : undefined;
      if (!row) continue;
      taken.add(s);
      out.changes.push({
        place: placeOf(sides, side === 'pre' ? [s] : [], side === 'post' ? [s] : []),
        target: { kind: 'none', reason: row.why },
        key: 'property interpret',
        change: 'none',
        message: `${row.why} (${sides.file})`,
        edits: [],
      });
    }
  out.changes.push(
    ...leftovers(
      sides,
      { pre: sides.pre.filter((s) => !taken.has(s)), post: sides.post.filter((s) => !taken.has(s)) },
      `the model does not cover ${sides.fn || 'this code'}`,
    ),
  );
  return out;
}

/* ---- headers ---- */

function defineValue(text: string, defines: ReadonlyMap<string, string>, depth = 0): number | undefined {
  const t = text
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  if (depth > 8) return undefined;
  if (/^0x[0-9a-f]+[ul]*$/i.test(t)) return parseInt(t, 16);
  if (/^\d+[ul]*$/i.test(t)) return parseInt(t, 10);
  const shift = /^(\w+)\s*<<\s*(\w+)$/.exec(t);
  if (shift) {
    const a = defineValue(shift[1], defines, depth + 1);
    const b = defineValue(shift[2], defines, depth + 1);
    return a !== undefined && b !== undefined && b < 53 ? a * 2 ** b : undefined;
  }
  if (/^[A-Za-z_]\w*$/.test(t)) {
    const d = defines.get(t);
    if (d !== undefined) return defineValue(d, defines, depth + 1);
    if (Object.prototype.hasOwnProperty.call(ZPCI_CONSTANTS, t)) return ZPCI_CONSTANTS[t];
  }
  return undefined;
}

/** Struct fields a version's trait stands for: adding one sets the trait (when nothing assigns the field). */
export function headerChanges(sides: FunctionSides, allPost: readonly SideItem[]): RoleReading {
  const out = empty();
  const taken = new Set<SideItem>();
  const defines = new Map<string, string>();
  for (const s of [...sides.post, ...sides.pre])
    if (s.item.kind === 'define') defines.set(s.item.name, s.item.value);
  for (const side of ['pre', 'post'] as const)
    for (const s of sides[side]) {
      if (!s.item.touched) continue;
      if (s.item.kind === 'define') {
        taken.add(s);
        const d = s.item;
        const known = Object.prototype.hasOwnProperty.call(ZPCI_CONSTANTS, d.name);
        const value = defineValue(d.value, defines);
        const place = placeOf(sides, side === 'pre' ? [s] : [], side === 'post' ? [s] : []);
        if (side === 'pre') continue; // a removed definition: its users' changes say what it meant
        if (known && value === ZPCI_CONSTANTS[d.name])
          out.changes.push({
            place,
            target: { kind: 'none', reason: `constant ${d.name} = ${value}, as the model has it` },
            key: `constant ${d.name}`,
            change: 'none',
            message: `#define ${d.name} ${d.value}: ${value}, the value the model uses`,
            edits: [],
          });
        else if (known)
          out.changes.push({
            place,
            target: { kind: 'not-modelled', reason: `the model has ${d.name} = ${ZPCI_CONSTANTS[d.name]}` },
            key: `not modelled: #define ${d.name} in ${sides.file}`,
            change: 'not-modelled',
            message: `not modelled: #define ${d.name} ${d.value} in ${sides.file}: the model's constant is ${ZPCI_CONSTANTS[d.name]}`,
            edits: [],
          });
        else
          out.changes.push({
            place,
            target: { kind: 'none', reason: `a name the model's C text does not use` },
            key: `constant ${d.name}`,
            change: 'none',
            message: `#define ${d.name} ${d.value} in ${sides.file}: a name no modelled check reads`,
            edits: [],
          });
        continue;
      }
      if (s.item.kind === 'field') {
        taken.add(s);
        const f = s.item as ItemOf<'field'>;
        const place = placeOf(sides, side === 'pre' ? [s] : [], side === 'post' ? [s] : []);
        if (side === 'post' && f.container === 'S390PCIBusDevice' && f.name === 'maxstbl') {
          const assigned = allPost.some(
            (x) => x.item.kind === 'assign' && /^pbdev->maxstbl$/.test(x.item.target),
          );
          out.changes.push({
            place,
            target: { kind: 'trait', trait: 'pbdevMaxstbl' },
            key: 'trait pbdevMaxstbl',
            change: 'added',
            after: assigned ? 'assigned' : '0',
            message: assigned
              ? 'S390PCIBusDevice.maxstbl added and assigned in the patch (its value is not read)'
              : 'S390PCIBusDevice.maxstbl added; nothing in the patch assigns it, so pbdev->maxstbl is 0 (the device is zero-initialised)',
            edits: assigned ? [] : [{ op: 'set-trait', trait: 'pbdevMaxstbl', value: 0 }],
          });
          continue;
        }
        out.changes.push({
          place,
          target: { kind: 'none', reason: 'a struct field (what assigns and reads it decides)' },
          key: `field ${f.container}.${f.name}`,
          change: 'none',
          message: `struct ${f.container}: field ${f.name} ${side === 'pre' ? 'removed' : 'added'} (${f.type}); the code that sets and reads it decides`,
          edits: [],
        });
      }
    }
  out.changes.push(
    ...leftovers(
      sides,
      { pre: used(sides.pre, taken), post: used(sides.post, taken) },
      'header declarations the model does not read',
    ),
  );
  return out;
}
