/**
 * What one hunk says in C, on each side (pre-image and post-image): the decision points of
 * vfio-pci's Command-register handling it contains, the marker definitions and setters, the
 * macros it defines, and the domain names on changed lines that none of those explain.
 * Recognition is by what a statement does (a return in the memory-enabled predicate, an if that
 * guards vfio_bar_restore, ...), not by its exact text.
 */
import type { Node } from 'web-tree-sitter';
import type { Hunk, HunkLine } from '../diff/types';
import type { DecisionPoint } from '../model/types';
import { contextFromHeading, parseFragment, walkTree, type FragmentContext, type Visited } from './fragment';
import { factText, fold, Occurrences, stripParens } from './factText';
import { functionFromHeading } from './functions';
import { parseMacro, type MacroDef } from './macros';

export interface ImageLine {
  text: string;
  /** The hunk line it comes from. */
  line: HunkLine;
  /** Added (post-image) or removed (pre-image) by the hunk. */
  changed: boolean;
}

/** How sure a decision-point reading is; 'marker' readings need the baseline to confirm them. */
export type Confidence = 'statement' | 'body' | 'trailing' | 'marker';

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
  image: ImageLine[];
  decisions: DecisionCandidate[];
  setters: SetterCandidate[];
  definitions: DefinitionCandidate[];
  macros: MacroCandidate[];
  /** Changed image lines holding a domain name that no candidate above covers, with the names. */
  unexplained: { line: number; names: string[] }[];
}

export interface HunkFacts {
  /** The function or aggregate the hunk is in (heading, own text, or an earlier hunk). */
  functionName?: string;
  functionFrom: 'heading' | 'text' | 'earlier-hunk' | 'unknown';
  context: FragmentContext;
  pre: SideFacts;
  post: SideFacts;
}

const MARKER_FIELDS = new Set(['is_virtfn', 'no_command_memory', 'detached_vf', 'physfn']);

/** Names whose appearance on a changed line means the hunk touches the modelled domain. */
export const DOMAIN_NAMES =
  /\b(is_virtfn|physfn|no_command_memory|detached_vf|no_vf_scan|dev_flags|PCI_DEV_FLAGS?_\w+|PCI_COMMAND_MEMORY|PCI_COMMAND_IO|__vfio_pci_memory_enabled|vfio_pci_memory_enabled|vfio_bar_restore|vfio_need_bar_restore|vfio_basic_config_read|vfio_basic_config_write|vfio_config_init|dev_is_vf|zdev->vfn)\b/g;

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

