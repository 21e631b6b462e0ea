/**
 * From facts to changes: the facts of every hunk are grouped by the model slot they place; a
 * slot with a fact on a changed line is a change, its before the pre-images' value and its after
 * the post-images' (none: removed). Equal values after names are replaced by theirs are "no
 * behaviour change" with the reason; a value read incompletely is "not modelled"; a built-in the
 * model computes the same way in every variant joins the decision that uses it.
 */
import type { ConfigEdit } from '../../model/vfio/config';
import { canonical, constantOf, resolveExpr, sameValue, unknownNames } from './values';
import { parseCExpression } from '../cexpr';
import type { ConfigChange, ConfigFact, ConfigSlot, SideFacts } from './types';
import { LOCK_HELPER, VIA_LOCK_HELPER } from './writeDecisions';

/** Built-ins that are part of a decision: they join its change. */
const SERVES: Record<string, string> = {
  [LOCK_HELPER]: 'decision|pm-lock-zap',
  vfio_update_pm_vconfig_bytes: 'decision|pm-vconfig-clear',
  direct_ro_perms: 'decision|ecap-unknown-perms',
};

const SETTER = { 1: 'p_setb', 2: 'p_setw', 4: 'p_setd' } as const;
const hex = (n: number) => `0x${n.toString(16)}`;

export function slotKey(s: ConfigSlot): string {
  switch (s.kind) {
    case 'perm-row': {
      const when =
        s.when === null ? '' : s.when === 'outside' ? '?' : canonical(resolveExpr(parseCExpression(s.when)));
      return `perm-row|${s.cap}|${s.offset}|${s.width}|${when}`;
    }
    case 'perm-entry':
      return `perm-entry|${s.cap}|${s.field}`;
    case 'length':
      return `length|${s.space}|${s.id}`;
    case 'decision':
    case 'command':
      return `${s.kind}|${s.decision}`;
    case 'built-in':
      return `built-in|${s.what}`;
  }
}

export function slotName(s: ConfigSlot, f?: ConfigFact): string {
  switch (s.kind) {
    case 'perm-row':
      return `${s.cap} ${SETTER[s.width]} row at ${f?.offsetText ?? hex(s.offset)}${s.offset >= 0 ? ` (${hex(s.offset)})` : ''}`;
    case 'perm-entry':
      return `${s.cap} ${s.field}`;
    case 'length':
      return `${s.space === 'ext' ? 'pci_ext_cap_length' : 'pci_cap_length'}[${s.id >= 0 ? hex(s.id) : '?'}]`;
    case 'decision':
      return `decision ${s.decision}`;
    case 'command':
      return `Command-register decision ${s.decision}`;
    case 'built-in':
      return s.what;
  }
}

const show = (v: string | null | undefined) =>
  v === undefined ? '(not shown)' : v === null ? '(none)' : `\`${v}\``;

interface Located {
  fact: ConfigFact;
  sides: SideFacts;
  changed: boolean;
}

/** Two values of one slot: the same, and why. */
function compare(slot: ConfigSlot, a: ConfigFact, b: ConfigFact): { same: boolean; detail: string } {
  if (a.value === null || b.value === null)
    return a.value === b.value ? { same: true, detail: 'absent on both sides' } : { same: false, detail: '' };
  if (slot.kind === 'perm-row' && a.row && b.row) {
    const masks = (f: ConfigFact) => [constantOf(f.row!.virt), constantOf(f.row!.write)];
    const [va, wa] = masks(a);
    const [vb, wb] = masks(b);
    const width = slot.width === 4 ? 0xffffffff : (1 << (8 * slot.width)) - 1;
    if (va === undefined || vb === undefined || wa === undefined || wb === undefined)
      return sameValue(a.value, b.value);
    const same = (va & width) >>> 0 === (vb & width) >>> 0 && (wa & width) >>> 0 === (wb & width) >>> 0;
    return {
      same,
      detail: same ? `virt ${hex((va & width) >>> 0)}, write ${hex((wa & width) >>> 0)} on both sides` : '',
    };
  }
  if (slot.kind === 'built-in')
    return a.value === b.value ? { same: true, detail: 'the same form' } : { same: false, detail: '' };
  return sameValue(a.value, b.value);
}

