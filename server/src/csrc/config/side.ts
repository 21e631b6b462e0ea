/**
 * One side of a hunk parsed for the config-space reading: the fragment as tree-sitter-c reads it
 * (csrc/fragment.ts wraps it in the context its heading names; a length table's initialiser gets
 * an array wrapper), and what a recogniser asks of a node: the image lines it spans, the function
 * it is in, the conditions of the ifs above it, whether a block is wholly in the image.
 */
import type { Node, Tree } from 'web-tree-sitter';
import {
  ancestors,
  contextFromHeading,
  fragmentLines,
  parseFragment,
  type FragmentContext,
} from '../fragment';
import { identifierBefore, isSpaceCode } from '../chars';
import { functionFromHeading } from '../functions';
import type { HunkImages, ImageLine } from './types';

const WRAPPER = '__vfio_lens_fragment';
/**
 * The table a heading opens as an array initialiser ("static const u8 pci_cap_length[PCI_CAP_ID_MAX
 * + 1] = {" -> "pci_cap_length"): what /([A-Za-z_]\w*)\s*\[[^\]]*\]\s*=\s*\{\s*$/ found, in one
 * pass (the expression retried every start in a run of "a[": quadratic in the heading).
 */
export function tableOfHeading(h: string): string | undefined {
  let k = h.length;
  const expect = (c: string) => {
    while (k > 0 && isSpaceCode(h.charCodeAt(k - 1))) k--;
    if (h[k - 1] !== c) return false;
    k--;
    return true;
  };
  if (!expect('{') || !expect('=') || !expect(']')) return undefined;
  // the "[" of the subscript: after the "]" before it; the first with a name right before it
  const close = k;
  for (
    let q = h.indexOf('[', h.lastIndexOf(']', close - 1) + 1);
    q >= 0 && q < close;
    q = h.indexOf('[', q + 1)
  ) {
    const name = identifierBefore(h, q);
    if (name !== undefined) return name;
  }
  return undefined;
}

export const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface Side {
  root: Node;
  image: ImageLine[];
  /** The image's lines as parsed (a comment the hunk starts inside is blanked). */
  parsed: string[];
  /** Source row of image line 0. */
  offset: number;
  /** The function (or table) the hunk's first line is in. */
  hunkFunction?: string;
  /** Set when the hunk is inside an array initialiser (the table's name). */
  table?: string;
  context: FragmentContext | 'table';
  dispose(): void;
}

export function hunkFunction(h: HunkImages): string | undefined {
  if (h.functionName) return h.functionName;
  if (!h.heading) return undefined;
  return tableOfHeading(h.heading) ?? functionFromHeading(h.heading);
}

export function parseSide(h: HunkImages, image: ImageLine[]): Side {
  const table = h.heading ? tableOfHeading(h.heading) : undefined;
  const lines = image.map((l) => l.text);
  if (table) {
    const frag = parseFragment([`static int ${WRAPPER}[] = {`, ...lines], 'top');
    const tree = frag.tree;
    return {
      root: tree.rootNode,
      image,
      parsed: frag.lines.slice(1),
      offset: frag.lineOffset + 1,
      hunkFunction: table,
      table,
      context: 'table',
      dispose: () => tree.delete(),
    };
  }
  const context: FragmentContext = h.heading
    ? contextFromHeading(h.heading)
    : h.functionName
      ? 'function'
      : 'top';
  const frag = parseFragment(lines, context, { functionEnds: true });
  const tree = frag.tree;
  return {
    root: tree.rootNode,
    image,
    parsed: frag.lines,
    offset: frag.lineOffset,
    hunkFunction: hunkFunction(h),
    context,
    dispose: () => tree.delete(),
  };
}

/** Image lines a node spans (wrapper rows are not image lines). */
export function lineSpan(side: Side, node: Node): number[] {
  return fragmentLines(node, side.offset, side.image.length);
}

/** True when any of the lines is changed. */
export const anyChanged = (side: Side, lines: number[]) => lines.some((i) => side.image[i]?.changed);

function declaratorName(d: Node | null): string | undefined {
  for (let n = d; n; n = n.childForFieldName('declarator')) if (n.type === 'identifier') return n.text;
  return undefined;
}

