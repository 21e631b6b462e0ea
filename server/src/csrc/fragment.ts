/**
 * Turning one side of a hunk (a C fragment: it may start inside a comment or a block, and end
 * before the block closes) into text tree-sitter-c reads cleanly, without moving any line:
 * the fragment is wrapped in the context its @@ heading names (function body, struct, enum),
 * unbalanced braces are balanced, a comment cut at either end is closed, and sparse annotations
 * (__force, __bitwise, ...) are blanked out in place.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { identifierBefore } from './chars';
import { declaratorName } from './functions';
import { cParser } from './treeSitter';

export type FragmentContext = 'function' | 'struct' | 'enum' | 'top';

export interface ParsedFragment {
  tree: Tree;
  /** Source line of fragment line 0 (the wrapper takes line 0 of the source). */
  lineOffset: number;
  /** The fragment's lines as parsed (after blanking). */
  lines: string[];
  /**
   * Set when the fragment nests blocks deeper than MAX_BLOCK_DEPTH: its lines were not parsed (the
   * tree holds only the wrapper), and this says how deep it went.
   */
  tooDeep?: number;
}

/**
 * The deepest block nesting read as C. Kernel and QEMU code nests a few levels; 100,000 nested
 * braces made every walk over the tree cost seconds (each reader walks each side several times),
 * which no budget could cut inside one hunk.
 */
export const MAX_BLOCK_DEPTH = 256;

const SPARSE_ANNOTATIONS =
  /\b(__force|__bitwise|__iomem|__user|__rcu|__must_check|__init|__exit|__maybe_unused)\b/g;

/** Blanks the tail of a comment the fragment starts inside (lines before the first unmatched close). */
function blankLeadingCommentTail(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].indexOf('/*');
    const close = lines[i].indexOf('*/');
    if (close >= 0 && (open < 0 || close < open)) {
      for (let j = 0; j < i; j++) lines[j] = ' '.repeat(lines[j].length);
      lines[i] = ' '.repeat(close + 2) + lines[i].slice(close + 2);
      return;
    }
    if (open >= 0) return;
  }
}

interface BraceScan {
  minDepth: number;
  maxDepth: number;
  /** Column of the `}` that reached minDepth (-1: none did). */
  minColumn: number;
  endDepth: number;
  inComment: boolean;
}

/** Brace depth over the fragment, skipping comments, strings and character literals. */
function scanBraces(lines: string[]): BraceScan {
  let depth = 0;
  let minDepth = 0;
  let maxDepth = 0;
  let minColumn = -1;
  let inComment = false;
  for (const line of lines) {
    let inString: string | null = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inComment) {
        if (c === '*' && line[i + 1] === '/') {
          inComment = false;
          i++;
        }
        continue;
      }
      if (inString) {
        if (c === '\\') i++;
        else if (c === inString) inString = null;
        continue;
      }
      if (c === '/' && line[i + 1] === '*') {
        inComment = true;
        i++;
      } else if (c === '/' && line[i + 1] === '/') break;
      else if (c === '"' || c === "'") inString = c;
      else if (c === '{') {
        if (++depth > maxDepth) maxDepth = depth;
      } else if (c === '}') {
        depth--;
        if (depth < minDepth) {
          minDepth = depth;
          minColumn = i;
        }
      }
    }
  }
  return { minDepth, maxDepth, minColumn, endDepth: depth, inComment };
}

