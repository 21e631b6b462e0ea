/**
 * One side of one hunk of QEMU's (or the kernel's) zPCI C read into items, by what each
 * statement does: an `if` whose body only sets a cc/status, raises a program interrupt, writes
 * a CLP response, errors a plug or returns is a check; a `switch` whose cases only decide is one
 * check per case group (`pbdev->state == ZPCI_FS_PERMANENT_ERROR || ...`, the default reached as
 * `len != 1 && len != 2 && ...`); a `switch`/`if ... else` whose arms hold further statements is a
 * branch; an `if` without else around further statements is a guard; `for` is a loop; a call that
 * touches memory is an access; the rest are assignments, calls, labels, definitions, struct
 * fields, and statements that change nothing the model reads (comments, tracing, declarations).
 * Every changed line ends up in some item; one the reader cannot read is an `other` item.
 */
import type { Node } from 'web-tree-sitter';
import { parseFragment, type FragmentContext } from '../fragment';
import { fold, negate, unwrap } from './cForm';
import {
  type BodyRead,
  callArgs,
  callee,
  decides,
  named,
  outcomeOfReading,
  readBody,
  statementsOf,
} from './outcome';
import { prepareLines, type PreparedLines } from './prepare';
import { ACCESS_CALLEES, KNOWN_LABELS, REGION_CALL, isTraceCall } from './roles';
import type { ImageLine, ReadOutcome } from './types';

interface ItemBase {
  fn: string;
  /** Image line indices of the statement (for containers: their own header lines). */
  lines: number[];
  touched: boolean;
  /** Index of the enclosing container item (case, guard, loop), -1 at the top. */
  parent: number;
  /** The statement's C text, whitespace folded. */
  text: string;
}

export type ReadItem = ItemBase &
  (
    | {
        kind: 'check';
        condition: string;
        outcome?: ReadOutcome;
        /** The hunk cut the statement (a switch case whose end is not in the image). */
        partial?: boolean;
      }
    | {
        kind: 'case';
        subject: string;
        /** The arm's test (`pcias == ZPCI_CONFIG_BAR`); null for the default or the last else. */
        when: string | null;
        /** A case of a switch that began before the hunk and whose subject is not known. */
        orphan?: boolean;
        /** The arm's end is past the hunk. */
        cut?: boolean;
      }
    | { kind: 'guard'; condition: string }
    | { kind: 'loop'; variable: string; test: string; step: number }
    | { kind: 'access'; callee: string; args: string[]; assign?: string; statement: string }
    | { kind: 'assign'; target: string; op: string; value: string; conditions: string[] }
    | { kind: 'call'; callee: string; args: string[]; conditions: string[] }
    | { kind: 'label'; name: string; outcome?: ReadOutcome }
    | { kind: 'function'; name: string }
    | { kind: 'define'; name: string; value: string }
    | { kind: 'field'; container: string; name: string; type: string }
    | { kind: 'neutral'; why: string }
    | { kind: 'other'; why: string }
  );

export type ItemOf<K extends ReadItem['kind']> = Extract<ReadItem, { kind: K }>;

/** Recursion over the tree is bounded; deeper statements are read as `other`. */
const MAX_DEPTH = 24;

const FRAGMENT_NAME = '__vfio_lens_fragment';

/** Statements whose parts are read one by one even when some part does not parse. */
const CONTAINERS = new Set([
  'translation_unit',
  'ERROR',
  'compound_statement',
  'function_definition',
  'if_statement',
  'switch_statement',
  'case_statement',
  'for_statement',
  'labeled_statement',
  'preproc_ifdef',
  'preproc_if',
  'preproc_else',
  'preproc_elif',
  'struct_specifier',
  'type_definition',
  'field_declaration_list',
]);

/** Stands for the subject of a switch whose head is not in the hunk (placement resolves it). */
export const ORPHAN_SUBJECT = '__switch_subject';

interface Ctx {
  fn: string;
  parent: number;
  /** Every enclosing condition (guards, branch arms, negated for else arms). */
  conds: string[];
  depth: number;
}

function declaratorName(d: Node | null): string | undefined {
  for (let n = d; n; n = n.childForFieldName('declarator')) {
    if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier')
      return n.text;
  }
  return undefined;
}

