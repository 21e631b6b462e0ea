/**
 * C expressions (or the statement that carries one: `return X;`, `if (X)`, `bool b = X;`) parsed
 * with tree-sitter-c into the model's expression form. What the kernel writes differently for
 * the same thing is normalised: `vdev->pdev->is_virtfn` is `pdev->is_virtfn`, casts, parentheses
 * and byte-order helpers (`le16_to_cpu(...)`) disappear, `*(__le16 *)&vdev->vconfig[PCI_COMMAND]`
 * is the virtual COMMAND. Anything it cannot read becomes { kind: 'unknown', text }.
 * Call `await initCParser()` once before using it.
 */
import type { Node } from 'web-tree-sitter';
import type { Expr } from '../model/index';
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

function convert(node: Node | null): Expr {
  if (!node) return { kind: 'unknown', text: '' };
  const text = node.text;
  if (node.hasError || node.isMissing) return unknown(node, text);
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
    case 'parenthesized_expression':
      return convert(node.namedChildren.find((c) => c && c.type !== 'comment') ?? null);
    case 'cast_expression':
      return convert(node.childForFieldName('value'));
    case 'pointer_expression': {
      // *(__le16 *)&vdev->vconfig[PCI_COMMAND]: a read of the value at that place.
      const inner = convert(node.childForFieldName('argument'));
      return inner.kind === 'ident' ? { ...inner, text } : unknown(node, text);
    }
    case 'call_expression': {
      const callee = node.childForFieldName('function');
      const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
        (c): c is Node => !!c && c.type !== 'comment',
      );
      // (u16)(cmd): tree-sitter reads a cast of a parenthesised value to a type name as a call.
      if (callee?.type === 'parenthesized_expression' && args.length === 1) {
        const type = callee.namedChildren.filter((c) => c && c.type !== 'comment');
        if (type.length === 1 && type[0]?.type === 'identifier') return convert(args[0]);
      }
      if (!callee || callee.type !== 'identifier') return unknown(node, text);
      if (TRANSPARENT_CALLS.has(callee.text) && args.length === 1) return convert(args[0]);
      return { kind: 'call', callee: callee.text, args: args.map(convert), text };
    }
    case 'unary_expression': {
      const op = node.childForFieldName('operator')?.text ?? '';
      const arg = convert(node.childForFieldName('argument'));
      if (op === '+') return arg;
      if (!UNARY_OPS.includes(op)) return unknown(node, text);
      return { kind: 'unary', op: op as UnaryOp, arg, text };
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text ?? '';
      if (!BINARY_OPS.includes(op)) return unknown(node, text);
      return {
        kind: 'binary',
        op: op as BinaryOp,
        left: convert(node.childForFieldName('left')),
        right: convert(node.childForFieldName('right')),
        text,
      };
    }
    case 'conditional_expression':
      return {
        kind: 'cond',
        test: convert(node.childForFieldName('condition')),
        then: convert(node.childForFieldName('consequence')),
        else: convert(node.childForFieldName('alternative')),
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

/** Parses a C expression or a statement carrying one into the model's Expr. */
export function parseCExpression(text: string): Expr {
  const source = text.trim();
  if (!source) return { kind: 'unknown', text };
  const wrapped = `void __vfio_lens(void)\n{\n${asStatement(source)}\n}\n`;
  const tree = cParser().parse(wrapped);
  if (!tree) return { kind: 'unknown', text: source };
  try {
    const fn = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition');
    const body = fn?.childForFieldName('body');
    const statements = (body?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
    if (!body || body.hasError || statements.length !== 1) return { kind: 'unknown', text: source };
    const expr = carriedExpression(statements[0]);
    return expr ? convert(expr) : { kind: 'unknown', text: source };
  } finally {
    tree.delete();
  }
}
