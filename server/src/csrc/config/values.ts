/**
 * Comparing C values the way the model reads them: the expression form of csrc/cexpr.ts with
 * every name the model knows replaced by its value (PCI_CONFIG_CONSTANTS) and every macro it
 * knows expanded (PCI_CONFIG_MACROS), so a re-spelling (`PCI_VSEC_HDR` / `PCI_VNDR_HEADER`, an
 * open-coded `is_msi()`) is the same value. Two forms that still differ are evaluated with C's
 * unsigned 32-bit arithmetic over a fixed set of probe values of their free names; the answer
 * says which of the three it was.
 */
import type { Expr } from '../../model/index';
import { PCI_CONFIG_CONSTANTS, PCI_CONFIG_MACROS } from '../../model/vfio/config';
import { BoundedCache } from '../../model/index';
import { parseCExpression } from '../cexpr';

/** How deep macro bodies may nest (a macro naming itself stops here). */
const MACRO_DEPTH = 8;
/** Longest expression text read (the recursion over a form is as deep as its nesting). */
const MAX_TEXT = 4096;
/** Most free names probed; forms with more are compared by form only. */
const MAX_FREE = 6;

export type Sameness =
  | { same: true; how: 'identical' | 'same-value-form' | 'probed'; detail: string }
  | { same: false; detail: string };

const macroBodies = new Map<string, Expr>();

function macroBody(name: string): Expr | undefined {
  const m = PCI_CONFIG_MACROS[name];
  if (!m) return undefined;
  let e = macroBodies.get(name);
  if (!e) {
    e = parseCExpression(m.body);
    macroBodies.set(name, e);
  }
  return e;
}

/** The expression with each operand replaced by f(operand) (leaves as they are). */
function mapOperands(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'call':
      return { ...e, args: e.args.map(f) };
    case 'unary':
      return { ...e, arg: f(e.arg) };
    case 'binary':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'cond':
      return { ...e, test: f(e.test), then: f(e.then), else: f(e.else) };
    default:
      return e;
  }
}

/** The operands of an expression (none for a leaf). */
function operands(e: Expr): Expr[] {
  switch (e.kind) {
    case 'call':
      return e.args;
    case 'unary':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'cond':
      return [e.test, e.then, e.else];
    default:
      return [];
  }
}

function substitute(e: Expr, bind: Map<string, Expr>): Expr {
  if (e.kind !== 'ident') return mapOperands(e, (x) => substitute(x, bind));
  const direct = bind.get(e.name);
  if (direct) return direct;
  // a field of a parameter, `(vdev)->irq_type`: the field of the argument
  const field = /^\((\w+)\)->(.+)$/.exec(e.name);
  const arg = field ? bind.get(field[1]) : undefined;
  return arg?.kind === 'ident' ? { ...e, name: `${arg.name}->${field![2]}` } : e;
}

/** Names replaced by their values, known macros expanded (a field through a macro argument keeps its name). */
export function resolveExpr(e: Expr, depth = 0): Expr {
  if (e.kind === 'ident') {
    const v = PCI_CONFIG_CONSTANTS[e.name];
    return v === undefined ? e : { kind: 'num', value: v, text: e.text };
  }
  const resolved = mapOperands(e, (x) => resolveExpr(x, depth));
  if (resolved.kind !== 'call' || depth >= MACRO_DEPTH) return resolved;
  const body = macroBody(resolved.callee);
  const params = PCI_CONFIG_MACROS[resolved.callee]?.params ?? [];
  if (!body || params.length !== resolved.args.length) return resolved;
  return resolveExpr(substitute(body, new Map(params.map((p, i) => [p, resolved.args[i]]))), depth + 1);
}

/** One text for one form: numbers as values, names as written, unreadable parts marked. */
export function canonical(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value >>> 0);
    case 'ident':
      return e.name;
    case 'unknown':
      return `?{${e.text.replace(/\s+/g, ' ').trim()}}`;
    case 'call':
      return `${e.callee}(${e.args.map(canonical).join(', ')})`;
    case 'unary':
      return `${e.op}(${canonical(e.arg)})`;
    case 'binary':
      return `(${canonical(e.left)} ${e.op} ${canonical(e.right)})`;
    case 'cond':
      return `(${canonical(e.test)} ? ${canonical(e.then)} : ${canonical(e.else)})`;
  }
}

