/**
 * What a check's body does, read statement by statement: the condition code and status it sets
 * (`setcc(cpu, ZPCI_PCI_LS_ERR)`, `s390_set_status_code(env, r2, ZPCI_PCI_ST_BLOCKED)`), the
 * program interrupt it raises, the CLP response it writes, the plug error it sets, what a kernel
 * function returns, and how the body ends (return, goto LABEL, break, or falls through).
 */
import type { Node } from 'web-tree-sitter';
import { CLP_RC, PROGRAM_INTERRUPTS, ZPCI_CC, ZPCI_STATUS, type CheckOutcome } from '../../model/zpci';
import { fold } from './cForm';
import { isTraceCall } from './roles';
import type { ReadOutcome } from './types';

export interface BodyRead {
  cc?: number;
  status?: number;
  pgm?: string;
  clp?: string;
  message?: string;
  ret?: string;
  guestException?: boolean;
  end: 'return' | 'goto' | 'break' | 'continue' | 'falls';
  label?: string;
  /** Statements that are none of the above (the body does more than decide). */
  effects: Node[];
}

export const named = (n: Node | null): Node[] =>
  (n?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');

/** The statements of a body (comments included): a compound statement's children, or the one statement. */
export function statementsOf(body: Node | null): Node[] {
  if (!body) return [];
  if (body.type === 'compound_statement') return (body.namedChildren ?? []).filter((c): c is Node => !!c);
  return [body];
}

export function callee(call: Node): string {
  return fold(call.childForFieldName('function')?.text ?? '');
}

export function callArgs(call: Node): Node[] {
  return named(call.childForFieldName('arguments'));
}

const lookup = <T extends Record<string, number>>(table: T, text: string): number | undefined => {
  const t = text.trim();
  if (Object.prototype.hasOwnProperty.call(table, t)) return table[t];
  return /^\d+$/.test(t) ? Number(t) : undefined;
};

/** The text of a C string literal sequence ("MSI-X support is mandatory " "in the S390 ..."). */
export function stringText(n: Node): string {
  if (n.type === 'string_literal') return n.text.slice(1, -1);
  if (n.type === 'concatenated_string') return named(n).map(stringText).join('');
  return n.text;
}

/** Reads one call statement into the reading; false when it is none of the recognised calls. */
function readCall(call: Node, r: BodyRead): boolean {
  const name = callee(call);
  const args = callArgs(call);
  if (isTraceCall(name)) return true;
  switch (name) {
    case 'setcc':
      r.cc = lookup(ZPCI_CC, args[1]?.text ?? '');
      return r.cc !== undefined;
    case 's390_set_status_code':
      r.status = lookup(ZPCI_STATUS, args[2]?.text ?? '');
      return r.status !== undefined;
    case 's390_program_interrupt':
    case 'program_interrupt':
      r.pgm = fold(args[1]?.text ?? '');
      return true;
    case 'stw_p': {
      const target = fold(args[0]?.text ?? '').replace(/\s/g, '');
      if (!/->(hdr\.)?rsp\)?$/.test(target)) return false;
      r.clp = fold(args[1]?.text ?? '');
      return true;
    }
    case 'error_setg':
      r.message = args[1] ? stringText(args[1]) : '';
      return true;
    case 's390_cpu_virt_mem_handle_exc':
      r.guestException = true;
      return true;
    default:
      return false;
  }
}

