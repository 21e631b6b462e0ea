/**
 * A canonical key for a C decision expression, so that the same condition written differently
 * (extra parentheses, `vdev->pdev->x` vs `pdev->x`, operands of || in another order, a macro the
 * patch defines) compares equal. Used for baseline detection and to tell real changes from
 * reformatting.
 */
import { parseCExpression } from '../csrc/cexpr';
import { expandMacros, type MacroDef } from '../csrc/macros';
import type { Expr } from '../model/index';

const COMMUTATIVE = new Set(['&&', '||', '&', '|', '==', '!=']);

function flatten(e: Expr, op: string, out: Expr[]): void {
  if (e.kind === 'binary' && e.op === op) {
    flatten(e.left, op, out);
    flatten(e.right, op, out);
  } else out.push(e);
}

export function exprKeyOf(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'ident':
      return e.name;
    case 'call':
      return `${e.callee}(${e.args.map(exprKeyOf).join(',')})`;
    case 'unary':
      return `${e.op}${exprKeyOf(e.arg)}`;
    case 'cond':
      return `(${exprKeyOf(e.test)}?${exprKeyOf(e.then)}:${exprKeyOf(e.else)})`;
    case 'binary': {
      if (COMMUTATIVE.has(e.op)) {
        const parts: Expr[] = [];
        flatten(e, e.op, parts);
        return `(${parts.map(exprKeyOf).sort().join(e.op)})`;
      }
      return `(${exprKeyOf(e.left)}${e.op}${exprKeyOf(e.right)})`;
    }
    default:
      return `?${e.text.replace(/\s+/g, '')}`;
  }
}

/** Expands the document's macros, then parses and canonicalises. */
export function exprKey(text: string | null, macros: MacroDef[] = []): string {
  if (text === null) return '<absent>';
  return exprKeyOf(parseCExpression(expandMacros(text, macros)));
}
