/**
 * What the per-role readers share: the evidence a pre-image gives for the baseline, a role's
 * reading (changes, drift), taking items together with the guards above them, and the changes
 * of traits read from statements (a trait whose statement is new, changed, or removed).
 */
import { type ZpciEdit, type ZpciVersionSpec, type ZpciVersionTraits } from '../../model/zpci';
import { type FunctionSides, type SideItem, containersAbove, placeOf, sameItems } from './sides';
import { type TraitReading } from './traits';
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

export const empty = (): RoleReading => ({ changes: [], drift: [], driftEdits: [] });

/** Takes items and the guards and cases above them (the conditions they sit in are theirs). */
export function take(sides: FunctionSides, taken: Set<SideItem>, items: readonly SideItem[]): void {
  for (const side of ['pre', 'post'] as const) {
    const mine = items.filter((x) => sides[side].includes(x));
    for (const s of mine) {
      taken.add(s);
      for (const c of sameItems(sides, side, containersAbove(sides, side, s))) taken.add(c);
    }
  }
}

export function used(all: SideItem[], taken: Set<SideItem>): SideItem[] {
  return all.filter((s) => !taken.has(s));
}

/* ---- traits shared by plug, clp and group ---- */

export function traitChanges(
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
export const FALLBACK: Partial<ZpciVersionTraits> = {
  clpMaxstbl: 'reserved',
  groupMaxstbl: 'none',
  fhShmBits: false,
  ismReset: false,
  simulatedGroups: false,
  relaxedFromHost: false,
};

export function traitEvidence(fn: string, readings: TraitReading[]): Evidence[] {
  return readings.map((t) => ({
    fn,
    what: `trait ${t.trait} = ${String(t.value)}`,
    verdict: (v) => (v.traits[t.trait] === t.value ? 'match' : 'differs'),
  }));
}

export const maybe = <T>(x: T | undefined): T[] => (x ? [x] : []);
