/**
 * Evaluating the zPCI model's C text: a scope built from a table of named values (each with what
 * it means) and a table of functions the model computes from their arguments
 * (memory_region_access_valid, s390_pci_msix_init, ...), and the evaluation of one check with
 * every operand's value. The expression evaluator itself is the model's (../evaluate.ts).
 */
import type { EvalScope } from '../evaluate';
import { evaluate } from '../evaluate';
import type { Expr, OperandValue } from '../types';
import type { ZpciExplanation } from './types';

export interface NamedValue {
  value: number;
  meaning?: string;
}

/** A function of the model: `arg(i)` is the value of argument i; undefined: not computable. */
export type ModelFunction = (arg: (index: number) => number, args: readonly Expr[]) => NamedValue | undefined;

export class ZpciScope implements EvalScope {
  assumed = new Set<string>();
  private callMeanings = new Map<string, string>();

  constructor(
    private readonly lookup: (name: string) => NamedValue | undefined,
    private readonly functions: Readonly<Record<string, ModelFunction>>,
    readonly assumptions: Readonly<Record<string, number>>,
  ) {}

  value(name: string): number | undefined {
    return this.lookup(name)?.value;
  }

  hasFlag(): number | undefined {
    return undefined;
  }

  meaning(name: string): string | undefined {
    const paren = name.indexOf('(');
    if (paren > 0) {
      const m = this.callMeanings.get(name.slice(0, paren));
      if (m !== undefined) return m;
    }
    return this.lookup(name)?.meaning;
  }

  call(callee: string, args: readonly Expr[], arg: (index: number) => number): number | undefined {
    const fn = this.functions[callee];
    if (!fn) return undefined;
    const result = fn(arg, args);
    if (!result) return undefined;
    if (result.meaning) this.callMeanings.set(callee, result.meaning);
    return result.value;
  }
}

/** A check ready to evaluate: its C text and parsed form (a guard is ANDed in front). */
export interface EvaluableCheck {
  id: string;
  label: string;
  condition: string;
  conditionExpr: Expr;
  guard?: string;
  guardExpr?: Expr;
}

/** The text of what is evaluated: "GUARD && (CONDITION)" where a guard applies. */
export function checkText(c: { condition: string; guard?: string }): string {
  return c.guard ? `${c.guard} && (${c.condition})` : c.condition;
}

/** Evaluates one check (its guard first: a false guard skips the condition, as C does). */
export function evaluateCheck(c: EvaluableCheck, scope: ZpciScope, node: string): ZpciExplanation {
  const operands: OperandValue[] = [];
  let result: number;
  if (c.guardExpr && !evaluate(c.guardExpr, scope, operands)) result = 0;
  else result = Number(!!evaluate(c.conditionExpr, scope, operands));
  return { node, label: c.label, expression: checkText(c), operands, result };
}

/** Evaluates a plain expression (a decode, a loop test) with its operands. */
export function evaluateExpression(
  expr: Expr,
  scope: ZpciScope,
): { value: number; operands: OperandValue[] } {
  const operands: OperandValue[] = [];
  return { value: evaluate(expr, scope, operands), operands };
}

/**
 * The first check of the list that holds, with the explanation of every check evaluated up to it.
 * NeedsAssumption (an unknown name) propagates to the caller, which forks the step.
 */
export function firstHolding<C extends EvaluableCheck>(
  checks: readonly C[],
  scope: ZpciScope,
  prefix: string,
): { decided?: C; why: ZpciExplanation[] } {
  const why: ZpciExplanation[] = [];
  for (const c of checks) {
    const e = evaluateCheck(c, scope, `${prefix}/${c.id}`);
    why.push(e);
    if (e.result) {
      e.decided = true;
      return { decided: c, why };
    }
  }
  return { why };
}