/** Image line indices a node spans (the wrapper line is not part of the image). */
function nodeLines(node: Node, offset: number, count: number): number[] {
  const out: number[] = [];
  // a node that ends at column 0 (a #define takes its newline) does not reach that line
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

function buildImage(hunk: Hunk, side: 'pre' | 'post'): ImageLine[] {
  const out: ImageLine[] = [];
  for (const l of hunk.lines) {
    if (l.kind === 'no-newline') continue;
    if (side === 'pre' && l.kind === 'added') continue;
    if (side === 'post' && l.kind === 'removed') continue;
    out.push({ text: l.text, line: l, changed: l.kind !== 'context' });
  }
  return out;
}

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

function readSide(image: ImageLine[], context: FragmentContext, fn: string | undefined): SideFacts {
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
  const root = frag.tree.rootNode;
  const off = frag.lineOffset;
  const n = image.length;
  const isChanged = (lines: number[]) => lines.some((i) => image[i].changed);
  const covered = new Set<number>();
  const cover = (lines: number[]) => lines.forEach((i) => covered.add(i));
  const walked = walkTree(root, WALKED, MAX_SETTER_IFS);
  const fnOf = (v: Visited) => v.functionName ?? fn;
  const source = root.text;
  const restoreCalls = new Occurrences(source, /\bvfio_bar_restore\s*\(/g);
  const commandMemory = new Occurrences(source, /PCI_COMMAND_MEMORY/g);
  // "memory enable", "MEMORY", "memory space" (any case): each holds "memory"
  const memoryWords = new Occurrences(source, /memory/gi);
  const condTexts = new Map<number, string | undefined>();
  const condTextOf = (ifNode: Node) => {
    if (!condTexts.has(ifNode.id)) {
      const cond = ifNode.childForFieldName('condition');
      condTexts.set(ifNode.id, cond ? stripParens(fold(cond.text)) : undefined);
    }
    return condTexts.get(ifNode.id);
  };

  // Decision points.
  for (const v of walked.get('return_statement')!) {
    const ret = v.node;
    const f = fnOf(v);
    const exprNode = ret.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (!exprNode) continue;
    const expr = fold(exprNode.text);
    const inPredicate = f ? /memory_enabled/.test(f) : /PCI_COMMAND_MEMORY/.test(expr);
    if (!inPredicate || !/PCI_COMMAND_MEMORY|memory|no_command_memory|is_virtfn/.test(expr)) continue;
    const lines = nodeLines(ret, off, n);
    facts.decisions.push({
      decision: 'memory-enabled',
      expression: stripParens(expr),
      lines,
      changed: isChanged(lines),
      confidence: 'statement',
      functionName: f,
    });
    cover(lines);
  }
  for (const v of walked.get('if_statement')!) {
    const ifs = v.node;
    const f = fnOf(v);
    const cond = ifs.childForFieldName('condition');
    const body = ifs.childForFieldName('consequence');
    if (!cond) continue;
    const condText = condTextOf(ifs)!;
    const bodyHas = (o: Occurrences) => body !== null && o.within(body.startIndex, body.endIndex);
    const lines = nodeLines(cond, off, n);
    // the if keyword's own line belongs to the decision too
    const ifLine = (ifs.child(0) ?? ifs).startPosition.row - off;
    if (ifLine >= 0 && ifLine < n && !lines.includes(ifLine)) lines.unshift(ifLine);
    let decision: DecisionPoint | undefined;
    let confidence: Confidence = 'statement';
    if (/\boffset\b/.test(condText) && /\bPCI_COMMAND\b/.test(condText) && (!f || /config_read/.test(f))) {
      decision = 'read-or-in';
    } else if (
      bodyHas(restoreCalls) ||
      (/\bvirt_(mem|io)\b/.test(condText) && /\bphys_(mem|io)\b/.test(condText))
    ) {
      if (!f || !/^vfio_bar_restore$/.test(f)) decision = 'restore-condition';
    } else if (f && /^vfio_bar_restore$/.test(f) && body !== null && /^\{?\s*return\s*;/.test(body.text)) {
      decision = 'restore-skip';
    } else if (
      f &&
      /config_init/.test(f) &&
      /is_virtfn|no_command_memory|detached_vf|dev_flags|dev_is_vf/.test(condText)
    ) {
      decision = 'init-force-memory';
      // the block is still open where the fragment ends (closed by the wrapper, or missing)
      const bodyEndsOpen =
        body !== null && (body.endPosition.row - off >= n || (body.lastChild?.isMissing ?? false));
      if (bodyHas(commandMemory)) confidence = 'body';
      else if (bodyEndsOpen && bodyHas(memoryWords)) confidence = 'trailing';
      else confidence = 'marker';
    }
    if (!decision) continue;
    facts.decisions.push({
      decision,
      expression: condText,
      lines,
      changed: isChanged(lines),
      confidence,
      functionName: f,
    });
    cover(lines);
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
      (MARKER_FIELDS.has(field) && op === '=') || (field === 'dev_flags' && (op === '|=' || op === '&='));
    // inside more than MAX_SETTER_IFS ifs: not placed (its line stays unexplained, said as such)
    if (!setsMarker || !v.ifs) continue;
    const ifs = v.ifs;
    const stmt = asg.parent?.type === 'expression_statement' ? asg.parent : asg;
    const lines = nodeLines(stmt, off, n);
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
      if (c) cover(nodeLines(c, off, n).concat(a.startPosition.row - off));
    }
    if (MARKER_FIELDS.has(field)) {
      facts.setters.push({ marker: field, ...base });
    } else {
      for (const flag of right.text.match(/\bPCI_DEV_FLAGS?_\w+/g) ?? []) {
        facts.setters.push({ marker: `dev_flags:${flag}`, ...base, value: op === '&=' ? '0' : '1' });
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
    const lines = nodeLines(en, off, n);
    facts.definitions.push({ kind: 'dev-flag', name, bit, lines, changed: isChanged(lines), container: fn });
    cover(lines);
  }
  for (const { node: fd } of walked.get('field_declaration')!) {
    if (!fd.namedChildren.some((c) => c?.type === 'bitfield_clause')) continue;
    const name = fd.childForFieldName('declarator')?.text ?? '';
    if (!name) continue;
    const lines = nodeLines(fd, off, n);
    facts.definitions.push({ kind: 'bitfield', name, lines, changed: isChanged(lines), container: fn });
    cover(lines);
  }
  for (const { node: def } of walked.get('preproc_function_def')!) {
    const lines = nodeLines(def, off, n);
    const macro = parseMacro(lines.map((i) => frag.lines[i]).join('\n'));
    if (!macro) continue;
    facts.macros.push({ ...macro, lines, changed: isChanged(lines) });
    cover(lines);
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

/** Reads one hunk; `earlierFunction` is the function of the previous hunk of the same file. */
export function readHunk(hunk: Hunk, earlierFunction?: string): HunkFacts {
  let functionName = functionFromHeading(hunk.heading);
  let functionFrom: HunkFacts['functionFrom'] = functionName ? 'heading' : 'unknown';
  const context = contextFromHeading(hunk.heading);
  const pre = readSide(buildImage(hunk, 'pre'), context, functionName);
  const post = readSide(buildImage(hunk, 'post'), context, functionName);
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
        pre: readSide(pre.image, context, earlierFunction),
        post: readSide(post.image, context, earlierFunction),
      };
    }
  }
  return { functionName, functionFrom, context, pre, post };
}
