/**
 * C expressions (or the statement that carries one: `return X;`, `if (X)`, `bool b = X;`) parsed
 * with tree-sitter-c into the model's expression form. What the kernel writes differently for
 * the same thing is normalised: `vdev->pdev->is_virtfn` is `pdev->is_virtfn`, casts, parentheses
 * and byte-order helpers (`le16_to_cpu(...)`) disappear, `*(__le16 *)&vdev->vconfig[PCI_COMMAND]`
 * is the virtual COMMAND. Anything it cannot read becomes { kind: 'unknown', text }; an expression
 * nested deeper than MAX_EXPR_DEPTH becomes one unknown with a reason.
 * Call `await initCParser()` once before using it.
 */
import type { Node } from 'web-tree-sitter';
import { BoundedCache, MAX_EXPR_DEPTH, type Expr } from '../model/index';
import { cParser } from './treeSitter';

type BinaryOp = Extract<Expr, { kind: 'binary' }>['op'];
type UnaryOp = Extract<Expr, { kind: 'unary' }>['op'];

const BINARY_OPS: readonly string[] = [
  '&&',
  '||',
  '&',
  '|',
  '^',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '<<',
  '>>',
  '+',
  '-',
  '*',
  '/',
  '%',
];
const UNARY_OPS: readonly string[] = ['!', '~', '-'];

/** Calls that only change byte order or spelling: the value is their argument. */
const TRANSPARENT_CALLS = new Set([
  'le16_to_cpu',
  'le32_to_cpu',
  'cpu_to_le16',
  'cpu_to_le32',
  'likely',
  'unlikely',
]);

/** Sparse annotations that tree-sitter would read as types or identifiers. */
const ANNOTATIONS = /\b(__force|__bitwise|__iomem|__user|__rcu)\b/g;

/** `vdev->pdev->X` and `pdev->X` are the same struct pci_dev field. */
export function normaliseName(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/^(?:vdev|core_vdev)->pdev->/, 'pdev->')
    .replace(/^(?:virtfn|dev)->(?=(is_virtfn|no_command_memory|detached_vf|physfn|dev_flags)\b)/, 'pdev->');
}

function unknown(node: Node | null, text: string): Expr {
  return { kind: 'unknown', text: node ? node.text : text };
}

function parseNumber(text: string): number | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[0-7]*$/.test(t)) return parseInt(t, 8);
  if (/^[1-9][0-9]*$/.test(t)) return parseInt(t, 10);
  return undefined;
}

/**
 * How deep an expression may nest (operators, calls, conditionals; parentheses, casts and
 * byte-order helpers do not count): the model's bound. Deeper C is one unknown that says so, so
 * every walk over an Expr (the model's evaluator, canonical keys) recurses at most this deep and
 * the CLI's stack and the server's bigger one give the same answer.
 */
export { MAX_EXPR_DEPTH };

class TooDeep extends Error {}

/** What only re-spells its operand: parentheses, casts, unary +, le16_to_cpu(x), `(u16)(x)`. */
function transparentOperand(node: Node): Node | null | undefined {
  switch (node.type) {
    case 'parenthesized_expression':
      return node.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
    case 'cast_expression':
      return node.childForFieldName('value');
    case 'unary_expression':
      return node.childForFieldName('operator')?.text === '+'
        ? node.childForFieldName('argument')
        : undefined;
    case 'call_expression': {
      const callee = node.childForFieldName('function');
      const args = callArguments(node);
      if (args.length !== 1 || !callee) return undefined;
      // (u16)(cmd): tree-sitter reads a cast of a parenthesised value to a type name as a call.
      if (callee.type === 'parenthesized_expression') {
        const type = callee.namedChildren.filter((c) => c && c.type !== 'comment');
        if (type.length === 1 && type[0]?.type === 'identifier') return args[0];
      }
      if (callee.type === 'identifier' && TRANSPARENT_CALLS.has(callee.text)) return args[0];
      return undefined;
    }
    default:
      return undefined;
  }
}

function callArguments(node: Node): Node[] {
  return (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is Node => !!c && c.type !== 'comment',
  );
}

