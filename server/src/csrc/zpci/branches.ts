/**
 * The conditional statements of a hunk side: an `if` is a check (its body only decides), a guard
 * (it holds further statements) or, with `else`, a branch of arms; a `switch` is one check per
 * case group when its cases only decide, else a branch of cases (a GNU case range read as
 * `>= && <=`, a switch cut by the hunk marked partial, one begun before it given the carried
 * subject).
 */
import type { Node } from 'web-tree-sitter';
import { fold, negate, unwrap } from './cForm';
import { ItemCollector } from './collector';
import { type Ctx, type ItemOf, ORPHAN_SUBJECT, negateCase, withComments } from './items';
import { decides, named, outcomeOfReading, readBody, statementsOf } from './outcome';

export abstract class BranchReader extends ItemCollector {
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
}