function editFor(slot: ConfigSlot, before: Located | undefined, after: Located | undefined): ConfigEdit[] {
  const value = after ? after.fact.value : null;
  switch (slot.kind) {
    case 'decision':
      return [{ kind: 'decision', decision: slot.decision, text: value }];
    case 'command':
      return [{ kind: 'command', decision: slot.decision, text: value }];
    case 'length':
      return [
        { kind: 'length', space: slot.space, id: slot.id, text: value },
        ...(after?.fact.implies ?? []),
      ];
    case 'perm-entry':
      return [{ kind: 'perm-entry', cap: slot.cap, field: slot.field, value }];
    case 'perm-row': {
      const f = (after ?? before)!.fact;
      return [
        {
          kind: 'perm-row',
          cap: slot.cap,
          offset: f.offsetText ?? String(slot.offset),
          width: slot.width,
          when: slot.when,
          row: after?.fact.row ?? null,
        },
      ];
    }
    case 'built-in':
      return [];
  }
}

const placesOf = (ls: Located[]) =>
  ls
    .filter((l) => l.changed || ls.every((x) => !x.changed))
    .map((l) => ({
      hunk: l.sides.hunk,
      side: l.sides.side,
      lines: [...new Set([...l.fact.lines, ...l.fact.covers])].sort((a, b) => a - b),
    }));

/** Pick one fact of a side: a changed one first; say when the side's facts disagree. */
function pick(ls: Located[]): { one?: Located; disagree: boolean } {
  const changed = ls.filter((l) => l.changed);
  const pool = changed.length ? changed : ls;
  const one = pool[0];
  // the model holds one value per slot: say so when the side shows two (msi-flags-covered in read and write)
  const disagree = ls.some((l) => l.fact.value !== one?.fact.value);
  return { one, disagree };
}

export interface FactChanges {
  changes: ConfigChange[];
  /** Per SideFacts (same order): the lines the facts explain. */
  covered: Set<number>[];
}

