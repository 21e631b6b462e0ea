/**
 * A canonical key for a C decision expression, so that the same condition written differently
 * (extra parentheses, `vdev->pdev->x` vs `pdev->x`, operands of || in another order, a macro the
 * patch defines) compares equal. Used for baseline detection and to tell real changes from
 * reformatting.
 */
import { parseCExpression } from '../csrc/cexpr';
import { printExpr } from '../csrc/exprPrint';
import { expandMacros, type MacroDef } from '../csrc/macros';
import type { Expr } from '../model/index';

/** The canonical key of a parsed expression: commutative operands in one order. */
export function exprKeyOf(e: Expr): string {
  return printExpr(e, true);
}

/** Expands the document's macros, then parses and canonicalises. */
export function exprKey(text: string | null, macros: MacroDef[] = []): string {
  if (text === null) return '<absent>';
  return exprKeyOf(parseCExpression(expandMacros(text, macros)));
}
