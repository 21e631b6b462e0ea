/**
 * s390_pcihost_plug: the plug checks (an `if` erroring the plug with QEMU's message, matched by
 * that message), the choice between interpretation and interception (the assignments of
 * `pbdev->interp`), the FH_SHM bits and the ISM reset; what else it does is "not modelled".
 */
import { type PlugCheck, type ZpciVersionSpec } from '../../model/zpci';
import { exprForm } from './cForm';
import { type FunctionSides, type SideItem, leftovers, placeOf } from './sides';
import { VFIO_CAST, interpretation, plugChecks, plugForm, rowTraits } from './traits';
import {
  type Evidence,
  type RoleReading,
  empty,
  take,
  traitChanges,
  traitEvidence,
  used,
} from './roleCommon';

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