/** What a node itself says of the function it and its descendants are in; null: it says nothing. */
function functionHere(side: Side, a: Node): string | undefined | null {
  if (a.type === 'function_definition') {
    const name = declaratorName(a.childForFieldName('declarator'));
    return name && name !== WRAPPER ? name : side.hunkFunction;
  }
  if (a.type === 'declaration' && side.context === 'table') {
    const name = declaratorName(a.namedChildren.find((c) => c?.type === 'init_declarator') ?? null);
    return name === WRAPPER ? side.table : name;
  }
  return null;
}

/**
 * The function of every node of a side, by node id, from one walk over its tree. A walk up from
 * each node (Node.parent costs the node's depth in tree-sitter) was cubic in the nesting: 100
 * nested ifs took 20 s.
 */
const functionMaps = new WeakMap<Side, Map<number, string | undefined>>();

function functionMap(side: Side): Map<number, string | undefined> {
  let map = functionMaps.get(side);
  if (map) return map;
  map = new Map();
  functionMaps.set(side, map);
  const cursor = side.root.walk();
  // the function of each node on the path from the root to the cursor's node
  const path: (string | undefined)[] = [];
  const visit = () => {
    const type = cursor.nodeType;
    let fn = path.length ? path[path.length - 1] : undefined;
    if (type === 'function_definition' || (type === 'declaration' && side.context === 'table')) {
      const here = functionHere(side, cursor.currentNode);
      if (here !== null) fn = here;
    }
    map!.set(cursor.nodeId, fn);
    return fn;
  };
  try {
    let fn = visit();
    for (;;) {
      if (cursor.gotoFirstChild()) {
        path.push(fn);
        fn = visit();
        continue;
      }
      for (;;) {
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return map;
        path.pop();
      }
      fn = visit();
    }
  } finally {
    cursor.delete();
  }
}

/** The function a node is in: a definition in the fragment, the hunk's own function, or none (top level). */
export function functionOf(side: Side, node: Node): string | undefined {
  const map = functionMap(side);
  if (map.has(node.id)) return map.get(node.id);
  // a node the walk did not meet (not of this side's tree): walk up from it
  for (const a of [node, ...ancestors(node)]) {
    const here = functionHere(side, a);
    if (here !== null) return here;
  }
  return undefined;
}

/** A node the wrapper made (on the wrapper's row, or on the closing row after the image). */
export function synthetic(side: Side, node: Node): boolean {
  return node.startPosition.row < side.offset || node.startPosition.row >= side.offset + side.image.length;
}

/** A block (or statement) whose first and last rows are both image lines, and nothing is missing. */
export function wholeInImage(side: Side, node: Node): boolean {
  const end = node.endPosition.row;
  if (synthetic(side, node) || end >= side.offset + side.image.length) return false;
  const last = node.lastChild;
  return !node.hasError && !(last?.isMissing ?? false) && !(last && synthetic(side, last));
}

export interface Guard {
  /** The if's condition, without its parentheses; negated when the node is in the else branch. */
  text: string;
  node: Node;
}

/**
 * The conditions of the ifs between a node and its function's body, outermost first, and
 * whether an enclosing block of the function is not in the image (its condition is unseen).
 */
export function guardsOf(side: Side, node: Node): { guards: Guard[]; unseen: boolean } {
  const guards: Guard[] = [];
  let unseen = false;
  let child = node;
  for (const a of ancestors(node)) {
    if (a.type === 'function_definition') break;
    if (a.type === 'if_statement') {
      const cond = a.childForFieldName('condition');
      const alt = a.childForFieldName('alternative');
      if (cond) {
        const text = fold(cond.text).replace(/^\((.*)\)$/s, '$1');
        const inElse = alt !== null && alt.startIndex <= child.startIndex && child.endIndex <= alt.endIndex;
        guards.unshift({ text: inElse ? `!(${text})` : text, node: a });
      }
    } else if (
      a.type === 'compound_statement' &&
      synthetic(side, a) &&
      a.parent?.type !== 'function_definition'
    ) {
      unseen = true;
    }
    child = a;
  }
  return { guards, unseen };
}

/** Conditions joined as one C condition ("(a) && (b)", a single one as is). */
export function conjunction(texts: string[]): string | null {
  if (!texts.length) return null;
  if (texts.length === 1) return texts[0];
  return texts.map((t) => (/^[\w>.\-[\]()!]+$/.test(t) ? t : `(${t})`)).join(' && ');
}

