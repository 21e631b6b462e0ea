/**
 * The bookkeeping of reading one hunk side: the items made so far, the lines they cover, the
 * labels seen (a goto before its label is resolved at the end), and the accesses a statement
 * makes. The statement readers (branches.ts, reader.ts) build on it.
 */
import type { Node } from 'web-tree-sitter';
import { fold } from './cForm';
import { type BodyRead, callArgs, callee, named, outcomeOfReading } from './outcome';
import type { PreparedLines } from './prepare';
import { ACCESS_CALLEES, KNOWN_LABELS, REGION_CALL } from './roles';
import type { Ctx, ItemBase, ReadItem } from './items';
import type { ImageLine, ReadOutcome } from './types';

export abstract class ItemCollector {
  readonly items: ReadItem[] = [];
  protected readonly labels = new Map<string, ReadOutcome>();
  protected readonly pendingGotos: { item: number; label: string }[] = [];
  protected readonly covered = new Set<number>();
  /** The subject of a switch the hunk ends inside (the next hunk's cases belong to it). */
  subjectOut = '';

  constructor(
    protected readonly image: readonly ImageLine[],
    protected readonly prepared: PreparedLines,
    protected readonly offset: number,
    /** The function the hunk's heading names ('' when it names none, or an aggregate). */
    protected readonly hintFn: string,
    /** The struct or union the hunk's heading names, if any. */
    protected readonly hintAggregate: string,
    /** The subject of a switch the previous hunk of this function ended inside ('' if none). */
    protected readonly carriedSubject: string,
  ) {}

  /** Reads a statement list (reader.ts). */
  abstract statements(nodes: readonly Node[], ctx: Ctx): void;

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