/** The function a definition defines; SYSCALL_DEFINEn(name, ...) defines `name`. */
function definedName(def: Node): string | undefined {
  const name = declaratorName(def.childForFieldName('declarator'));
  if (name && /^SYSCALL_DEFINE\d$/.test(name)) {
    let d = def.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const first = named(d?.childForFieldName('parameters') ?? null)[0];
    return first ? fold(first.text) : name;
  }
  return name;
}

class SideReader {
  readonly items: ReadItem[] = [];
  private readonly labels = new Map<string, ReadOutcome>();
  private readonly pendingGotos: { item: number; label: string }[] = [];
  private readonly covered = new Set<number>();
  /** The subject of a switch the hunk ends inside (the next hunk's cases belong to it). */
  subjectOut = '';

  constructor(
    private readonly image: readonly ImageLine[],
    private readonly prepared: PreparedLines,
    private readonly offset: number,
    /** The function the hunk's heading names ('' when it names none, or an aggregate). */
    private readonly hintFn: string,
    /** The struct or union the hunk's heading names, if any. */
    private readonly hintAggregate: string,
    /** The subject of a switch the previous hunk of this function ended inside ('' if none). */
    private readonly carriedSubject: string,
  ) {}

  linesOf(node: Node, toRow?: number): number[] {
    const out: number[] = [];
    const endRow =
      toRow ??
      (node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row
        ? node.endPosition.row - 1
        : node.endPosition.row);
    for (let r = node.startPosition.row; r <= endRow; r++) {
      const i = r - this.offset;
      if (i >= 0 && i < this.image.length) out.push(i);
    }
    return out;
  }

  /** True when the node's end lies beyond the image (the hunk cut it; the wrapper closed it). */
  cut(node: Node): boolean {
    return node.endPosition.row - this.offset >= this.image.length;
  }

  push(item: ReadItem): number {
    for (const l of item.lines) this.covered.add(l);
    this.items.push(item);
    return this.items.length - 1;
  }

  base(node: Node, ctx: Ctx, lines = this.linesOf(node)): ItemBase {
    return {
      fn: ctx.fn,
      lines,
      touched: lines.some((l) => this.image[l]?.changed),
      parent: ctx.parent,
      text: fold(node.text),
    };
  }

  outcome(r: BodyRead, item: number): ReadOutcome | undefined {
    const o = outcomeOfReading(r, this.labels);
    if (o && 'unresolved' in o) this.pendingGotos.push({ item, label: o.unresolved });
    return o;
  }

  /* ---- statements ---- */