/** Reads statements in order until the body ends. */
export function readBody(stmts: readonly Node[], depth = 0): BodyRead {
  const r: BodyRead = { end: 'falls', effects: [] };
  for (const s of stmts) {
    if (r.end !== 'falls') break;
    if (s.type === 'comment') continue;
    switch (s.type) {
      case 'expression_statement': {
        const e = named(s)[0];
        if (e?.type === 'call_expression') {
          if (!readCall(e, r)) r.effects.push(s);
        } else if (e?.type === 'assignment_expression') {
          const left = fold(e.childForFieldName('left')?.text ?? '').replace(/\s/g, '');
          const right = fold(e.childForFieldName('right')?.text ?? '');
          if (/->(hdr\.)?rsp$/.test(left)) r.clp = right;
          else if (left === 'ret' || left === 'rc') r.ret = right;
          else r.effects.push(s);
        } else if (e) r.effects.push(s);
        break;
      }
      case 'return_statement': {
        const v = named(s)[0];
        if (v) r.ret = fold(v.text);
        r.end = 'return';
        break;
      }
      case 'goto_statement':
        r.end = 'goto';
        r.label = s.childForFieldName('label')?.text;
        break;
      case 'break_statement':
        r.end = 'break';
        break;
      case 'continue_statement':
        r.end = 'continue';
        break;
      case 'compound_statement': {
        if (depth > 8) {
          r.effects.push(s);
          break;
        }
        const inner = readBody(named(s), depth + 1);
        Object.assign(r, { ...inner, effects: [...r.effects, ...inner.effects] });
        break;
      }
      default:
        r.effects.push(s);
    }
  }
  return r;
}

/** True when the reading decides something: it ends (return/goto) having set an outcome, or errors a plug. */
export function decides(r: BodyRead): boolean {
  return (r.end === 'return' || r.end === 'goto') && r.effects.length === 0;
}

/** The outcome a reading stands for, in the model's terms where it has them. */
export function outcomeOfReading(
  r: BodyRead,
  labels: ReadonlyMap<string, ReadOutcome>,
): ReadOutcome | undefined {
  if (r.pgm) {
    return Object.prototype.hasOwnProperty.call(PROGRAM_INTERRUPTS, r.pgm)
      ? { pgm: r.pgm as keyof typeof PROGRAM_INTERRUPTS }
      : { notModelled: `program interrupt ${r.pgm}` };
  }
  if (r.cc !== undefined && r.cc > 0) {
    const cc = r.cc as 1 | 2 | 3;
    return r.status === undefined ? { cc } : { cc, status: r.status };
  }
  if (r.clp) {
    return Object.prototype.hasOwnProperty.call(CLP_RC, r.clp)
      ? { clp: r.clp as keyof typeof CLP_RC }
      : { notModelled: `CLP response ${r.clp}` };
  }
  if (r.message !== undefined) return { message: r.message };
  if (r.guestException) return { notModelled: 'a guest access exception (s390_cpu_virt_mem_handle_exc)' };
  if (r.end === 'goto' && r.label) {
    const l = labels.get(r.label);
    if (l) return r.ret !== undefined && 'ret' in l ? { ret: r.ret } : l;
    return r.ret !== undefined ? { ret: r.ret } : { unresolved: r.label };
  }
  if (r.ret !== undefined) return { ret: r.ret };
  return undefined;
}

/** The model's CheckOutcome for a read outcome, or null when it is none the model has. */
export function modelOutcome(o: ReadOutcome | undefined): CheckOutcome | null {
  if (!o) return null;
  if ('pgm' in o || 'clp' in o || 'notModelled' in o) return o;
  if ('cc' in o) return o;
  return null;
}

/** A short text of an outcome for messages ("PGM_SPECIFICATION", "cc 1 + status 12", "CLP_RC_SETPCIFN_FH"). */
export function outcomeText(o: ReadOutcome | undefined): string {
  if (!o) return 'no outcome';
  if ('pgm' in o) return o.pgm;
  if ('cc' in o) return o.status === undefined ? `cc ${o.cc}` : `cc ${o.cc} + status ${o.status}`;
  if ('clp' in o) return o.clp;
  if ('message' in o) return `error "${o.message}"`;
  if ('ret' in o) return `return ${o.ret}`;
  if ('unresolved' in o) return `goto ${o.unresolved} (label not in the hunk)`;
  return o.notModelled;
}

/** One comparison key for an outcome. */
export function outcomeKey(o: ReadOutcome | undefined): string {
  return o ? JSON.stringify(o) : '-';
}
