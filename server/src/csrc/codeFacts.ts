/**
 * What a piece of C says, on each side (the old image and the new: a hunk's pre- and post-image,
 * or a whole C file as new lines): the decision points of vfio-pci's Command-register handling it
 * contains (recognised by the rows of decisionRecognizers.ts), the marker definitions and setters,
 * the macros it defines, and the domain names on changed lines that none of those explain.
 * csrc reads lines, not diffs: the caller gives each side's lines with their places.
 */
import type { Node } from 'web-tree-sitter';
import type { Range } from '../common/position';
import {
  BoundedCache,
  MARKER_FIELDS,
  devFlagMarker,
  devFlagNamesIn,
  type DecisionPoint,
} from '../model/index';
import {
  BODY_PATTERNS,
  recogniseDecision,
  type BodyPattern,
  type Confidence,
  type StatementKind,
} from './decisionRecognizers';
import { factText, fold, Occurrences, stripParens } from './factText';
import {
  contextFromHeading,
  fragmentLines,
  MAX_BLOCK_DEPTH,
  parseFragment,
  walkTree,
  type FragmentContext,
  type Visited,
} from './fragment';
import { functionFromHeading } from './functions';
import { parseMacro, type MacroDef } from './macros';

export type { Confidence };

/** One line of an image: its text, where it is in the document, and whether the change made it. */
export interface ImageLine {
  readonly text: string;
  readonly range: Range;
  /** Added (new image) or removed (old image) by the change; a context line is not. */
  readonly changed: boolean;
}

/** The C a reader gives csrc: the two images, and the heading naming where they are (a hunk's @@ heading). */
export interface CodeImages {
  heading: string;
  pre: readonly ImageLine[];
  post: readonly ImageLine[];
}

export interface DecisionCandidate {
  decision: DecisionPoint;
  /** The C expression as written (whitespace folded). */
  expression: string;
  /** Image lines of the deciding part (return statement, or the if's condition). */
  lines: number[];
  changed: boolean;
  confidence: Confidence;
  functionName?: string;
}

export interface SetterCandidate {
  /** "is_virtfn", "no_command_memory", "detached_vf", "physfn", or "dev_flags:NAME". */
  marker: string;
  /** The value assigned ("1", "pci_dev_get(dev)", ...); "0"/"NULL" clear the marker. */
  value: string;
  /** Conditions of the enclosing ifs, joined with &&. */
  condition?: string;
  functionName?: string;
  lines: number[];
  changed: boolean;
  statement: string;
}

export interface DefinitionCandidate {
  kind: 'dev-flag' | 'bitfield';
  name: string;
  bit?: number;
  lines: number[];
  changed: boolean;
  /** The aggregate it is in ("enum pci_dev_flags", "struct pci_dev"), if known. */
  container?: string;
}

export interface MacroCandidate extends MacroDef {
  lines: number[];
  changed: boolean;
}

export interface SideFacts {
  image: readonly ImageLine[];
  decisions: DecisionCandidate[];
  setters: SetterCandidate[];
  definitions: DefinitionCandidate[];
  macros: MacroCandidate[];
  /** Changed image lines holding a domain name that no candidate above covers, with the names. */
  unexplained: { line: number; names: string[] }[];
  /** Why the side's C was not read at all (nested deeper than csrc/fragment.ts's MAX_BLOCK_DEPTH). */
  unread?: string;
}

export interface CodeFacts {
  /** The function or aggregate the code is in (heading, own text, or an earlier hunk). */
  functionName?: string;
  functionFrom: 'heading' | 'text' | 'earlier-hunk' | 'unknown';
  context: FragmentContext;
  pre: SideFacts;
  post: SideFacts;
}

/** The vfio-pci functions and the s390 fact whose appearance on a changed line touches the model. */
const DOMAIN_FUNCTIONS = [
  'PCI_COMMAND_MEMORY',
  'PCI_COMMAND_IO',
  '__vfio_pci_memory_enabled',
  'vfio_pci_memory_enabled',
  'vfio_bar_restore',
  'vfio_need_bar_restore',
  'vfio_basic_config_read',
  'vfio_basic_config_write',
  'vfio_config_init',
  'dev_is_vf',
  'zdev->vfn',
];