/**
 * A side's whole-tree lists, by the types asked: the recognisers ask the same question of one side
 * again and again (44 times "every if_statement" on one hunk), and each answer walked the whole
 * tree (100,000 nested braces: 4.3 s of walks in one hunk). The types they ask of a whole side are
 * gathered in one walk (ROOT_TYPES), the first time any is asked.
 */
interface WholeTree {
  rootId: number;
  lists: Map<string, Node[]>;
}
const wholeTrees = new WeakMap<Tree, WholeTree>();

/** The node types recognisers ask of a whole side. */
const ROOT_TYPES = [
  'if_statement',
  'assignment_expression',
  'call_expression',
  'function_definition',
  'initializer_pair',
  'declaration',
  'case_statement',
  'return_statement',
  'comment',
];

function wholeTreeOf(root: Node): WholeTree {
  const tree = root.tree;
  let whole = wholeTrees.get(tree);
  if (!whole) {
    const lists = new Map<string, Node[]>(ROOT_TYPES.map((t) => [t, []]));
    for (const n of descendants(tree.rootNode, ROOT_TYPES)) lists.get(n.type)?.push(n);
    wholeTrees.set(tree, (whole = { rootId: tree.rootNode.id, lists }));
  }
  return whole;
}

/** Every node of the given types under root, in document order (the same list each time for a side's root). */
export function nodes(root: Node, types: string[]): Node[] {
  const whole = wholeTreeOf(root);
  if (root.id !== whole.rootId) return descendants(root, types);
  const key = types.join(' ');
  let list = whole.lists.get(key);
  if (!list) whole.lists.set(key, (list = descendants(root, types)));
  return list;
}

function descendants(root: Node, types: string[]): Node[] {
  return root.descendantsOfType(types).filter((n): n is Node => n !== null);
}

/** The callee name of a call_expression, or undefined. */
export function calleeOf(call: Node): string | undefined {
  const f = call.childForFieldName('function');
  return f?.type === 'identifier' ? f.text : undefined;
}

/** The argument nodes of a call_expression (comments left out). */
export function argsOf(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is Node => !!c && c.type !== 'comment',
  );
}

/** Calls in a subtree whose callee is one of the names. */
export function callsTo(root: Node, names: readonly string[]): Node[] {
  return nodes(root, ['call_expression']).filter((c) => names.includes(calleeOf(c) ?? ''));
}

/** The statement a node is part of (nearest expression/return/declaration/if ancestor). */
export function statementOf(node: Node): Node {
  for (const a of [node, ...ancestors(node)]) {
    if (
      [
        'expression_statement',
        'return_statement',
        'declaration',
        'if_statement',
        'field_declaration',
      ].includes(a.type)
    )
      return a;
  }
  return node;
}

/** A node's text without its comments, whitespace folded. */
export function codeText(node: Node): string {
  const comments = nodes(node, ['comment']);
  if (!comments.length) return fold(node.text);
  const text = node.text;
  const base = node.startIndex;
  let out = '';
  let at = base;
  for (const c of comments) {
    out += text.slice(at - base, c.startIndex - base) + ' ';
    at = c.endIndex;
  }
  return fold(out + text.slice(at - base));
}

/** An if's condition as C text, without the parentheses. */
export function conditionText(ifNode: Node): string {
  const cond = ifNode.childForFieldName('condition');
  return cond
    ? codeText(cond)
        .replace(/^\((.*)\)$/s, '$1')
        .trim()
    : '';
}

/** The image lines of an if's header (from `if` to the end of its condition). */
export function headerLines(side: Side, ifNode: Node): number[] {
  const cond = ifNode.childForFieldName('condition') ?? ifNode;
  const out: number[] = [];
  for (let r = ifNode.startPosition.row; r <= cond.endPosition.row; r++) {
    const i = r - side.offset;
    if (i >= 0 && i < side.image.length) out.push(i);
  }
  return out;
}

/** The statements of a block or a single statement (comments left out). */
export function statementsOf(node: Node | null): Node[] {
  if (!node) return [];
  if (node.type !== 'compound_statement') return [node];
  return node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** Assignments in a subtree whose left side, without spaces, matches. */
export function assignmentsTo(root: Node, left: RegExp): Node[] {
  return nodes(root, ['assignment_expression']).filter((a) =>
    left.test((a.childForFieldName('left')?.text ?? '').replace(/\s+/g, '')),
  );
}

/** `inner` lies inside `outer` (tree-sitter hands out a new object per access: compare by range and id). */
export const inside = (inner: Node, outer: Node) =>
  inner.id !== outer.id && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