/** The free names of a form (opaque calls and unreadable parts count as names). */
function freeNames(e: Expr, out: Set<string>): boolean {
  if (e.kind === 'unknown') return false;
  if (e.kind === 'ident' || e.kind === 'call') {
    out.add(e.kind === 'ident' ? e.name : canonical(e));
    return true;
  }
  return operands(e).every((x) => freeNames(x, out));
}

const callNames = new WeakMap<Expr, string>();

/** A call's name as a free name (its canonical text), made once per call: probing asks thousands of times. */
function callName(e: Expr): string {
  let name = callNames.get(e);
  if (name === undefined) callNames.set(e, (name = canonical(e)));
  return name;
}

/** C's unsigned 32-bit arithmetic (the kernel's registers and masks are u32 or narrower). */
function evalU32(e: Expr, env: Map<string, number>): number {
  switch (e.kind) {
    case 'num':
      return e.value >>> 0;
    case 'ident':
      return env.get(e.name)!;
    case 'call':
      return env.get(callName(e))!;
    case 'unknown':
      return 0;
    case 'unary': {
      const a = evalU32(e.arg, env);
      return e.op === '!' ? Number(!a) : e.op === '~' ? ~a >>> 0 : -a >>> 0;
    }
    case 'cond':
      return evalU32(e.test, env) ? evalU32(e.then, env) : evalU32(e.else, env);
    case 'binary': {
      if (e.op === '&&') return evalU32(e.left, env) ? Number(!!evalU32(e.right, env)) : 0;
      if (e.op === '||') return evalU32(e.left, env) ? 1 : Number(!!evalU32(e.right, env));
      const a = evalU32(e.left, env);
      const b = evalU32(e.right, env);
      switch (e.op) {
        case '&':
          return (a & b) >>> 0;
        case '|':
          return (a | b) >>> 0;
        case '^':
          return (a ^ b) >>> 0;
        case '<<':
          return b >= 32 ? 0 : (a << b) >>> 0;
        case '>>':
          return b >= 32 ? 0 : a >>> b;
        case '+':
          return (a + b) >>> 0;
        case '-':
          return (a - b) >>> 0;
        case '*':
          return Math.imul(a, b) >>> 0;
        case '/':
          return b === 0 ? 0 : Math.floor(a / b) >>> 0;
        case '%':
          return b === 0 ? 0 : (a % b) >>> 0;
        case '==':
          return Number(a === b);
        case '!=':
          return Number(a !== b);
        case '<':
          return Number(a < b);
        case '<=':
          return Number(a <= b);
        case '>':
          return Number(a > b);
        case '>=':
          return Number(a >= b);
      }
    }
  }
}

/** Values every free name takes: zero, one, the edges of each width, the sign bit. */
const BASE_PROBES: readonly number[] = [
  0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
];
const BITS: readonly number[] = Array.from({ length: 32 }, (_, i) => (1 << i) >>> 0);
/** Most assignments tried in full; beyond it a fixed pseudo-random sample of them. */
const MAX_PRODUCT = 60000;
const SAMPLE = 20000;

function constantsOf(e: Expr, out: Set<number>): void {
  if (e.kind === 'num') out.add(e.value >>> 0);
  else operands(e).forEach((x) => constantsOf(x, out));
}

/**
 * The probe values (one map, changed in place: read each before the next): for each name the base values and every constant of either form with its
 * neighbours (so `irq == IRQ_NOTCONNECTED` meets IRQ_NOTCONNECTED), every single bit for one
 * name; all combinations when they are few enough, else a fixed pseudo-random sample (an LCG,
 * no Math.random).
 */
