/**
 * The expression form of a C condition for comparing: parsed with tree-sitter-c through
 * csrc/cexpr.ts and printed back without whitespace or redundant parentheses, so
 * `!len || (len > (8 - (offset & 0x7)))` and `!len||len>8-(offset&7)` are one key. Operand order
 * is kept (C evaluates && and || in order). Also the names an expression reads, for telling
 * which check a rewritten condition replaces.
 */
import type { Expr } from '../../model/index';
import { parseCExpression } from '../cexpr';
import { printExpr } from '../exprPrint';

const keys = new Map<string, string>();

/** The comparison key of a C expression (memoised: the same texts recur across versions). */
export function exprForm(text: string): string {
  let key = keys.get(text);
  if (key === undefined) {
    key = printExpr(parseCExpression(text));
    if (keys.size > 20000) keys.clear();
    keys.set(text, key);
  }
  return key;
}

/** Whitespace folded to single spaces, ends trimmed. */
export const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();

function collect(e: Expr, out: Set<string>, depth: number): void {
  if (depth > 64) return;
  switch (e.kind) {
    case 'ident':
      out.add(e.name);
      return;
    case 'call':
      out.add(`${e.callee}()`);
      for (const a of e.args) collect(a, out, depth + 1);
      return;
    case 'unary':
      collect(e.arg, out, depth + 1);
      return;
    case 'binary':
      collect(e.left, out, depth + 1);
      collect(e.right, out, depth + 1);
      return;
    case 'cond':
      collect(e.test, out, depth + 1);
      collect(e.then, out, depth + 1);
      collect(e.else, out, depth + 1);
      return;
    default:
      return;
  }
}

/** The names (fields, locals, constants, called functions) an expression reads. */
export function namesOf(text: string): Set<string> {
  const out = new Set<string>();
  collect(parseCExpression(text), out, 0);
  return out;
}

/** How much two expressions read the same names (Jaccard over their names; 0 when either has none). */
export function nameOverlap(a: string, b: string): number {
  const x = namesOf(a);
  const y = namesOf(b);
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const n of x) if (y.has(n)) common++;
  return common / (x.size + y.size - common);
}

/** `!X` of a condition text, without doubling a leading negation (`!(!X)` is `X`). */
export function negate(text: string): string {
  const t = text.trim();
  const inner = /^!\s*\((.*)\)$/s.exec(t);
  if (inner && balanced(inner[1])) return inner[1].trim();
  if (/^!\s*[A-Za-z_][\w>.-]*(\(\))?$/.test(t)) return t.replace(/^!\s*/, '');
  return `!(${t})`;
}

/** True when the parentheses of `s` balance and never close below zero. */
export function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Strips parentheses that wrap the whole text. */
export function unwrap(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}