  statements(nodes: readonly Node[], ctx: Ctx): void {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (n.type === 'case_statement') {
        // The cases of a switch that began before the hunk: read together, as one switch's.
        let j = i;
        while (j < nodes.length && (nodes[j].type === 'case_statement' || nodes[j].type === 'comment')) j++;
        this.caseList(
          nodes.slice(i, j).filter((c) => c.type === 'case_statement'),
          this.carriedSubject,
          ctx,
          n,
          true,
        );
        i = j - 1;
        continue;
      }
      if (n.type === 'labeled_statement') {
        // A label's code is the labelled statement and what follows it up to the first end.
        const own = named(n).filter((c) => c.type !== 'statement_identifier');
        const r = readBody([...own, ...nodes.slice(i + 1).filter((c) => c.type !== 'comment')]);
        const name = n.childForFieldName('label')?.text ?? '';
        const o = outcomeOfReading(r, this.labels);
        if (o && !('unresolved' in o)) this.labels.set(name, o);
        this.push({
          ...this.base(n, ctx, this.linesOf(n, n.startPosition.row)),
          kind: 'label',
          name,
          ...(o ? { outcome: o } : {}),
        });
        this.statements(own, ctx);
        continue;
      }
      this.statement(n, ctx);
    }
  }

  statement(n: Node, ctx: Ctx): void {
    if (ctx.depth > MAX_DEPTH) {
      this.push({ ...this.base(n, ctx), kind: 'other', why: 'nested deeper than the reader follows' });
      return;
    }
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    if (n.hasError && !CONTAINERS.has(n.type)) {
      this.push({ ...this.base(n, ctx), kind: 'other', why: 'C tree-sitter could not parse' });
      return;
    }
    if (
      this.prepared.danglingElse.has(n.startPosition.row - this.offset) &&
      n.type === 'compound_statement'
    ) {
      // `} else {` whose `if` lies before the hunk: the last arm of a chain.
      const c = this.push({
        ...this.base(n, ctx, this.linesOf(n, n.startPosition.row)),
        kind: 'case',
        subject: '',
        when: null,
        orphan: true,
      });
      this.armBody(statementsOf(n), { ...deeper, parent: c, conds: [...ctx.conds, 'true'] }, n, this.cut(n));
      return;
    }
    switch (n.type) {
      case 'comment':
        this.push({ ...this.base(n, ctx), kind: 'neutral', why: 'comment' });
        return;
      case 'function_definition':
        return this.functionDefinition(n, deeper);
      case 'compound_statement':
        return this.statements(withComments(n), deeper);
      case 'if_statement':
        return this.ifStatement(n, deeper);
      case 'switch_statement':
        return this.switchStatement(n, deeper);
      case 'case_statement':
        // Only reached for a case outside any switch: cases of one read by caseList().
        return this.caseList([n], this.carriedSubject, deeper, n, true);
      case 'for_statement':
        return this.forStatement(n, deeper);
      case 'expression_statement':
        return this.expressionStatement(n, ctx);
      case 'declaration':
        return this.declaration(n, ctx);
      case 'return_statement':
      case 'break_statement':
      case 'goto_statement':
      case 'continue_statement':
        this.push({ ...this.base(n, ctx), kind: 'neutral', why: 'control flow outside any check' });
        return;
      case 'preproc_def':
        this.push({
          ...this.base(n, ctx),
          kind: 'define',
          name: n.childForFieldName('name')?.text ?? '',
          value: fold(n.childForFieldName('value')?.text ?? ''),
        });
        return;
      case 'preproc_include':
      case 'preproc_call':
      case 'preproc_function_def':
        this.push({ ...this.base(n, ctx), kind: 'neutral', why: 'preprocessor line' });
        return;
      case 'preproc_ifdef':
      case 'preproc_if':
      case 'preproc_else':
      case 'preproc_elif':
        return this.statements(withComments(n), deeper);
      case 'struct_specifier':
      case 'type_definition':
      case 'field_declaration_list':
        return this.aggregate(n, ctx);
      case 'field_declaration':
        return this.field(n, ctx, this.hintAggregate);
      case 'translation_unit':
      case 'ERROR':
        return this.statements(withComments(n), deeper);
      default:
        this.push({ ...this.base(n, ctx), kind: 'other', why: `a ${n.type.replace(/_/g, ' ')}` });
    }
  }

  functionDefinition(n: Node, ctx: Ctx): void {
    const name = definedName(n);
    const body = n.childForFieldName('body');
    const fn = !name || name === FRAGMENT_NAME ? this.hintFn : name;
    if (name && name !== FRAGMENT_NAME) {
      const head = this.linesOf(n, body ? body.startPosition.row : n.startPosition.row);
      this.push({ ...this.base(n, { ...ctx, fn }, head), kind: 'function', name, text: name });
    }
    this.statements(withComments(body), { fn, parent: -1, conds: [], depth: ctx.depth });
  }

  /** Lines of an if's own header: from `if` to the row where its condition ends. */
  headerLines(n: Node, cond: Node | null): number[] {
    return this.linesOf(n, (cond ?? n).endPosition.row);
  }

  ifStatement(n: Node, ctx: Ctx): void {
    const condNode = n.childForFieldName('condition');
    const cond = unwrap(fold(condNode?.text ?? ''));
    const alt = n.childForFieldName('alternative');
    const body = statementsOf(n.childForFieldName('consequence'));
    const accessInCond = this.accessCall(condNode);
    if (!alt) {
      const r = readBody(body);
      if (accessInCond && decides(r)) {
        // if (s390_cpu_virt_mem_read(...)) { handle the fault; return; }: the access itself.
        this.access(accessInCond, undefined, this.base(n, ctx));
        return;
      }
      const cutShort = this.cut(n) && r.end === 'falls' && r.effects.length === 0;
      if (
        decides(r) ||
        cutShort ||
        (r.end === 'falls' && r.effects.length === 0 && r.message !== undefined)
      ) {
        const idx = this.push({
          ...this.base(n, ctx),
          kind: 'check',
          condition: cond,
          ...(cutShort && !decides(r) ? { partial: true } : {}),
        });
        const item = this.items[idx] as ItemOf<'check'>;
        const o = this.outcome(r, idx);
        if (o) item.outcome = o;
        return;
      }
      const g = this.push({
        ...this.base(n, ctx, this.headerLines(n, condNode)),
        kind: 'guard',
        condition: cond,
      });
      this.statements(body, { ...ctx, parent: g, conds: [...ctx.conds, cond] });
      return;
    }
    // if / else if / else: a branch, one case per arm.
    const arms: { cond: string | null; node: Node; body: Node | null; head: number[] }[] = [];
    let cur: Node | null = n;
    let guardDepth = 0;
    while (cur && cur.type === 'if_statement' && guardDepth++ < 64) {
      const c = cur.childForFieldName('condition');
      arms.push({
        cond: unwrap(fold(c?.text ?? '')),
        node: cur,
        body: cur.childForFieldName('consequence'),
        head: this.headerLines(cur, c),
      });
      const a: Node | null = cur.childForFieldName('alternative');
      const next: Node | null = a ? (named(a)[0] ?? null) : null;
      if (next && next.type !== 'if_statement') {
        arms.push({
          cond: null,
          node: a as Node,
          body: next,
          head: this.linesOf(a as Node, (a as Node).startPosition.row),
        });
        break;
      }
      cur = next;
    }
    const negated: string[] = [];
    for (const arm of arms) {
      const armCond = arm.cond === null ? negated.join(' && ') : [...negated, arm.cond].join(' && ');
      const c = this.push({
        ...this.base(arm.node, ctx, arm.head),
        kind: 'case',
        subject: '',
        when: arm.cond,
        ...(arm.body && this.cut(arm.body) ? { cut: true } : {}),
      });
      this.armBody(
        statementsOf(arm.body),
        { ...ctx, parent: c, conds: [...ctx.conds, armCond || 'true'] },
        arm.body,
        !!arm.body && this.cut(arm.body),
      );
      if (arm.cond !== null) negated.push(negate(arm.cond));
    }
  }

  /** A branch arm or case: an arm that only decides is a check `true` inside it. */
  armBody(stmts: Node[], ctx: Ctx, node: Node | null, partial = false): void {
    const r = readBody(stmts);
    const o = outcomeOfReading(r, this.labels);
    if (node && (decides(r) || (partial && r.effects.length === 0 && o))) {
      const idx = this.push({
        ...this.base(
          node,
          ctx,
          stmts.flatMap((s) => this.linesOf(s)),
        ),
        kind: 'check',
        condition: 'true',
        ...(partial ? { partial } : {}),
      });
      const item = this.items[idx] as ItemOf<'check'>;
      const out = this.outcome(r, idx);
      if (out) item.outcome = out;
      return;
    }
    this.statements(stmts, ctx);
  }

  switchStatement(n: Node, ctx: Ctx): void {
    const subject = unwrap(fold(n.childForFieldName('condition')?.text ?? ''));
    const cases = named(n.childForFieldName('body')).filter((c) => c.type === 'case_statement');
    const headLines = this.linesOf(n, (n.childForFieldName('condition') ?? n).endPosition.row);
    for (const c of withComments(n.childForFieldName('body')))
      if (c.type === 'comment') this.push({ ...this.base(c, ctx), kind: 'neutral', why: 'comment' });
    this.caseList(cases, subject, ctx, n, false);
    this.push({ ...this.base(n, ctx, headLines), kind: 'neutral', why: `switch (${subject})` });
    if (this.cut(n)) this.subjectOut = subject;
  }

  /**
   * The cases of one switch: a branch (one case item per group of labels) when some case holds
   * further statements, else one check per group that decides. `orphan`: the switch began
   * before the hunk (its subject is the carried one, or unknown).
   */
  caseList(cases: readonly Node[], subject: string, ctx: Ctx, sw: Node, orphan: boolean): void {
    interface Group {
      values: string[];
      isDefault: boolean;
      stmts: Node[];
      labels: Node[];
    }
    const groups: Group[] = [];
    let open: Group | null = null;
    for (const c of cases) {
      const v = c.childForFieldName('value');
      const value = v ? this.caseValue(subject, v) : null;
      const stmts = withComments(c).filter((x) => x.id !== v?.id);
      if (!open) open = { values: [], isDefault: false, stmts: [], labels: [] };
      if (value === null) open.isDefault = true;
      else open.values.push(value);
      open.labels.push(c);
      open.stmts.push(...stmts);
      if (stmts.length && readBody(open.stmts).end !== 'falls') {
        groups.push(open);
        open = null;
      }
    }
    if (open) groups.push(open);
    // A switch that began before the hunk ends where its enclosing block does.
    const cutEnd = this.cut(orphan ? (sw.parent ?? sw) : sw);
    const structural = groups.some((g) => g.stmts.some((s) => this.isStructural(s)));
    const allValues = groups.flatMap((g) => g.values);
    const labelLines = (g: Group) => g.labels.flatMap((l) => this.linesOf(l, l.startPosition.row));
    if (structural) {
      for (const g of groups) {
        const when = g.isDefault ? null : g.values.join(' || ');
        const c = this.push({
          ...this.base(g.labels[0], ctx, labelLines(g)),
          kind: 'case',
          subject,
          when,
          ...(orphan && !subject ? { orphan: true } : {}),
        });
        const last = g === groups[groups.length - 1];
        this.armBody(
          g.stmts,
          { ...ctx, parent: c, conds: [...ctx.conds, when ?? 'true'] },
          g.labels[0],
          last && cutEnd,
        );
      }
      return;
    }
    for (const g of groups) {
      const r = readBody(g.stmts);
      const last = g === groups[groups.length - 1];
      const partial = last && cutEnd;
      const ownLines = [...labelLines(g), ...g.stmts.flatMap((s) => this.linesOf(s))];
      const o = outcomeOfReading(r, this.labels);
      if (!(decides(r) || (partial && r.effects.length === 0 && o))) {
        this.push({
          ...this.base(g.labels[0], ctx, ownLines),
          kind: r.effects.length ? 'other' : 'neutral',
          why: r.effects.length ? 'a switch case that does more than decide' : 'a switch case that passes',
        });
        if (r.effects.length) this.statements(g.stmts, ctx);
        continue;
      }
      // The default is reached when no case matches: its condition needs every case of the switch.
      const condition = g.isDefault
        ? allValues.map((v) => negateCase(v)).join(' && ') || 'true'
        : g.values.join(' || ');
      const idx = this.push({
        ...this.base(g.labels[0], ctx, g.isDefault && !orphan ? this.linesOf(sw) : ownLines),
        kind: 'check',
        condition,
        ...(partial || (g.isDefault && (cutEnd || orphan)) || (orphan && !subject) ? { partial: true } : {}),
      });
      const item = this.items[idx] as ItemOf<'check'>;
      const out = this.outcome(r, idx);
      if (out) item.outcome = out;
    }
  }

  cutStart(n: Node): boolean {
    return n.startPosition.row < this.offset;
  }

  /** `X == v` for a case value; a GNU range `v...w` as `X >= v && X <= w`. */
  caseValue(subject: string, v: Node): string {
    const end = this.prepared.caseRangeEnds.get(v.startPosition.row - this.offset);
    const value = fold(v.text);
    const s = subject || ORPHAN_SUBJECT;
    return end ? `${s} >= ${value} && ${s} <= ${end}` : `${s} == ${value}`;
  }

  isStructural(s: Node): boolean {
    if (
      ['if_statement', 'for_statement', 'while_statement', 'switch_statement', 'do_statement'].includes(
        s.type,
      )
    )
      return true;
    if (s.type === 'compound_statement') return named(s).some((c) => this.isStructural(c));
    return this.accessCall(s) !== null;
  }

  /** The memory-touching call a node holds (directly, or as the value of an assignment/condition). */
  accessCall(n: Node | null): Node | null {
    if (!n) return null;
    let e: Node | null = n;
    for (let i = 0; i < 4 && e; i++) {
      if (e.type === 'call_expression') {
        const name = callee(e);
        return ACCESS_CALLEES[name] || REGION_CALL.test(name.replace(/\s/g, '')) ? e : null;
      }
      if (e.type === 'expression_statement' || e.type === 'parenthesized_expression') e = named(e)[0] ?? null;
      else if (e.type === 'assignment_expression') e = e.childForFieldName('right');
      else if (e.type === 'unary_expression') e = e.childForFieldName('argument');
      else return null;
    }
    return null;
  }

  access(call: Node, assign: string | undefined, base: ItemBase): void {
    const args = callArgs(call).map((a) => fold(a.text));
    this.push({
      ...base,
      kind: 'access',
      callee: callee(call).replace(/\s/g, ''),
      args,
      ...(assign ? { assign } : {}),
      statement: (assign ? `${assign} = ` : '') + fold(call.text),
    });
  }

  forStatement(n: Node, ctx: Ctx): void {
    const init = fold(n.childForFieldName('initializer')?.text ?? '');
    const test = unwrap(fold(n.childForFieldName('condition')?.text ?? ''));
    const update = fold(n.childForFieldName('update')?.text ?? '').replace(/\s/g, '');
    const variable = /^([A-Za-z_]\w*)\s*=/.exec(init)?.[1] ?? '';
    const step = /^\w+\+\+$|^\+\+\w+$/.test(update) ? 1 : Number(/^\w+\+=(\d+)$/.exec(update)?.[1] ?? NaN);
    const body = n.childForFieldName('body');
    const head = this.linesOf(n, (body ?? n).startPosition.row);
    if (!variable || !Number.isFinite(step)) {
      const o = this.push({
        ...this.base(n, ctx, head),
        kind: 'other',
        why: `a loop the model cannot run (for (${init}; ${test}; ${update}))`,
      });
      this.statements(statementsOf(body), { ...ctx, parent: o });
      return;
    }
    const l = this.push({ ...this.base(n, ctx, head), kind: 'loop', variable, test, step });
    this.statements(statementsOf(body), { ...ctx, parent: l, conds: [...ctx.conds, test] });
  }

  expressionStatement(n: Node, ctx: Ctx): void {
    const e = named(n)[0];
    const base = this.base(n, ctx);
    if (!e) {
      this.push({ ...base, kind: 'neutral', why: 'empty statement' });
      return;
    }
    if (e.type === 'call_expression') {
      const name = callee(e);
      if (isTraceCall(name)) {
        this.push({ ...base, kind: 'neutral', why: 'tracing' });
        return;
      }
      if (this.accessCall(e)) return this.access(e, undefined, base);
      this.push({
        ...base,
        kind: 'call',
        callee: name,
        args: callArgs(e).map((a) => fold(a.text)),
        conditions: ctx.conds,
      });
      return;
    }
    if (e.type === 'assignment_expression') {
      const left = fold(e.childForFieldName('left')?.text ?? '');
      const right = e.childForFieldName('right');
      const call = this.accessCall(right);
      if (call) return this.access(call, left, base);
      const op = e.childForFieldName('operator')?.text ?? '=';
      this.push({
        ...base,
        kind: 'assign',
        target: left.replace(/\s/g, ''),
        op,
        value: fold(right?.text ?? ''),
        conditions: ctx.conds,
      });
      return;
    }
    if (e.type === 'update_expression') {
      this.push({
        ...base,
        kind: 'assign',
        target: fold(e.text).replace(/[+-]|\s/g, ''),
        op: '++',
        value: '',
        conditions: ctx.conds,
      });
      return;
    }
    this.push({ ...base, kind: 'other', why: 'an expression statement the reader does not know' });
  }

  declaration(n: Node, ctx: Ctx): void {
    const base = this.base(n, ctx);
    const type = fold(n.childForFieldName('type')?.text ?? '');
    const inits = named(n).filter((c) => c.type === 'init_declarator');
    const list = inits.map((i) => i.childForFieldName('value')).find((v) => v?.type === 'initializer_list');
    if (list) {
      // struct vfio_device_info_cap_zpci_group cap = { .maxstbl = X, ... }: one assignment per field.
      const struct = type.replace(/^struct\s+/, '');
      this.push({
        ...base,
        lines: this.linesOf(n, n.startPosition.row),
        kind: 'neutral',
        why: `an initialised ${type}`,
      });
      for (const pair of named(list)) {
        if (pair.type !== 'initializer_pair') continue;
        const field = named(pair)
          .filter((c) => c.type === 'field_designator')
          .map((c) => c.text.replace(/^\./, ''))
          .join('.');
        this.push({
          ...this.base(pair, ctx),
          kind: 'assign',
          target: `${struct}.${field}`,
          op: '=',
          value: fold(pair.childForFieldName('value')?.text ?? ''),
          conditions: ctx.conds,
        });
      }
      return;
    }
    const value = inits[0]?.childForFieldName('value') ?? null;
    const call = this.accessCall(value);
    if (call)
      return this.access(call, declaratorName(inits[0]?.childForFieldName('declarator') ?? null), base);
    this.push({ ...base, kind: 'neutral', why: 'a declaration' });
  }

  aggregate(n: Node, ctx: Ctx): void {
    const spec = n.type === 'type_definition' ? n.childForFieldName('type') : n;
    const name =
      (n.type === 'type_definition' ? declaratorName(n.childForFieldName('declarator')) : undefined) ??
      spec?.childForFieldName('name')?.text ??
      this.hintAggregate;
    const container = name === FRAGMENT_NAME ? this.hintAggregate : name;
    const list = n.type === 'field_declaration_list' ? n : spec?.childForFieldName('body');
    this.push({
      ...this.base(n, ctx, this.linesOf(n, n.startPosition.row)),
      kind: 'neutral',
      why: `struct ${container}`,
    });
    for (const f of named(list ?? null)) {
      if (f.type === 'field_declaration') this.field(f, ctx, container);
      else this.statement(f, { ...ctx, depth: ctx.depth + 1 });
    }
  }

  field(f: Node, ctx: Ctx, container: string): void {
    this.push({
      ...this.base(f, ctx),
      kind: 'field',
      container,
      name: declaratorName(f.childForFieldName('declarator')) ?? fold(f.text),
      type: fold(f.childForFieldName('type')?.text ?? ''),
    });
  }

  /** Gotos whose label came later in the side; then every changed line no item covers. */
  finish(): void {
    for (const { item, label } of this.pendingGotos) {
      const o = this.labels.get(label) ?? KNOWN_LABELS[label];
      const it = this.items[item];
      if (o && it.kind === 'check') it.outcome = o;
    }
    let run: number[] = [];
    const flush = () => {
      if (!run.length) return;
      const near = this.items.find((it) => it.lines.some((l) => Math.abs(l - run[0]) <= 2));
      this.items.push({
        fn: near?.fn ?? this.hintFn,
        lines: run,
        touched: true,
        parent: -1,
        text: fold(run.map((l) => this.image[l].text).join(' ')),
        kind: 'other',
        why: 'C the reader could not read as a statement',
      });
      run = [];
    };
    for (let i = 0; i < this.image.length; i++) {
      const l = this.image[i];
      if (this.covered.has(i) || !l.changed || !l.text.trim() || /^\s*[{}]\s*;?\s*$/.test(l.text)) {
        flush();
        continue;
      }
      run.push(i);
    }
    flush();
  }
}

