/**
 * An expression printed back as one key: no whitespace, every compound in parentheses. Two
 * readers use it: the zPCI checks keep the operand order (C evaluates && and || in order, and a
 * check's order is what a guest sees), the vfio decisions sort the operands of commutative
 * operators (`a || b` and `b || a` decide alike) — `sorted`.
 */
import type { Expr } from '../model/index';

const COMMUTATIVE = new Set(['&&', '||', '&', '|', '==', '!=']);

function flatten(e: Expr, op: string, out: Expr[]): void {
  if (e.kind === 'binary' && e.op === op) {
    flatten(e.left, op, out);
    flatten(e.right, op, out);
  } else out.push(e);
}

export function printExpr(e: Expr, sorted = false): string {
  const print = (x: Expr) => printExpr(x, sorted);
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'ident':
      return e.name;
    case 'call':
      return `${e.callee}(${e.args.map(print).join(',')})`;
    case 'unary':
      return `${e.op}${print(e.arg)}`;
    case 'cond':
      return `(${print(e.test)}?${print(e.then)}:${print(e.else)})`;
    case 'binary': {
      if (sorted && COMMUTATIVE.has(e.op)) {
        const parts: Expr[] = [];
        flatten(e, e.op, parts);
        return `(${parts.map(print).sort().join(e.op)})`;
      }
      return `(${print(e.left)}${e.op}${print(e.right)})`;
    }
    default:
      return `?${e.text.replace(/\s+/g, '')}`;
  }
}
