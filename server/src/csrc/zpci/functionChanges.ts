/**
 * The changes of the functions that are no instruction body:  (plug in plugChanges.ts, CLP in
 * clpChanges.ts) s390_pci_read_group / _read_base (the PCI group's maxstbl,
 * simulated groups, PFT), the functions the model computes itself, the headers (constants and
 * struct fields), and every other function of these files ("not modelled", with the place).
 * Each reading also gives the evidence its pre-images hold for detecting the baseline.
 */
import { ZPCI_CONSTANTS, type ZpciVersionSpec } from '../../model/zpci';
import type { ItemOf } from './reader';
import { type FunctionRole } from './roles';
import { type FunctionSides, type SideItem, leftovers, placeOf } from './sides';
import { groupMaxstbl, rowTraits } from './traits';
import {
  type Evidence,
  type RoleReading,
  FALLBACK,
  empty,
  maybe,
  newFunction,
  traitChanges,
  traitEvidence,
  used,
} from './roleCommon';

export { clpChanges, clpEvidence } from './clpChanges';
export { plugChanges, plugEvidence } from './plugChanges';
export type { Evidence, RoleReading } from './roleCommon';

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