/** A node's named children, comments included (a statement list as written). */
function withComments(n: Node | null): Node[] {
  return (n?.namedChildren ?? []).filter((c): c is Node => !!c);
}

function negateCase(v: string): string {
  const m = /^(.*) >= (.*) && \1 <= (.*)$/.exec(v);
  if (m) return `(${m[1]} < ${m[2]} || ${m[1]} > ${m[3]})`;
  return v.replace(/ == /, ' != ');
}

export function fragmentContext(file: string, fn: string | undefined): FragmentContext {
  if (fn && /^(struct|union)\s/.test(fn)) return 'struct';
  if (fn && /^enum\s/.test(fn)) return 'enum';
  if (fn && !/\.h$/.test(file)) return 'function';
  return 'top';
}

export interface ImageReading {
  items: ReadItem[];
  /** The subject of a switch this side ends inside ('' if none), for the next hunk. */
  openSwitch: string;
}

/**
 * Reads one side of one hunk into items (in document order). `openSwitch`: the subject of a
 * switch the previous hunk of the same function ended inside.
 */
export function readImage(
  image: readonly ImageLine[],
  file: string,
  fn: string | undefined,
  openSwitch = '',
): ImageReading {
  if (!image.length) return { items: [], openSwitch };
  const prepared = prepareLines(image.map((l) => l.text));
  const frag = parseFragment(prepared.lines, fragmentContext(file, fn));
  try {
    const aggregate =
      fn && /^(struct|union|enum)\s/.test(fn) ? fn.replace(/^(struct|union|enum)\s+/, '') : '';
    const reader = new SideReader(
      image,
      prepared,
      frag.lineOffset,
      aggregate ? '' : (fn ?? ''),
      aggregate,
      openSwitch,
    );
    reader.statements(withComments(frag.tree.rootNode), {
      fn: aggregate ? '' : (fn ?? ''),
      parent: -1,
      conds: [],
      depth: 0,
    });
    reader.finish();
    return { items: reader.items, openSwitch: reader.subjectOut };
  } finally {
    frag.tree.delete();
  }
}
