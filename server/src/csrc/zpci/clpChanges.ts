/**
 * clp_service_call: the checks of CLP SET PCI FUNCTION enable and disable (which request a check
 * belongs to from the case above it, or what the function then does to the fh), and the maxstbl
 * Query PCI Function Group reports; a condition that writes through `&x` is "not modelled".
 */
import { type CheckNode, type ZpciEdit, type ZpciVersionSpec } from '../../model/zpci';
import { exprForm } from './cForm';
import { modelOutcome, outcomeKey, outcomeText } from './outcome';
import { writingCall } from './roles';
import { type FunctionSides, type SideItem, leftovers, placeOf } from './sides';
import { clpChecks, clpMaxstbl } from './traits';
import {
  type Evidence,
  type RoleReading,
  empty,
  maybe,
  take,
  traitChanges,
  traitEvidence,
  used,
} from './roleCommon';

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
