/**
 * Building an instruction's edits: the model node a post-image unit stands for (its C text;
 * id, label and what C does not say taken from the baseline node it replaces), where a new node
 * goes (after the check before it, before the one after it, after the decode, first in its case
 * or loop), and the edits in the order they apply (removals, replacements, insertions).
 */
import type {
  AccessNode,
  BodyNode,
  CheckNode,
  CheckOutcome,
  LoopNode,
  NodePosition,
  ZpciEdit,
  ZpciInstruction,
  ZpciVersionSpec,
} from '../../model/zpci';
import { fold, namesOf } from './cForm';
import { type KnownNode, nameFromVersions, splitAssignment } from './known';
import { modelOutcome, outcomeText } from './outcome';
import { ACCESS_CALLEES, MEMOP_SIZES, REGION_CALL } from './roles';
import type { BaselineDrift, ZpciChange, ZpciPlace } from './types';
import { type SideUnits, type Unit, unitText } from './units';

/** Names a decoded field or the function lookup gives; the first node reading one follows the decode. */
const DECODED = ['fh', 'pcias', 'len', 'offset', 'gaddr', 'pbdev', 'data'];

export interface InstructionInput {
  instruction: ZpciInstruction;
  fn: string;
  file: string;
  pre: SideUnits;
  post: SideUnits;
  baseline: ZpciVersionSpec;
  /** Hunks whose post-image holds the function's definition line (its body starts there). */
  functionStartsIn: ReadonlySet<number>;
  /** Where a hunk's lines are (for places): hunk index -> file. */
  placeOf: (hunk: number, pre: number[], post: number[]) => ZpciPlace;
}

export interface InstructionPlacement {
  changes: ZpciChange[];
  /** Every change's edits in the order they apply: removals, replacements, insertions in post order. */
  edits: ZpciEdit[];
  drift: BaselineDrift[];
  driftEdits: ZpciEdit[];
  /** Pre-image units matched to a baseline node (for the baseline evidence). */
  matched: number;
  units: number;
}

/** The C size expression the model evaluates for an access argument (MemOps read as bytes). */
function sizeText(arg: string | undefined): string {
  const a = fold(arg ?? '0');
  if (MEMOP_SIZES[a]) return MEMOP_SIZES[a];
  const m = /^size_memop\((\w+)\)(\s*\|\s*MO_(BE|LE))?$/.exec(a);
  return m ? m[1] : a;
}

export class Builder {
  readonly changes: ZpciChange[] = [];
  readonly driftEdits: ZpciEdit[] = [];
  readonly drift: BaselineDrift[] = [];
  private readonly removes: ZpciEdit[] = [];
  private readonly replaces: ZpciEdit[] = [];
  private readonly inserts: ZpciEdit[] = [];
  /** Post unit index -> the node id it has in the derived version. */
  readonly postId = new Map<number, string>();
  private readonly takenIds = new Set<string>();
  private readonly removedIds = new Set<string>();
  /** Baseline nodes that will not stay where they are (removed or moved). */
  private readonly gone = new Set<string>();

  constructor(
    readonly input: InstructionInput,
    readonly nodes: readonly KnownNode[],
  ) {
    for (const n of nodes) this.takenIds.add(n.id);
  }

  get instruction(): ZpciInstruction {
    return this.input.instruction;
  }

  key(id: string): string {
    return `${this.instruction}/${id}`;
  }

  freshId(u: Unit): string {
    const kind = u.kind === 'decode' ? null : u.kind;
    const named = kind
      ? nameFromVersions(this.instruction, kind, u.form, u.kind === 'check' ? u.outcome : undefined)
      : undefined;
    let id = named && !this.takenIds.has(named.id) ? named.id : `patch-${u.hunk}-${u.lines[0] ?? 0}`;
    for (let n = 2; this.takenIds.has(id); n++) id = `${id.replace(/~\d+$/, '')}~${n}`;
    this.takenIds.add(id);
    return id;
  }

  /** The model node for a unit (its C text), taking id, label and what C does not say from `base`. */
  node(u: Unit, id: string, base: KnownNode | undefined, body: BodyNode[] = []): BodyNode | null {
    const named = u.kind !== 'decode' ? nameFromVersions(this.instruction, u.kind, u.form) : undefined;
    const label = base?.label ?? named?.label ?? `from the patch: ${unitText(u).slice(0, 60)}`;
    switch (u.kind) {
      case 'check': {
        const fromC = modelOutcome(u.outcome);
        const baseOutcome = base?.node.kind === 'check' ? base.node.outcome : undefined;
        const outcome: CheckOutcome =
          fromC ??
          (u.partial && baseOutcome
            ? baseOutcome
            : { notModelled: `${outcomeText(u.outcome)} (${fold(u.item.text).slice(0, 60)})` });
        const n: CheckNode = { kind: 'check', id, label, condition: u.text ?? 'true', outcome };
        if (u.guard) n.guard = u.guard;
        return n;
      }
      case 'access': {
        const callee = u.callee ?? '';
        const table = ACCESS_CALLEES[callee];
        const region = REGION_CALL.test(callee);
        if (!table && !region) return null;
        const args = u.args ?? [];
        const call = splitAssignment(u.text ?? '').call;
        const assign = u.assign === 'result' ? 'result' : undefined;
        const n: AccessNode = {
          kind: 'access',
          id,
          label,
          statement: assign ? `result = ${call}` : call,
          effect: region ? 'region-block' : table.effect,
          size: region ? 'len' : sizeText(args[table.size]),
        };
        const addr = region ? 'offset' : table.addr !== undefined ? fold(args[table.addr] ?? '') : undefined;
        if (addr) n.addr = addr;
        if (assign) n.assign = assign;
        if (n.effect === 'guest-read')
          n.buffer = base?.node.kind === 'access' && base.node.buffer !== undefined ? base.node.buffer : 128;
        return n;
      }
      case 'loop': {
        const n: LoopNode = {
          kind: 'loop',
          id,
          label,
          variable: u.variable ?? 'i',
          test: u.text ?? '0',
          step: u.step ?? 1,
          body: base?.node.kind === 'loop' && !body.length ? base.node.body : body,
        };
        return n;
      }
      default:
        return null;
    }
  }