export function contextFromHeading(heading: string): FragmentContext {
  const h = heading.trim();
  if (/^(typedef\s+)?enum\b/.test(h)) return 'enum';
  if (/^(typedef\s+)?(struct|union)\b[^(]*$/.test(h)) return 'struct';
  // a name before a parenthesis (/[A-Za-z_]\w*\s*\(/, without its quadratic retries)
  for (let p = h.indexOf('('); p >= 0; p = h.indexOf('(', p + 1)) {
    if (identifierBefore(h, p) !== undefined) return 'function';
  }
  return 'top';
}

export interface FragmentOptions {
  /**
   * 'function' context: when the fragment's last unmatched `}` stands in column 0 (kernel and
   * QEMU style for a function's end), it closes the function itself, so what follows it (a
   * table, the next function) is read at top level. Default: every unmatched `}` closes a block
   * inside the wrapper function.
   */
  functionEnds?: boolean;
}

export function parseFragment(
  rawLines: string[],
  context: FragmentContext,
  options: FragmentOptions = {},
): ParsedFragment {
  const lines = rawLines.map((l) => l.replace(SPARSE_ANNOTATIONS, (m) => ' '.repeat(m.length)));
  blankLeadingCommentTail(lines);
  const scan = scanBraces(lines);
  const nesting = scan.maxDepth - scan.minDepth;
  if (nesting > MAX_BLOCK_DEPTH) {
    // the wrapper alone, on as many lines: positions stay right and nothing of the text is walked
    const blank = lines.map(() => '');
    return { tree: cParser().parse('\n' + blank.join('\n') + '\n')!, lineOffset: 1, lines, tooDeep: nesting };
  }
  const endsFunction =
    !!options.functionEnds && context === 'function' && scan.minDepth < 0 && scan.minColumn === 0;
  const openers = '{ '.repeat(-scan.minDepth - (endsFunction ? 1 : 0));
  let head: string;
  let tail: string;
  switch (context) {
    case 'function':
      head = 'void __vfio_lens_fragment(void) { ' + openers;
      tail = endsFunction ? '' : ' }';
      break;
    case 'struct':
      head = 'struct __vfio_lens_fragment { ' + openers;
      tail = ' };';
      break;
    case 'enum':
      head = 'enum __vfio_lens_fragment { ' + openers;
      tail = ' };';
      break;
    default:
      head = openers ? 'void __vfio_lens_fragment(void) { ' + openers : '';
      tail = openers ? ' }' : '';
  }
  const depthAtEnd = scan.endDepth - scan.minDepth;
  const closers = (scan.inComment ? ' */' : '') + ' }'.repeat(Math.max(0, depthAtEnd)) + tail;
  const source = head + '\n' + lines.join('\n') + '\n' + closers + '\n';
  return { tree: cParser().parse(source)!, lineOffset: 1, lines };
}

/**
 * The fragment lines (0-based) a node spans, for a fragment whose line 0 is source row `offset`
 * and which has `count` lines; a node that ends at column 0 (a #define takes its newline) does
 * not reach that line, and wrapper rows are no fragment lines.
 */
export function fragmentLines(node: Node, offset: number, count: number): number[] {
  const out: number[] = [];
  const last =
    node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row
      ? node.endPosition.row - 1
      : node.endPosition.row;
  for (let r = node.startPosition.row; r <= last; r++) {
    const i = r - offset;
    if (i >= 0 && i < count) out.push(i);
  }
  return out;
}

/** Every node of a tree (or subtree) of the given types, in document order. */
export function nodesOfType(root: Node, types: string[]): Node[] {
  return root.descendantsOfType(types).filter((n): n is Node => n !== null);
}

/**
 * Enclosing nodes of a node, innermost first. Node.parent costs the node's depth in tree-sitter:
 * a walk up from every node of a tree is quadratic in its nesting (walkTree below is linear).
 */
export function ancestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/** An enclosing node met on the way down a walk, with what its descendants need of it. */
export interface Enclosing {
  node: Node;
  /** For an if_statement: whether the walk is inside its else branch (set for the path below it). */
  inElse: boolean;
}

/** A node of one of the asked types, with its context, as the walk found it. */
export interface Visited {
  node: Node;
  /** The function_definition innermost around it (its declarator's name), if any but the wrapper's. */
  functionName?: string;
  /** The if_statements around it, outermost first; undefined when more than `maxIfs` enclose it. */
  ifs?: Enclosing[];
}

interface Frame {
  type: string;
  start: number;
  end: number;
  functionName?: string;
  /** The if_statement this frame is (alternative's extent kept for the children's inElse). */
  ifNode?: Node;
  altStart?: number;
  altEnd?: number;
}

/**
 * One walk over a tree, in document order, with a cursor and a stack of its own: every node of
 * the given types, each with the name of its function and the if_statements around it. Time is
 * linear in the tree (Node.parent costs the depth of the node in tree-sitter, so a walk up from
 * every node was quadratic in the nesting, and the nesting is the document's).
 */
export function walkTree(root: Node, types: readonly string[], maxIfs: number): Map<string, Visited[]> {
  const wanted = new Set(types);
  const found = new Map<string, Visited[]>(types.map((t) => [t, []]));
  const cursor = root.walk();
  const frames: Frame[] = [];
  const ifFrames: Frame[] = [];
  /** The if frames whose alternative holds the path (parallel to ifFrames). */
  const inElse: boolean[] = [];
  const top = () => frames[frames.length - 1];
  const visit = () => {
    const type = cursor.nodeType;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const parent = top();
    const frame: Frame = { type, start, end, functionName: parent?.functionName };
    let node: Node | undefined;
    if (type === 'function_definition') {
      node = cursor.currentNode;
      const name = declaratorName(node.childForFieldName('declarator'));
      frame.functionName = name && name !== '__vfio_lens_fragment' ? name : undefined;
    } else if (type === 'if_statement') {
      node = cursor.currentNode;
      const alt = node.childForFieldName('alternative');
      frame.ifNode = node;
      frame.altStart = alt?.startIndex;
      frame.altEnd = alt?.endIndex;
    }
    if (wanted.has(type)) {
      node ??= cursor.currentNode;
      const v: Visited = { node, functionName: parent?.functionName };
      if (ifFrames.length <= maxIfs) {
        v.ifs = ifFrames.map((f, k) => ({ node: f.ifNode!, inElse: inElse[k] }));
      }
      found.get(type)!.push(v);
    }
    return frame;
  };
  const enter = (frame: Frame) => {
    frames.push(frame);
    if (frame.ifNode) {
      ifFrames.push(frame);
      inElse.push(false);
    }
  };
  const leave = () => {
    const f = frames.pop()!;
    if (f.ifNode) {
      ifFrames.pop();
      inElse.pop();
    }
  };
  /** Marks, for the innermost if around the cursor's node, whether that node is in its else branch. */
  const place = () => {
    const p = top();
    if (p?.ifNode) {
      const s = cursor.startIndex;
      const e = cursor.endIndex;
      inElse[inElse.length - 1] = p.altStart !== undefined && p.altStart <= s && e <= p.altEnd!;
    }
  };
  try {
    let current = visit();
    for (;;) {
      if (cursor.gotoFirstChild()) {
        enter(current);
        place();
        current = visit();
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return found;
        leave();
      }
      place();
      current = visit();
    }
  } finally {
    cursor.delete();
  }
}
