/**
 * Evaluating the model's expression form against a state. Values are numbers; an identifier the
 * scope does not know is looked up in the assumptions, and when it is not assumed yet the
 * evaluation stops with NeedsAssumption so the caller can explore both values (0 and 1).
 * `pdev->dev_flags & NAME` is evaluated as membership of NAME, so a patch-defined flag works
 * without knowing its bit value.
 */
import { MemoTable } from './cache';
import { MAX_EXPR_DEPTH, type Expr, type OperandValue } from './types';

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

/** Names longer than this are cut, with their length and a hash, so they stay one name each. */
const MAX_OPERAND_NAME = 160;

/** FNV-1a over the UTF-16 units: tells two long names with the same beginning apart. */
function hash32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A name as it is, or a long one cut to its beginning with its length and hash. */
function bounded(name: string): string {
  if (name.length <= MAX_OPERAND_NAME) return name;
  return `${name.slice(0, MAX_OPERAND_NAME - 40)}... (${name.length} characters, #${hash32(name)})`;
}

/** Folded text as an operand name. */
function textName(text: string): string {
  return bounded(text.replace(/\s+/g, ' ').trim());
}

const names = new WeakMap<Expr, string>();

/** The name an expression stands for when it is treated as one opaque operand (computed once per node). */
export function operandName(expr: Expr, depth = 0): string {
  let name = names.get(expr);
  if (name !== undefined) return name;
  switch (expr.kind) {
    case 'ident':
      name = bounded(expr.name);
      break;
    case 'call':
      name =
        depth >= MAX_EXPR_DEPTH
          ? textName(expr.text)
          : bounded(`${expr.callee}(${expr.args.map((a) => operandName(a, depth + 1)).join(', ')})`);
      break;
    case 'num':
      name = String(expr.value);
      break;
    default:
      name = textName(expr.text);
  }
  names.set(expr, name);
  return name;
}

/**
 * Operand lists this long or longer get a set of their names (`recorded`), so a list of thousands
 * is searched in constant time; a shorter one, as nearly every decision's, is scanned. A set for
 * every list was a weak table entry per evaluation: in a process that had analysed seed 002, the
 * table's inserts were 30 of corpus k02's 180 ms.
 */
const SCANNED_OPERANDS = 16;

/** The names already in each long operand list. */
const recorded = new MemoTable<OperandValue[], Set<string>>();

function record(operands: OperandValue[], name: string, value: number, meaning: string | undefined): void {
  if (operands.length < SCANNED_OPERANDS) {
    for (const o of operands) if (o.name === name) return;
  } else {
    let names = recorded.get(operands);
    if (!names) recorded.set(operands, (names = new Set(operands.map((o) => o.name))));
    if (names.has(name)) return;
    names.add(name);
  }
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
  const name = bounded(`${DEV_FLAGS} & ${flag.name}`);
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

/**
 * Evaluates expr; throws NeedsAssumption for an unknown identifier not yet assumed. A
 * subexpression deeper than MAX_EXPR_DEPTH (no parser of ours hands one in) is one opaque operand.
 */
export function evaluate(expr: Expr, scope: EvalScope, operands: OperandValue[], depth = 0): number {
  if (depth > MAX_EXPR_DEPTH) return leaf(operandName(expr), undefined, scope, operands);
  const sub = (e: Expr) => evaluate(e, scope, operands, depth + 1);
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
      return UNARY[expr.op](sub(expr.arg));
    case 'cond':
      return sub(expr.test) ? sub(expr.then) : sub(expr.else);
    case 'binary': {
      if (expr.op === '&&') return sub(expr.left) ? Number(!!sub(expr.right)) : 0;
      if (expr.op === '||') return sub(expr.left) ? 1 : Number(!!sub(expr.right));
      const membership = flagMembership(expr, scope, operands);
      if (membership !== undefined) return membership;
      return BINARY[expr.op](sub(expr.left), sub(expr.right));
    }
  }
}

/**
 * Unknown identifiers one world assumes before a decision that needs one more is itself taken as
 * the unknown: each assumed identifier doubles the worlds explored, so past this bound an
 * expression over thousands of unknown fields costs two worlds, not 2^n (or n nested retries).
 */
export const MAX_ASSUMED_UNKNOWNS = 4;

/**
 * Evaluates a decision (or a setter's condition) in a world. When the world already assumes
 * MAX_ASSUMED_UNKNOWNS identifiers and the expression needs another, its value is one unknown
 * named `opaqueName` (assumed 0 and 1 like any other), and its operands say so.
 */
export function evaluateDecision(
  expr: Expr,
  scope: EvalScope,
  opaqueName: string,
): { value: number; operands: OperandValue[] } {
  const operands: OperandValue[] = [];
  try {
    return { value: evaluate(expr, scope, operands), operands };
  } catch (e) {
    if (!(e instanceof NeedsAssumption) || e.name === opaqueName) throw e;
    if (Object.keys(scope.assumptions).length < MAX_ASSUMED_UNKNOWNS) throw e;
  }
  const value = scope.assumptions[opaqueName];
  if (value === undefined) throw new NeedsAssumption(opaqueName);
  scope.assumed.add(opaqueName);
  const meaning =
    `not known to the model: assumed ${value} (the expression needs more than ` +
    `${MAX_ASSUMED_UNKNOWNS} unknown identifiers, so it is taken as one unknown)`;
  return { value, operands: [{ name: opaqueName, value, meaning }] };
}

/** The name of a decision taken as one unknown (evaluateDecision), e.g. "memory-enabled (unknown as a whole)". */
export function opaqueName(what: string): string {
  return `${what} (unknown as a whole)`;
}