function convert(start: Node | null, depth: number): Expr {
  // the wrappers that only re-spell their operand are peeled in a loop: 10,000 parentheses cost no stack
  let node = start;
  for (;;) {
    if (!node) return { kind: 'unknown', text: '' };
    if (node.hasError || node.isMissing) return unknown(node, node.text);
    const inner = transparentOperand(node);
    if (inner === undefined) break;
    node = inner;
  }
  if (depth > MAX_EXPR_DEPTH) throw new TooDeep();
  const text = node.text;
  const sub = (n: Node | null) => convert(n, depth + 1);
  switch (node.type) {
    case 'number_literal': {
      const value = parseNumber(text);
      return value === undefined ? unknown(node, text) : { kind: 'num', value, text };
    }
    case 'true':
      return { kind: 'num', value: 1, text };
    case 'false':
    case 'null':
      return { kind: 'num', value: 0, text };
    case 'identifier':
      return { kind: 'ident', name: text, text };
    case 'field_expression':
    case 'subscript_expression':
      return { kind: 'ident', name: normaliseName(text), text };
    case 'pointer_expression': {
      // *(__le16 *)&vdev->vconfig[PCI_COMMAND]: a read of the value at that place.
      const inner = sub(node.childForFieldName('argument'));
      return inner.kind === 'ident' ? { ...inner, text } : unknown(node, text);
    }
    case 'call_expression': {
      const callee = node.childForFieldName('function');
      if (!callee || callee.type !== 'identifier') return unknown(node, text);
      return { kind: 'call', callee: callee.text, args: callArguments(node).map(sub), text };
    }
    case 'unary_expression': {
      const op = node.childForFieldName('operator')?.text ?? '';
      if (!UNARY_OPS.includes(op)) return unknown(node, text);
      return { kind: 'unary', op: op as UnaryOp, arg: sub(node.childForFieldName('argument')), text };
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text ?? '';
      if (!BINARY_OPS.includes(op)) return unknown(node, text);
      return {
        kind: 'binary',
        op: op as BinaryOp,
        left: sub(node.childForFieldName('left')),
        right: sub(node.childForFieldName('right')),
        text,
      };
    }
    case 'conditional_expression':
      return {
        kind: 'cond',
        test: sub(node.childForFieldName('condition')),
        then: sub(node.childForFieldName('consequence')),
        else: sub(node.childForFieldName('alternative')),
        text,
      };
    default:
      return unknown(node, text);
  }
}

/** The expression a statement carries: a return value, an if condition, an initialiser. */
function carriedExpression(statement: Node): Node | null {
  switch (statement.type) {
    case 'return_statement':
    case 'expression_statement':
      return statement.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
    case 'if_statement':
    case 'while_statement':
      return statement.childForFieldName('condition');
    case 'declaration': {
      const init = statement.namedChildren.find((c) => c?.type === 'init_declarator');
      return init?.childForFieldName('value') ?? null;
    }
    default:
      return null;
  }
}

/** Turns the text into a statement tree-sitter can read inside a function body. */
function asStatement(text: string): string {
  const t = text.replace(ANNOTATIONS, (m) => ' '.repeat(m.length)).trim();
  if (/^(else\s+)?(if|while)\s*\(/.test(t)) {
    const body = t.replace(/^else\s+/, '');
    return /[;}]\s*$/.test(body) ? body : body.replace(/\{\s*$/, '') + ' {}';
  }
  return /;\s*$/.test(t) ? t : t + ';';
}

/**
 * Parses a C expression or a statement carrying one into the model's Expr.
 * What was parsed, by its text: the same conditions come back in every run (baseline detection
 * compares each pre-image condition with every variant's, and a patch opened again is read again).
 * An Expr is never changed after conversion, so one may be handed to every caller. Texts longer
 * than MAX_CACHED_TEXT are parsed each time (they are rare, and the cache's size stays bounded).
 */
const parsed = new BoundedCache<string, Expr>(4096);
const MAX_CACHED_TEXT = 2048;

export function parseCExpression(text: string): Expr {
  const source = text.trim();
  if (!source) return { kind: 'unknown', text };
  if (source.length > MAX_CACHED_TEXT) return parseSource(source);
  let expr = parsed.get(source);
  if (!expr) parsed.set(source, (expr = parseSource(source)));
  return expr;
}

function parseSource(source: string): Expr {
  const wrapped = `void __vfio_lens(void)\n{\n${asStatement(source)}\n}\n`;
  const tree = cParser().parse(wrapped);
  if (!tree) return { kind: 'unknown', text: source };
  try {
    const fn = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition');
    const body = fn?.childForFieldName('body');
    const statements = (body?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
    if (!body || body.hasError || statements.length !== 1) return { kind: 'unknown', text: source };
    const expr = carriedExpression(statements[0]);
    return expr ? convert(expr, 1) : { kind: 'unknown', text: source };
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    return { kind: 'unknown', text: source, reason: `nested more than ${MAX_EXPR_DEPTH} deep` };
  } finally {
    tree.delete();
  }
}
