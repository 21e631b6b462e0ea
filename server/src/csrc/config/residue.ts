/**
 * The changed lines no recogniser placed, read statement by statement: blank lines, comments,
 * #include lines, include guards, #define lines, log and WARN statements (and ifs that only
 * log), memory releases (kfree, free_perm_bits, `p = NULL`), and the rest. The rest is either the
 * same statement re-spelled on the other side (names replaced by their values, macros expanded:
 * same value) or a change the model does not place. Silence is never an answer: every changed
 * line ends up in one of these.
 */
import type { Node } from 'web-tree-sitter';
import { ancestors } from '../fragment';
import { PCI_CONFIG_CONSTANTS } from '../../model/vfio/config';
import {
  argsOf,
  calleeOf,
  codeText,
  functionOf,
  lineSpan,
  nodes,
  statementsOf,
  synthetic,
  type Side,
} from './side';
import { sameValue } from './values';

export type ResidueClass =
  'blank' | 'comment' | 'include' | 'include-guard' | 'macro' | 'log' | 'release' | 'declaration' | 'code';

export interface ResidueItem {
  cls: ResidueClass;
  lines: number[];
  function?: string;
  /** The statement (code, declaration), or undefined for line-level classes. */
  node?: Node;
  /** #define NAME VALUE: the name and value text. */
  macro?: { name: string; value: string | null };
  text: string;
}

const LOG_CALL =
  /^(?:(?:pci|dev|pr|netdev)_(?:info|dbg|debug|warn|err|notice|crit|alert|emerg)(?:_once|_ratelimited)?|printk|pci_printk|WARN(?:_ON)?(?:_ONCE)?|pci_WARN(?:_ONCE)?|trace_\w+|error_report|warn_report|info_report)$/;
const RELEASE_CALL =
  /^(?:kfree|kvfree|vfree|kfree_sensitive|kmem_cache_free|free_perm_bits|g_free|bitmap_free)$/;
/** Calls that only read (an if testing them and logging has no other effect). */
const PURE_CALL =
  /^(?:pci_match_id|IS_ENABLED|likely|unlikely|le16_to_cpu|le32_to_cpu|cpu_to_le16|cpu_to_le32|pci_name|dev_name)$/;

const STATEMENTS = new Set([
  'expression_statement',
  'return_statement',
  'declaration',
  'if_statement',
  'for_statement',
  'while_statement',
  'do_statement',
  'switch_statement',
  'case_statement',
  'break_statement',
  'continue_statement',
  'goto_statement',
  'labeled_statement',
  'function_definition',
  'field_declaration',
  'initializer_pair',
  'enumerator',
  'type_definition',
]);
const GUARD = /^#\s*(?:ifndef|define)\s+(\w+_H_?)\s*$|^#\s*endif\b/;
const INCLUDE = /^#\s*include\b/;
const DEFINE = /^#\s*define\s+(\w+)(\([^)]*\))?\s*(.*?)\s*(?:\/\*.*)?$/;

/** Which characters of each row are comment (from the tree, so strings are not mistaken). */
function commentRows(side: Side): Map<number, [number, number][]> {
  const rows = new Map<number, [number, number][]>();
  for (const c of nodes(side.root, ['comment'])) {
    for (let r = c.startPosition.row; r <= c.endPosition.row; r++) {
      const from = r === c.startPosition.row ? c.startPosition.column : 0;
      const to = r === c.endPosition.row ? c.endPosition.column : Infinity;
      rows.set(r, [...(rows.get(r) ?? []), [from, to]]);
    }
  }
  return rows;
}

function codeOfLine(text: string, spans: [number, number][] = []): { code: string; first: number } {
  let code = '';
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    if (spans.some(([a, b]) => i >= a && i < b)) continue;
    if (first < 0 && text[i].trim()) first = i;
    code += text[i];
  }
  return { code: code.trim(), first };
}

/** The statement a line's first code character belongs to (structure lines go to their owner). */
function statementAt(side: Side, row: number, column: number): Node | undefined {
  let n: Node | null = side.root.descendantForPosition({ row, column });
  while (n && !STATEMENTS.has(n.type)) {
    if (n.type === 'translation_unit') return undefined;
    n = n.parent;
  }
  return n ?? undefined;
}

function isLogCall(s: Node): boolean {
  if (s.type !== 'expression_statement') return false;
  const e = s.namedChildren.find((c) => c && c.type !== 'comment');
  return e?.type === 'call_expression' && LOG_CALL.test(calleeOf(e) ?? '');
}

function isRelease(s: Node): boolean {
  if (s.type !== 'expression_statement') return false;
  const e = s.namedChildren.find((c) => c && c.type !== 'comment');
  if (e?.type === 'call_expression') return RELEASE_CALL.test(calleeOf(e) ?? '');
  return (
    e?.type === 'assignment_expression' && /^(NULL|0)$/.test(e.childForFieldName('right')?.text.trim() ?? '')
  );
}

const pureCondition = (cond: Node | null) =>
  !!cond &&
  !nodes(cond, ['assignment_expression', 'update_expression']).length &&
  nodes(cond, ['call_expression']).every((c) => PURE_CALL.test(calleeOf(c) ?? ''));

/** How deep nested blocks are followed when judging a statement (deeper: not judged). */
const MAX_NESTING = 32;