  /**
   * Where a change is: in the hunk of its post-image unit, the check the after-variant decides with
   * (a check rewritten in another hunk than the one it is removed from, as z07's PCISTB length
   * check, sits on the added check, not on the removed `switch (len)`); a change that only removes
   * sits where it removes.
   */
  place(pre: number[], post: number[]): ZpciPlace {
    const p = this.input.pre.units;
    const q = this.input.post.units;
    const hunk = (post.length ? q[post[0]].hunk : p[pre[0]]?.hunk) ?? 0;
    return this.input.placeOf(
      hunk,
      pre.flatMap((i) => (p[i].hunk === hunk ? p[i].lines : [])),
      post.flatMap((i) => (q[i].hunk === hunk ? q[i].lines : [])),
    );
  }

  change(c: Omit<ZpciChange, 'place'> & { pre: number[]; post: number[] }): void {
    const { pre, post, ...rest } = c;
    this.changes.push({ place: this.place(pre, post), ...rest });
  }

  /** Where a post unit goes, from its neighbours in the post-images. */
  position(qi: number): NodePosition | null {
    const q = this.input.post.units;
    const u = q[qi];
    const siblings = q
      .map((x, i) => ({ x, i }))
      .filter(({ x }) => x.container === u.container && x.kind !== 'case');
    const at = siblings.findIndex(({ i }) => i === qi);
    const idOf = (i: number) => this.postId.get(i);
    const prevSame = siblings
      .slice(0, at)
      .reverse()
      .find(({ x, i }) => x.hunk === u.hunk && idOf(i));
    const prevAdjacent = siblings[at - 1];
    if (prevSame && prevAdjacent && prevAdjacent.i === prevSame.i) return { after: idOf(prevSame.i)! };
    const nextSame = siblings
      .slice(at + 1)
      .find(({ x, i }) => x.hunk === u.hunk && idOf(i) && !this.pendingInsert(i));
    if (nextSame) return { before: idOf(nextSame.i)! };
    if (prevSame) return { after: idOf(prevSame.i)! };
    if (prevAdjacent?.x.kind === 'decode' && prevAdjacent.x.hunk === u.hunk && u.container < 0) {
      const first = this.firstAfterDecode();
      if (first) return { before: first };
    }
    const prevAny = siblings
      .slice(0, at)
      .reverse()
      .find(({ i }) => idOf(i));
    if (prevAny) return { after: idOf(prevAny.i)! };
    const nextAny = siblings.slice(at + 1).find(({ i }) => idOf(i) && !this.pendingInsert(i));
    if (nextAny) return { before: idOf(nextAny.i)! };
    if (u.container >= 0) {
      const c = q[u.container];
      const cid = this.postId.get(u.container);
      if (c.kind === 'case' && cid) {
        const [branch, index] = cid.split('#');
        return { caseStart: { branch, index: Number(index) } };
      }
      if (c.kind === 'loop' && cid) return { loopStart: cid };
      return null;
    }
    // First in the body only when the hunk shows the function's head before it.
    return this.input.functionStartsIn.has(u.hunk) ? { bodyStart: true } : null;
  }

  private readonly pending = new Set<number>();
  pendingInsert(i: number): boolean {
    return this.pending.has(i);
  }

  /** The first top-level baseline node (not removed) that reads a decoded field: the decode precedes it. */
  firstAfterDecode(): string | undefined {
    for (const n of this.nodes) {
      if (n.container !== '' || this.gone.has(n.id) || n.text === null) continue;
      const names = namesOf(n.text);
      if (DECODED.some((d) => names.has(d))) return n.kind === 'case' ? n.branch : n.id;
    }
    return undefined;
  }

  remove(id: string): void {
    if (this.removedIds.has(id)) return;
    this.removedIds.add(id);
    this.removes.push({ op: 'remove-node', instruction: this.instruction, id });
  }

  replace(id: string, node: BodyNode): void {
    this.replaces.push({ op: 'replace-node', instruction: this.instruction, id, node });
  }

  insert(qi: number, node: BodyNode): ZpciEdit | null {
    this.pending.delete(qi);
    const at = this.position(qi);
    if (!at) return null;
    const e: ZpciEdit = { op: 'insert-node', instruction: this.instruction, node, at };
    this.inserts.push(e);
    return e;
  }

  markPending(i: number): void {
    this.pending.add(i);
  }

  replacesDecode(e: ZpciEdit): void {
    this.replaces.push(e);
  }

  replacesCase(e: ZpciEdit): void {
    this.replaces.push(e);
  }

  edits(): ZpciEdit[] {
    return [...this.removes, ...this.replaces, ...this.inserts];
  }

  noteRemoved(id: string): void {
    this.gone.add(id);
  }
}
