/**
 * The items of an instruction function (pcilg/pcistg/pcistb_service_call) that stand for model
 * nodes, as "units" in QEMU's order across the hunks of one side: checks (with the guard of the
 * `if`s around them), branch cases, accesses, loops, and the decode of len/pcias. A guard whose
 * test is a case some version's branch has (`if (pcias < 6) {` whose `else` lies past the hunk)
 * is that case; a case of a switch whose head is in no hunk gets the subject the versions test.
 */
import type { ZpciInstruction } from '../../model/zpci';
import { exprForm } from './cForm';
import { accessForm, caseForm, caseSubjects, nameFromVersions } from './known';
import { outcomeKey } from './outcome';
import { ORPHAN_SUBJECT, type ReadItem } from './reader';
import type { ReadOutcome } from './types';

export type UnitKind = 'check' | 'case' | 'access' | 'loop' | 'decode';

export interface Unit {
  kind: UnitKind;
  hunk: number;
  /** Index of the item in its hunk side's item list. */
  itemIndex: number;
  item: ReadItem;
  lines: number[];
  touched: boolean;
  /** The C text: condition, case test (null: default), access statement, loop test, decoded value. */
  text: string | null;
  form: string;
  key: string;
  outcome?: ReadOutcome;
  guard?: string;
  partial?: boolean;
  /** Index of the enclosing case or loop unit on this side, -1 at the top. */
  container: number;
  callee?: string;
  args?: string[];
  assign?: string;
  variable?: string;
  step?: number;
  field?: 'len' | 'pcias';
}

export interface HunkItems {
  hunk: number;
  /** Every item of the hunk side (parents index into it). */
  items: ReadItem[];
  /** The indices that belong to the function read (all when absent). */
  only?: ReadonlySet<number>;
}

export interface SideUnits {
  units: Unit[];
  /** Items that are no unit (assignments, calls, labels, neutral and unreadable statements). */
  others: { hunk: number; itemIndex: number; item: ReadItem }[];
}

function resolveOrphan(when: string, instruction: ZpciInstruction): string {
  if (!when.includes(ORPHAN_SUBJECT)) return when;
  for (const subject of caseSubjects(instruction)) {
    const candidate = when.split(ORPHAN_SUBJECT).join(subject);
    if (nameFromVersions(instruction, 'case', exprForm(candidate))) return candidate;
  }
  return when;
}

function checkUnitKey(form: string, outcome: ReadOutcome | undefined, guard: string | undefined): string {
  return `check|${form}|${outcome ? outcomeKey(outcome) : '?'}|${guard ? exprForm(guard) : ''}`;
}

export function unitsOf(side: readonly HunkItems[], instruction: ZpciInstruction): SideUnits {
  const units: Unit[] = [];
  const others: SideUnits['others'] = [];
  for (const { hunk, items, only } of side) {
    // Per item of this hunk: the unit it became, or (for a guard) its test.
    const unitOf = new Map<number, number>();
    const guardOf = new Map<number, string>();
    const containerOf = (parent: number): number => {
      for (let p = parent, n = 0; p >= 0 && n < 64; p = items[p].parent, n++)
        if (unitOf.has(p)) return unitOf.get(p)!;
      return -1;
    };
    const guardsOf = (parent: number): string[] => {
      const out: string[] = [];
      for (let p = parent, n = 0; p >= 0 && n < 64; p = items[p].parent, n++)
        if (guardOf.has(p)) out.unshift(guardOf.get(p)!);
      return out;
    };
    items.forEach((item, itemIndex) => {
      if (only && !only.has(itemIndex)) return;
      const base = {
        hunk,
        itemIndex,
        item,
        lines: item.lines,
        touched: item.touched,
        container: containerOf(item.parent),
      };
      const add = (u: Unit) => {
        unitOf.set(itemIndex, units.length);
        units.push(u);
      };
      switch (item.kind) {
        case 'check': {
          const guards = guardsOf(item.parent);
          const guard = guards.length ? guards.join(' && ') : undefined;
          const form = exprForm(item.condition);
          add({
            ...base,
            kind: 'check',
            text: item.condition,
            form,
            key: checkUnitKey(form, item.outcome, guard),
            ...(item.outcome ? { outcome: item.outcome } : {}),
            ...(guard ? { guard } : {}),
            ...(item.partial ? { partial: true } : {}),
          });
          return;
        }
        case 'guard': {
          const form = caseForm(item.condition);
          if (nameFromVersions(instruction, 'case', form)) {
            add({ ...base, kind: 'case', text: item.condition, form, key: `case|${form}` });
          } else guardOf.set(itemIndex, item.condition);
          return;
        }
        case 'case': {
          // A default (or last else) carries no test: the checks in it carry its behaviour.
          if (item.when === null) return;
          const when = resolveOrphan(item.when, instruction);
          const form = caseForm(when);
          add({ ...base, kind: 'case', text: when, form, key: `case|${form}` });
          return;
        }
        case 'access': {
          const form = accessForm(item.statement, item.assign);
          add({
            ...base,
            kind: 'access',
            text: item.statement,
            form,
            key: `access|${form}`,
            callee: item.callee,
            args: item.args,
            ...(item.assign ? { assign: item.assign } : {}),
          });
          return;
        }
        case 'loop': {
          const form = `${exprForm(item.test)}|${item.step}`;
          add({
            ...base,
            kind: 'loop',
            text: item.test,
            form,
            key: `loop|${form}`,
            variable: item.variable,
            step: item.step,
          });
          return;
        }
        case 'assign':
          if ((item.target === 'len' || item.target === 'pcias') && item.op === '=') {
            const form = exprForm(item.value);
            add({
              ...base,
              kind: 'decode',
              text: item.value,
              form,
              key: `decode|${item.target}|${form}`,
              field: item.target,
            });
            return;
          }
          others.push({ hunk, itemIndex, item });
          return;
        default:
          others.push({ hunk, itemIndex, item });
      }
    });
  }
  return { units, others };
}

/** How a unit is named in messages: "if (!len || ...)", "case pcias == 15", "for (i < len / 8)". */
export function unitText(u: Unit): string {
  switch (u.kind) {
    case 'check':
      return `if (${u.text})`;
    case 'case':
      return u.text === null ? 'default:' : `case ${u.text}`;
    case 'access':
      return u.text ?? '';
    case 'loop':
      return `for (${u.variable} = 0; ${u.text}; ${u.variable} += ${u.step})`;
    case 'decode':
      return `${u.field} = ${u.text}`;
  }
}