/** Names whose appearance on a changed line means the code touches the modelled domain (the markers, from the model's vocabulary). */
export const DOMAIN_NAMES = new RegExp(
  `\\b(${[...MARKER_FIELDS, 'no_vf_scan', 'dev_flags', 'PCI_DEV_FLAGS?_\\w+', ...DOMAIN_FUNCTIONS].join('|')})\\b`,
  'g',
);

/** A setter inside more ifs than this is not one the model places: its conditions alone would be quadratic. */
const MAX_SETTER_IFS = 64;

const WALKED = [
  'return_statement',
  'if_statement',
  'assignment_expression',
  'enumerator',
  'field_declaration',
  'preproc_function_def',
];

/** The conditions of the ifs around a node, outermost first (`!(...)` in an else branch). */
function conditionsAbove(
  ifs: Visited['ifs'] & object,
  condText: (ifNode: Node) => string | undefined,
): string[] {
  const conds: string[] = [];
  for (const { node, inElse } of ifs) {
    const text = condText(node);
    if (text !== undefined) conds.push(inElse ? `!(${text})` : text);
  }
  return conds;
}

/**
 * What a side said, by what it is: its lines' text and change marks, the context and the function.
 * Nothing in a side's facts but `image` holds a place (candidates name image lines by index), so a
 * hunk met again (a document opened again, the same hunk in another mail of a thread) is not parsed
 * again: its facts come back with this call's image. Sides longer than MAX_REMEMBERED_SIDE
 * characters are read each time (the cache holds at most SIDES_REMEMBERED small ones).
 */
const SIDES_REMEMBERED = 512;
const MAX_REMEMBERED_SIDE = 16 * 1024;
const sides = new BoundedCache<string, SideFacts>(SIDES_REMEMBERED);

function readSide(image: readonly ImageLine[], context: FragmentContext, fn: string | undefined): SideFacts {
  let size = 0;
  for (const l of image) size += l.text.length + 2;
  if (image.length === 0 || size > MAX_REMEMBERED_SIDE) return readSideText(image, context, fn);
  const key = `${context}\0${fn ?? ''}\0${image.map((l) => (l.changed ? '+' : ' ') + l.text).join('\n')}`;
  let facts = sides.get(key);
  if (!facts) sides.set(key, (facts = readSideText(image, context, fn)));
  return facts.image === image ? facts : { ...facts, image };
}