function* assignments(names: string[], forms: Expr[]): Generator<Map<string, number>> {
  const constants = new Set<number>();
  forms.forEach((f) => constantsOf(f, constants));
  const values = new Set<number>(BASE_PROBES);
  for (const c of constants) for (const v of [c, c - 1, c + 1, ~c]) values.add(v >>> 0);
  if (names.length === 1) BITS.forEach((b) => values.add(b));
  const list = [...values].sort((a, b) => a - b);
  const total = list.length ** names.length;
  // one map, set again for each assignment: the caller reads it before asking for the next
  const m = new Map<string, number>();
  if (total <= MAX_PRODUCT) {
    const index = names.map(() => 0);
    for (let n = 0; n < total; n++) {
      for (let i = 0; i < names.length; i++) m.set(names[i], list[index[i]]);
      yield m;
      for (let i = 0; i < index.length && ++index[i] === list.length; i++) index[i] = 0;
    }
    return;
  }
  let seed = 0x2545f491;
  for (let n = 0; n < SAMPLE; n++) {
    for (const name of names) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      m.set(name, list[Math.floor(((seed >>> 8) / 0x1000000) * list.length)]);
    }
    yield m;
  }
}

const answers = new BoundedCache<string, Sameness>(4096);

/** Whether two C expressions have the same value, and how that was found (answers are cached). */
export function sameValue(a: string, b: string): Sameness {
  const key = `${a}\u0000${b}`;
  let answer = answers.get(key);
  if (!answer) {
    answer = compareValues(a, b);
    answers.set(key, answer);
  }
  return answer;
}

function compareValues(a: string, b: string): Sameness {
  const fa = a.replace(/\s+/g, ' ').trim();
  const fb = b.replace(/\s+/g, ' ').trim();
  if (fa === fb) return { same: true, how: 'identical', detail: 'the same text' };
  if (fa.length > MAX_TEXT || fb.length > MAX_TEXT)
    return { same: false, detail: `not compared: longer than ${MAX_TEXT} characters` };
  const ea = resolveExpr(parseCExpression(a));
  const eb = resolveExpr(parseCExpression(b));
  const ca = canonical(ea);
  const cb = canonical(eb);
  if (ca === cb)
    return {
      same: true,
      how: 'same-value-form',
      detail: `both are ${ca} once names are replaced by their values`,
    };
  const names = new Set<string>();
  if (!freeNames(ea, names) || !freeNames(eb, names))
    return { same: false, detail: `${ca} and ${cb} differ, and a part cannot be read to compare values` };
  if (names.size > MAX_FREE)
    return { same: false, detail: `${ca} and ${cb} differ in form (too many names to probe)` };
  const list = [...names].sort();
  let probes = 0;
  for (const env of assignments(list, [ea, eb])) {
    probes++;
    const va = evalU32(ea, env);
    const vb = evalU32(eb, env);
    if (va !== vb) {
      const at = list.map((n) => `${n} = 0x${env.get(n)!.toString(16)}`).join(', ');
      return {
        same: false,
        detail: `${ca} is 0x${va.toString(16)} and ${cb} is 0x${vb.toString(16)} at ${at}`,
      };
    }
  }
  return {
    same: true,
    how: 'probed',
    detail: `${ca} and ${cb} agree for ${probes} probed values of ${list.join(', ')} (unsigned 32-bit)`,
  };
}

/** The numeric value of a constant expression, or undefined when it names something unknown. */
export function constantOf(text: string): number | undefined {
  if (text.length > MAX_TEXT) return undefined;
  const e = resolveExpr(parseCExpression(text));
  const names = new Set<string>();
  if (!freeNames(e, names) || names.size) return undefined;
  return evalU32(e, new Map());
}

function rename(e: Expr, from: string, to: string): Expr {
  if (e.kind === 'ident') return e.name === from ? { ...e, name: to } : e;
  return mapOperands(e, (x) => rename(x, from, to));
}

/** The canonical C text of an expression with one name renamed (a local read into `v`). */
export function canonicalWith(text: string, from: string, to: string): string {
  if (text.length > MAX_TEXT) return `?{longer than ${MAX_TEXT} characters}`;
  return canonical(resolveExpr(rename(parseCExpression(text), from, to)));
}

/** The names in a C expression the model has no value for (macros it knows are expanded first). */
export function unknownNames(text: string): string[] {
  if (text.length > MAX_TEXT) return [`${text.slice(0, 40)}…`];
  const names = new Set<string>();
  const e = resolveExpr(parseCExpression(text));
  if (!freeNames(e, names)) return [text.trim()];
  return [...names];
}