export function changesFromFacts(sides: SideFacts[], files: string[]): FactChanges {
  const covered = sides.map(() => new Set<number>());
  const bySlot = new Map<string, { slot: ConfigSlot; pre: Located[]; post: Located[] }>();
  sides.forEach((s, si) => {
    for (const fact of s.facts) {
      const changed = [...fact.lines, ...fact.covers].some((i) => s.image[i]?.changed);
      fact.covers.forEach((i) => covered[si].add(i));
      const key = slotKey(fact.slot);
      const entry = bySlot.get(key) ?? { slot: fact.slot, pre: [], post: [] };
      entry[s.side].push({ fact, sides: s, changed });
      bySlot.set(key, entry);
    }
  });
  resolveLockHelper(bySlot);
  const changes: ConfigChange[] = [];
  const byKey = new Map<string, ConfigChange>();
  const joined = new Set<string>();
  for (const [key, { slot, pre, post }] of bySlot) {
    if (![...pre, ...post].some((l) => l.changed)) continue;
    const b = pick(pre);
    const a = pick(post);
    const file = files[(a.one ?? b.one)!.sides.hunk];
    const fn = (a.one ?? b.one)!.fact.function;
    const target = slotName(slot, (a.one ?? b.one)!.fact);
    const before = b.one?.fact.value;
    const after = a.one ? a.one.fact.value : pre.length ? null : undefined;
    const base = { file, function: fn, places: placesOf([...pre, ...post]), target, before, after };
    const disagreement = a.disagree
      ? ' (the post-images hold more than one form of it; the model has one, the changed one is taken)'
      : '';
    if (slot.kind === 'built-in') {
      const serves = SERVES[slot.what];
      const agrees = a.one ? a.one.fact.builtIn?.agrees : b.one?.fact.builtIn?.agrees;
      if (serves && agrees && a.one) {
        joined.add(key);
        continue;
      }
      if (a.one && agrees) {
        const both = b.one?.fact.builtIn?.agrees;
        const how = both
          ? 'both sides compute'
          : b.one
            ? 'the post-image computes (the pre-image did not)'
            : 'the added code computes';
        changes.push({
          ...base,
          kind: 'no-behaviour-change',
          edits: [],
          message: `no behaviour change: ${how} ${target} as the model does in every variant (${a.one.fact.builtIn?.model}; ${a.one.fact.builtIn?.why})`,
        });
      } else {
        const why = a.one ? a.one.fact.builtIn?.why : 'the patch removes it';
        changes.push({
          ...base,
          kind: 'not-modelled',
          edits: [],
          message: `not modelled: ${target} in ${file}: ${why}; the model runs ${(a.one ?? b.one)!.fact.builtIn?.model}`,
        });
      }
      continue;
    }
    const problem =
      a.one?.fact.problem ??
      (a.one ? undefined : b.one?.fact.problem) ??
      unknownConstants(slot, a.one?.fact.value);
    if (problem) {
      changes.push({
        ...base,
        kind: 'not-modelled',
        edits: [],
        message: `not modelled: ${target} in ${file}${fn ? ` (${fn})` : ''}: ${problem}`,
      });
      continue;
    }
    if (b.one && a.one) {
      const c = compare(slot, b.one.fact, a.one.fact);
      if (c.same) {
        changes.push({
          ...base,
          kind: 'no-behaviour-change',
          edits: [],
          message: `no behaviour change: ${target} re-spelled, ${show(before)} → ${show(after)}: ${c.detail}`,
        });
        continue;
      }
    }
    const change: ConfigChange = {
      ...base,
      kind: 'model',
      edits: editFor(slot, b.one, a.one),
      message: `${target}: ${show(before)} → ${show(after)}${disagreement}`,
    };
    changes.push(change);
    byKey.set(key, change);
  }
  // a built-in that serves a decision joins the decision's change (or says it changes nothing by itself)
  for (const key of joined) {
    const entry = bySlot.get(key)!;
    const what = entry.slot.kind === 'built-in' ? entry.slot.what : '';
    const host = byKey.get(SERVES[what]);
    const places = placesOf([...entry.pre, ...entry.post]);
    if (host?.kind === 'model') host.places.push(...places);
    else {
      const l = entry.post[0] ?? entry.pre[0];
      changes.push({
        kind: 'no-behaviour-change',
        file: files[l.sides.hunk],
        function: l.fact.function,
        places,
        target: what,
        before: entry.pre[0]?.fact.value,
        after: l.fact.value,
        edits: [],
        message: `no behaviour change by itself: ${l.fact.what} is the model's built-in (${l.fact.builtIn?.model}); the patch does not change ${SERVES[what].replace('|', ' ')}`,
      });
    }
  }
  return { changes, covered };
}

/** Names a decision's scope gives (run.ts): the table bounds of the variant. */
const SCOPE_CONSTANTS = new Set(['PCI_CAP_ID_MAX', 'PCI_EXT_CAP_ID_MAX']);

/**
 * A decision naming a macro constant the model has no value for: a rename it cannot read, not an
 * unknown fact to fork on (fields, locals and calls still fork in the model).
 */
function unknownConstants(slot: ConfigSlot, value: string | null | undefined): string | undefined {
  if ((slot.kind !== 'decision' && slot.kind !== 'command') || !value) return undefined;
  const names = unknownNames(value).filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n) && !SCOPE_CONSTANTS.has(n));
  if (!names.length) return undefined;
  return `${names.map((n) => `"${n}"`).join(', ')} ${names.length > 1 ? 'are macros' : 'is a macro'} whose value the model does not know`;
}

/** `vfio_pm_config_write` calls the lock helper: its decision is the helper's condition. */
function resolveLockHelper(bySlot: Map<string, { slot: ConfigSlot; pre: Located[]; post: Located[] }>): void {
  const helper = bySlot.get(`built-in|${LOCK_HELPER}`);
  const zap = bySlot.get('decision|pm-lock-zap');
  if (!zap) return;
  for (const side of ['pre', 'post'] as const) {
    for (const l of zap[side]) {
      if (l.fact.value !== VIA_LOCK_HELPER) continue;
      const def = helper?.[side][0] ?? helper?.[side === 'pre' ? 'post' : 'pre'][0];
      if (def && def.fact.value) l.fact.value = def.fact.value;
      else l.fact.problem = `it calls ${LOCK_HELPER}, whose condition the patch does not show`;
    }
  }
}