function readSideText(
  image: readonly ImageLine[],
  context: FragmentContext,
  fn: string | undefined,
): SideFacts {
  const facts: SideFacts = {
    image,
    decisions: [],
    setters: [],
    definitions: [],
    macros: [],
    unexplained: [],
  };
  if (image.length === 0) return facts;
  const frag = parseFragment(
    image.map((l) => l.text),
    context,
  );
  if (frag.tooDeep !== undefined) {
    frag.tree.delete();
    return {
      ...facts,
      unread: `its C nests blocks ${frag.tooDeep} deep (vfio-lens reads at most ${MAX_BLOCK_DEPTH})`,
    };
  }
  const off = frag.lineOffset;
  const n = image.length;
  const covered = new Set<number>();
  try {
    const root = frag.tree.rootNode;
    const isChanged = (lines: number[]) => lines.some((i) => image[i].changed);
    const cover = (lines: number[]) => lines.forEach((i) => covered.add(i));
    // one walk over the tree (linear in it, however deep the nesting): each node with its function and ifs
    const walked = walkTree(root, WALKED, MAX_SETTER_IFS);
    const fnOf = (v: Visited) => v.functionName ?? fn;
    // where the recognisers' body patterns occur, found once: an if's body is asked by position
    const source = root.text;
    const occurrences = new Map<BodyPattern, Occurrences>();
    const occurrencesOf = (p: BodyPattern) => {
      let o = occurrences.get(p);
      if (!o) occurrences.set(p, (o = new Occurrences(source, BODY_PATTERNS[p])));
      return o;
    };
    const condTexts = new Map<number, string | undefined>();
    const condTextOf = (ifNode: Node) => {
      if (!condTexts.has(ifNode.id)) {
        const cond = ifNode.childForFieldName('condition');
        condTexts.set(ifNode.id, cond ? stripParens(fold(cond.text)) : undefined);
      }
      return condTexts.get(ifNode.id);
    };

    // Decision points: the returns, then the ifs, each by the first recogniser of its kind that claims it.
    const decide = (
      kind: StatementKind,
      v: Visited,
      expression: string,
      body: Node | null,
      lines: number[],
    ) => {
      const fnName = fnOf(v);
      const bodyEndsOpen =
        body !== null && (body.endPosition.row - off >= n || (body.lastChild?.isMissing ?? false));
      const view = {
        fn: fnName,
        expression,
        body: {
          has: (p: BodyPattern) => body !== null && occurrencesOf(p).within(body.startIndex, body.endIndex),
          // an anchored look at the body's start: linear in its leading blanks, not in the body
          returnsFirst: () => body !== null && /^\{?\s*return\s*;/.test(body.text.trimStart()),
        },
        bodyEndsOpen,
      };
      const found = recogniseDecision(kind, view);
      if (!found) return;
      facts.decisions.push({
        decision: found.decision,
        expression: stripParens(expression),
        lines,
        changed: isChanged(lines),
        confidence: found.confidence,
        functionName: fnName,
      });
      cover(lines);
    };
    for (const v of walked.get('return_statement')!) {
      const ret = v.node;
      const exprNode = ret.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (exprNode) decide('return_statement', v, fold(exprNode.text), null, fragmentLines(ret, off, n));
    }
    for (const v of walked.get('if_statement')!) {
      const ifs = v.node;
      const cond = ifs.childForFieldName('condition');
      if (!cond) continue;
      const lines = fragmentLines(cond, off, n);
      // the if keyword's own line belongs to the decision too
      const ifLine = (ifs.child(0) ?? ifs).startPosition.row - off;
      if (ifLine >= 0 && ifLine < n && !lines.includes(ifLine)) lines.unshift(ifLine);
      decide('if_statement', v, condTextOf(ifs)!, ifs.childForFieldName('consequence'), lines);
    }

    // Marker setters.
    for (const v of walked.get('assignment_expression')!) {
      const asg = v.node;
      const left = asg.childForFieldName('left');
      const right = asg.childForFieldName('right');
      const op =
        asg.childForFieldName('operator')?.text ?? asg.children.find((c) => c?.type.endsWith('='))?.text;
      if (!left || !right || left.type !== 'field_expression') continue;
      const field = left.childForFieldName('field')?.text ?? '';
      const setsMarker =
        (MARKER_FIELDS.includes(field) && op === '=') ||
        (field === 'dev_flags' && (op === '|=' || op === '&='));
      // inside more than MAX_SETTER_IFS ifs: not placed (its line stays unexplained, said as such)
      if (!setsMarker || !v.ifs) continue;
      const ifs = v.ifs;
      const stmt = asg.parent?.type === 'expression_statement' ? asg.parent : asg;
      const lines = fragmentLines(stmt, off, n);
      const base = {
        value: factText(right.text),
        condition: conditionsAbove(ifs, condTextOf).join(' && ') || undefined,
        functionName: fnOf(v),
        lines,
        changed: isChanged(lines),
        statement: factText(stmt.text),
      };
      for (const { node: a } of ifs) {
        const c = a.childForFieldName('condition');
        if (c) cover(fragmentLines(c, off, n).concat(a.startPosition.row - off));
      }
      if (MARKER_FIELDS.includes(field)) {
        facts.setters.push({ marker: field, ...base });
      } else {
        for (const flag of devFlagNamesIn(right.text)) {
          facts.setters.push({ marker: devFlagMarker(flag), ...base, value: op === '&=' ? '0' : '1' });
        }
      }
      cover(lines);
    }

    // Marker definitions.
    for (const { node: en } of walked.get('enumerator')!) {
      const name = en.childForFieldName('name')?.text ?? '';
      if (!/^PCI_DEV_FLAGS?_/.test(name)) continue;
      const value = en.childForFieldName('value')?.text ?? '';
      const shift = /1\s*<<\s*(\d+)/.exec(value);
      // trimmed first: /^\s*\(?\s*.../ retried every split of a long run of spaces (quadratic)
      const lit = /^\(?\s*(0x[0-9a-fA-F]+|\d+)\s*\)?$/.exec(value.replace(/\([^()]*_t\)/, '').trim());
      let bit: number | undefined;
      if (shift) bit = Number(shift[1]);
      else if (lit) {
        const v = Number(lit[1]);
        if (v > 0 && (v & (v - 1)) === 0) bit = Math.log2(v);
      }
      const lines = fragmentLines(en, off, n);
      facts.definitions.push({
        kind: 'dev-flag',
        name,
        bit,
        lines,
        changed: isChanged(lines),
        container: fn,
      });
      cover(lines);
    }
    for (const { node: fd } of walked.get('field_declaration')!) {
      if (!fd.namedChildren.some((c) => c?.type === 'bitfield_clause')) continue;
      const name = fd.childForFieldName('declarator')?.text ?? '';
      if (!name) continue;
      const lines = fragmentLines(fd, off, n);
      facts.definitions.push({ kind: 'bitfield', name, lines, changed: isChanged(lines), container: fn });
      cover(lines);
    }
    for (const { node: def } of walked.get('preproc_function_def')!) {
      const lines = fragmentLines(def, off, n);
      const macro = parseMacro(lines.map((i) => frag.lines[i]).join('\n'));
      if (!macro) continue;
      facts.macros.push({ ...macro, lines, changed: isChanged(lines) });
      cover(lines);
    }
  } finally {
    // the wasm tree is freed by hand (web-tree-sitter has no finaliser): every side read leaked one
    frag.tree.delete();
  }

  // Domain names on changed lines nothing above explains.
  let inComment = false;
  image.forEach((l, i) => {
    // code only: drop comments, including the lines of a block comment
    let code = '';
    let t = l.text;
    while (t.length) {
      if (inComment) {
        const end = t.indexOf('*/');
        if (end < 0) t = '';
        else {
          t = t.slice(end + 2);
          inComment = false;
        }
      } else {
        const start = t.indexOf('/*');
        if (start < 0) {
          code += t;
          t = '';
        } else {
          code += t.slice(0, start);
          t = t.slice(start + 2);
          inComment = true;
        }
      }
    }
    if (i === 0 && /^\s*\*/.test(l.text)) code = ''; // a fragment that starts inside a comment
    code = code.replace(/\/\/.*$/, '');
    if (!l.changed || covered.has(i)) return;
    const names = [...new Set(code.match(DOMAIN_NAMES) ?? [])];
    if (names.length) facts.unexplained.push({ line: i, names });
  });
  return facts;
}

/** Reads the two images of a piece of C; `earlierFunction` is the function of the code before it (the previous hunk of the same file). */
export function readCode(code: CodeImages, earlierFunction?: string): CodeFacts {
  let functionName = functionFromHeading(code.heading);
  let functionFrom: CodeFacts['functionFrom'] = functionName ? 'heading' : 'unknown';
  const context = contextFromHeading(code.heading);
  const pre = readSide(code.pre, context, functionName);
  const post = readSide(code.post, context, functionName);
  if (!functionName) {
    const own = [...post.decisions, ...post.setters].find((c) => c.functionName)?.functionName;
    if (own) {
      functionName = own;
      functionFrom = 'text';
    } else if (earlierFunction) {
      // read again knowing the function: what a statement decides depends on where it is
      return {
        functionName: earlierFunction,
        functionFrom: 'earlier-hunk',
        context,
        pre: readSide(code.pre, context, earlierFunction),
        post: readSide(code.post, context, earlierFunction),
      };
    }
  }
  return { functionName, functionFrom, context, pre, post };
}
