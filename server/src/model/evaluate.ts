/**
 * Evaluating the model's expression form against a state. Values are numbers; an identifier the
 * scope does not know is looked up in the assumptions, and when it is not assumed yet the
 * evaluation stops with NeedsAssumption so the caller can explore both values (0 and 1).
 * `pdev->dev_flags & NAME` is evaluated as membership of NAME, so a patch-defined flag works
 * without knowing its bit value.
 */
import type { Expr, OperandValue } from './types';

export class NeedsAssumption {
  constructor(readonly name: string) {}
}

export interface EvalScope {
  /** The value of a name (identifier, or call written "callee(arg, ...)"), or undefined if unknown. */
  value(name: string): number | undefined;
  /** 1 if the device's dev_flags hold the flag NAME, 0 if not, undefined if unknown. */
  hasFlag(flag: string): number | undefined;
  /** What a name means, with its value's origin (for explanations). */
  meaning(name: string, value: number): string | undefined;
  assumptions: Readonly<Record<string, number>>;
  /** Names taken from the assumptions (unknown identifiers this evaluation depended on). */
  assumed: Set<string>;
  /**
   * A function the scope computes from its arguments (the zPCI model's
   * memory_region_access_valid(mr, offset, len, true)): `arg(i)` evaluates argument i (its
   * operands are recorded); undefined leaves the call an opaque name looked up by value().
   */
  call?(callee: string, args: readonly Expr[], arg: (index: number) => number): number | undefined;
}

const DEV_FLAGS = 'pdev->dev_flags';

/** The name an expression stands for when it is treated as one opaque operand. */
export function operandName(expr: Expr): string {
  switch (expr.kind) {
    case 'ident':
      return expr.name;
    case 'call':
      return `${expr.callee}(${expr.args.map(operandName).join(', ')})`;
    case 'num':
      return String(expr.value);
    default:
      return expr.text.replace(/\s+/g, ' ').trim();
  }
}

function record(operands: OperandValue[], name: string, value: number, meaning: string | undefined): void {
  if (operands.some((o) => o.name === name)) return;
  operands.push(meaning ? { name, value, meaning } : { name, value });
}

function leaf(name: string, known: number | undefined, scope: EvalScope, operands: OperandValue[]): number {
  let value = known;
  let meaning: string | undefined;
  if (value === undefined) {
    value = scope.assumptions[name];
    if (value === undefined) throw new NeedsAssumption(name);
    scope.assumed.add(name);
    meaning = `not known to the model: assumed ${value}`;
  } else {
    meaning = scope.meaning(name, value);
  }
  record(operands, name, value, meaning);
  return value;
}

function flagMembership(expr: Expr, scope: EvalScope, operands: OperandValue[]): number | undefined {
  if (expr.kind !== 'binary' || expr.op !== '&') return undefined;
  const [flags, flag] =
    expr.left.kind === 'ident' && expr.left.name === DEV_FLAGS
      ? [expr.left, expr.right]
      : [expr.right, expr.left];
  if (flags.kind !== 'ident' || flags.name !== DEV_FLAGS || flag.kind !== 'ident') return undefined;
  const name = `${DEV_FLAGS} & ${flag.name}`;
  return leaf(name, scope.hasFlag(flag.name), scope, operands);
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  '&': (a, b) => a & b,
  '|': (a, b) => a | b,
  '^': (a, b) => a ^ b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '<=': (a, b) => Number(a <= b),
  '>': (a, b) => Number(a > b),
  '>=': (a, b) => Number(a >= b),
  '<<': (a, b) => a << b,
  '>>': (a, b) => a >> b,
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  // C's unsigned division and remainder; by zero the model says 0 (the kernel would trap)
  '/': (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
  '%': (a, b) => (b === 0 ? 0 : a % b),
};

const UNARY: Record<string, (a: number) => number> = {
  '!': (a) => Number(!a),
  '~': (a) => ~a,
  '-': (a) => -a,
};

/** Evaluates expr; throws NeedsAssumption for an unknown identifier not yet assumed. */
export function evaluate(expr: Expr, scope: EvalScope, operands: OperandValue[]): number {
  switch (expr.kind) {
    case 'num':
      return expr.value;
    case 'call': {
      const computed = scope.call?.(expr.callee, expr.args, (i) => evaluate(expr.args[i], scope, operands));
      if (computed !== undefined) {
        record(operands, operandName(expr), computed, scope.meaning(operandName(expr), computed));
        return computed;
      }
      const name = operandName(expr);
      return leaf(name, scope.value(name), scope, operands);
    }
    case 'ident':
    case 'unknown': {
      const name = operandName(expr);
      return leaf(name, expr.kind === 'unknown' ? undefined : scope.value(name), scope, operands);
    }
    case 'unary':
      return UNARY[expr.op](evaluate(expr.arg, scope, operands));
    case 'cond':
      return evaluate(expr.test, scope, operands)
        ? evaluate(expr.then, scope, operands)
        : evaluate(expr.else, scope, operands);
    case 'binary': {
      if (expr.op === '&&') {
        return evaluate(expr.left, scope, operands) ? Number(!!evaluate(expr.right, scope, operands)) : 0;
      }
      if (expr.op === '||') {
        return evaluate(expr.left, scope, operands) ? 1 : Number(!!evaluate(expr.right, scope, operands));
      }
      const membership = flagMembership(expr, scope, operands);
      if (membership !== undefined) return membership;
      return BINARY[expr.op](evaluate(expr.left, scope, operands), evaluate(expr.right, scope, operands));
    }
  }
}
