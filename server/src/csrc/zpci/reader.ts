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
import { fold, unwrap } from './cForm';
import { BranchReader } from './branches';
import {
  CONTAINERS,
  type Ctx,
  FRAGMENT_NAME,
  MAX_DEPTH,
  type ReadItem,
  declaratorName,
  definedName,
  withComments,
} from './items';
import { callArgs, callee, named, readBody, outcomeOfReading, statementsOf } from './outcome';
import { prepareLines } from './prepare';
import { isTraceCall } from './roles';
import type { ImageLine } from './types';

export { ORPHAN_SUBJECT, type ItemOf, type ReadItem } from './items';

class SideReader extends BranchReader {
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