/** 'log' or 'release' when every statement of the subtree is one (an if only if its condition just reads). */
export function effectClass(s: Node, depth = 0): 'log' | 'release' | undefined {
  if (depth > MAX_NESTING) return undefined;
  const inner = (x: Node) => effectClass(x, depth + 1);
  if (isLogCall(s)) return 'log';
  if (isRelease(s)) return 'release';
  if (s.type === 'compound_statement' || s.type === 'else_clause') {
    const stmts = statementsOf(
      s.type === 'else_clause' ? (s.namedChildren.find((c) => c && c.type !== 'comment') ?? null) : s,
    );
    if (!stmts.length) return undefined;
    const classes = stmts.map(inner);
    if (classes.some((c) => !c)) return undefined;
    return classes.every((c) => c === 'log') ? 'log' : 'release';
  }
  if (s.type === 'if_statement' && pureCondition(s.childForFieldName('condition'))) {
    const parts = [s.childForFieldName('consequence'), s.childForFieldName('alternative')].filter(
      (p): p is Node => !!p,
    );
    const classes = parts.map(inner);
    if (classes.some((c) => !c)) return undefined;
    return classes.every((c) => c === 'log') ? 'log' : 'release';
  }
  return undefined;
}

/** The changed, uncovered lines of a side, classified. */
export function residue(side: Side, covered: Set<number>): ResidueItem[] {
  const items: ResidueItem[] = [];
  const comments = commentRows(side);
  const byStatement = new Map<number, { node: Node; lines: number[] }>();
  side.image.forEach((line, i) => {
    if (!line.changed || covered.has(i)) return;
    const row = i + side.offset;
    const { code, first } = codeOfLine(line.text, comments.get(row));
    const at = side.root.descendantForPosition({ row, column: Math.max(first, 0) });
    const fn = at ? functionOf(side, at) : side.hunkFunction;
    const lineItem = (cls: ResidueClass, extra: Partial<ResidueItem> = {}) =>
      items.push({ cls, lines: [i], function: fn, text: line.text.trim(), ...extra });
    if (!line.text.trim()) return lineItem('blank');
    // blanked by the fragment reader: the tail of a comment the hunk starts inside
    if (!code || !side.parsed[i]?.trim()) return lineItem('comment');
    if (INCLUDE.test(code)) return lineItem('include');
    if (GUARD.test(code)) return lineItem('include-guard');
    const def = DEFINE.exec(code);
    if (def) return lineItem('macro', { macro: { name: def[1], value: def[2] ? null : def[3] } });
    const stmt = statementAt(side, row, first);
    // no statement of the image holds it (the wrapper's own function, a parse error): the line alone
    if (!stmt || synthetic(side, stmt)) return lineItem('code');
    // a function wholly added or removed is one change, not one per statement
    const fnDef = [stmt, ...ancestors(stmt)].find((a) => a.type === 'function_definition');
    const whole = fnDef && lineSpan(side, fnDef).every((l) => side.image[l].changed) ? fnDef : undefined;
    const key = whole ?? stmt;
    const entry = byStatement.get(key.id) ?? { node: key, lines: [] };
    entry.lines.push(i);
    byStatement.set(key.id, entry);
  });
  for (const { node, lines } of byStatement.values()) {
    const fn = functionOf(side, node);
    const text = codeText(node).slice(0, 120);
    const effect = node.type === 'function_definition' ? undefined : effectClass(node);
    if (effect) items.push({ cls: effect, lines, function: fn, node, text });
    else if (node.type === 'declaration' && !fn)
      items.push({ cls: 'declaration', lines, node, text, function: declaredName(node) });
    else items.push({ cls: 'code', lines, function: fn, node, text });
  }
  return items.sort((a, b) => a.lines[0] - b.lines[0]);
}

export function declaredName(decl: Node): string | undefined {
  const kinds = ['init_declarator', 'array_declarator', 'function_declarator', 'pointer_declarator'];
  for (let d = decl.namedChildren.find((c) => kinds.includes(c?.type ?? '')) ?? null; d;) {
    if (d.type === 'identifier') return d.text;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

/** A key of a statement that ignores spelling: tokens with known names replaced by their values. */
export function statementKey(node: Node): string {
  const out: string[] = [];
  // depth-first over an explicit stack: a deeply nested statement needs no deep recursion
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'comment') continue;
    if (n.childCount === 0) {
      const v = n.type === 'identifier' ? PCI_CONFIG_CONSTANTS[n.text] : undefined;
      out.push(v !== undefined ? String(v) : n.text);
      continue;
    }
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c) stack.push(c);
    }
  }
  return out.join(' ');
}

/** Whether two statements do the same: the same tokens once names are values, or the same value. */
export function sameStatement(a: Node, b: Node): { same: boolean; detail: string } {
  if (statementKey(a) === statementKey(b))
    return { same: true, detail: 'the same statement once names are replaced by their values' };
  const valueOf = (s: Node) => {
    if (s.type === 'return_statement' || s.type === 'expression_statement') {
      const e = s.namedChildren.find((c) => c && c.type !== 'comment');
      return e ? { kind: s.type, e } : undefined;
    }
    return undefined;
  };
  const va = valueOf(a);
  const vb = valueOf(b);
  if (!va || !vb || va.kind !== vb.kind) return { same: false, detail: 'different statements' };
  if (va.e.type === 'call_expression' && vb.e.type === 'call_expression') {
    const [ca, cb] = [calleeOf(va.e), calleeOf(vb.e)];
    const [aa, ab] = [argsOf(va.e), argsOf(vb.e)];
    if (ca !== cb || aa.length !== ab.length) return { same: false, detail: 'different calls' };
    for (let i = 0; i < aa.length; i++) {
      const s = sameValue(codeText(aa[i]), codeText(ab[i]));
      if (!s.same) return { same: false, detail: s.detail };
    }
    return { same: true, detail: `${ca}(...) with arguments of the same value` };
  }
  const s = sameValue(codeText(va.e), codeText(vb.e));
  return { same: s.same, detail: s.detail };
}
