/**
 * One instruction's changes: the units of the pre-images placed on the baseline's nodes (by
 * their expression form and outcome; else by the name the versions give that form; else by the
 * names they read), the post-images' units aligned with the pre-images' (longest common
 * subsequence of their keys), the rest paired by node identity, and every pair, addition and
 * removal turned into model edits (replace, remove, insert next to its neighbours, move).
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
import { exprForm, fold, nameOverlap, namesOf } from './cForm';
import { type KnownNode, knownNodes, nameFromVersions, splitAssignment } from './known';
import { modelOutcome, outcomeKey, outcomeText } from './outcome';
import { ACCESS_CALLEES, MEMOP_SIZES, REGION_CALL } from './roles';
import type { BaselineDrift, ZpciChange, ZpciChangeKind, ZpciPlace } from './types';
import { type SideUnits, type Unit, unitText } from './units';

/** Sequences longer than this are aligned greedily (the LCS table would grow quadratically). */
const MAX_LCS_CELLS = 250_000;

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

/** Longest common subsequence of two key lists: index pairs. */
export function lcsPairs(a: readonly string[], b: readonly string[]): [number, number][] {
  if (a.length * b.length > MAX_LCS_CELLS) {
    const out: [number, number][] = [];
    let j = 0;
    for (let i = 0; i < a.length && j < b.length; i++) {
      const k = b.indexOf(a[i], j);
      if (k >= 0) {
        out.push([i, k]);
        j = k + 1;
      }
    }
    return out;
  }
  const m = a.length;
  const n = b.length;
  const t = Array.from({ length: m + 1 }, () => new Int32Array(n + 1));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--)
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const out: [number, number][] = [];
  for (let i = 0, j = 0; i < m && j < n;) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return out;
}

/** Indices (into `seq`) of one longest increasing subsequence. */
function lisIndices(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < seq[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) out.add(k);
  return out;
}

function sameOutcome(u: Unit, n: KnownNode): boolean {
  if (u.kind !== 'check') return true;
  if (!u.outcome) return true;
  return outcomeKey(u.outcome) === outcomeKey(n.outcome);
}

function sameGuard(u: Unit, n: KnownNode): boolean {
  return (u.guard ? exprForm(u.guard) : '') === (n.guard ? exprForm(n.guard) : '');
}

/** The unit's kind as a known node's ('decode' has none). */
const knownKind = (u: Unit) => (u.kind === 'decode' ? null : u.kind);

/** Places pre-image units on baseline nodes: exact form, then the versions' name, then the names read. */
function placePre(
  pre: readonly Unit[],
  nodes: readonly KnownNode[],
  instruction: ZpciInstruction,
): (KnownNode | undefined)[] {
  const used = new Set<string>();
  const out: (KnownNode | undefined)[] = pre.map(() => undefined);
  const take = (i: number, n: KnownNode | undefined) => {
    if (n && !used.has(n.id)) {
      out[i] = n;
      used.add(n.id);
    }
  };
  pre.forEach((u, i) => {
    if (!knownKind(u)) return;
    take(
      i,
      nodes.find(
        (n) =>
          !used.has(n.id) && n.kind === u.kind && n.form === u.form && sameOutcome(u, n) && sameGuard(u, n),
      ),
    );
  });
  pre.forEach((u, i) => {
    const kind = knownKind(u);
    if (out[i] || !kind) return;
    const named = nameFromVersions(instruction, kind, u.form, u.kind === 'check' ? u.outcome : undefined);
    if (named)
      take(
        i,
        nodes.find((n) => n.id === named.id && n.kind === kind),
      );
  });
  // Between two placed neighbours of one hunk, the one unplaced node of that kind and outcome.
  pre.forEach((u, i) => {
    if (out[i] || !knownKind(u)) return;
    let a = i - 1;
    while (a >= 0 && (!out[a] || pre[a].hunk !== u.hunk)) a--;
    let z = i + 1;
    while (z < pre.length && (!out[z] || pre[z].hunk !== u.hunk)) z++;
    const from = a >= 0 ? nodes.indexOf(out[a]!) : -1;
    const to = z < pre.length ? nodes.indexOf(out[z]!) : nodes.length;
    if (a < 0 && z >= pre.length) return;
    const between = nodes
      .slice(from + 1, to)
      .filter((n) => !used.has(n.id) && n.kind === u.kind && sameOutcome(u, n));
    if (between.length === 1) take(i, between[0]);
  });
  pre.forEach((u, i) => {
    if (out[i] || !knownKind(u) || u.text === null) return;
    let best: KnownNode | undefined;
    let score = 0.5;
    for (const n of nodes) {
      if (used.has(n.id) || n.kind !== u.kind || !sameOutcome(u, n) || n.text === null) continue;
      const s = nameOverlap(u.text, n.text);
      if (s >= score) {
        best = n;
        score = s;
      }
    }
    take(i, best);
  });
  return out;
}

/** The C size expression the model evaluates for an access argument (MemOps read as bytes). */
function sizeText(arg: string | undefined): string {
  const a = fold(arg ?? '0');
  if (MEMOP_SIZES[a]) return MEMOP_SIZES[a];
  const m = /^size_memop\((\w+)\)(\s*\|\s*MO_(BE|LE))?$/.exec(a);
  return m ? m[1] : a;
}

class Builder {
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

  place(pre: number[], post: number[]): ZpciPlace {
    const p = this.input.pre.units;
    const q = this.input.post.units;
    const hunk = (pre.length ? p[pre[0]].hunk : q[post[0]]?.hunk) ?? 0;
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

export function placeInstruction(input: InstructionInput): InstructionPlacement {
  const { instruction, fn, file, baseline } = input;
  const nodes = knownNodes(baseline, instruction);
  const P = input.pre.units;
  const Q = input.post.units;
  const b = new Builder(input, nodes);
  const onBase = placePre(P, nodes, instruction);

  // Drift: pre-image text the baseline writes otherwise (aligned in `before`).
  P.forEach((u, i) => {
    const n = onBase[i];
    if (!n || n.form === u.form || u.kind === 'decode') return;
    if (u.kind === 'case') {
      b.driftEdits.push({ op: 'set-case', instruction, branch: n.branch!, index: n.index!, when: u.text });
    } else {
      const node = b.node(u, n.id, n);
      if (node) b.driftEdits.push({ op: 'replace-node', instruction, id: n.id, node });
    }
    b.drift.push({ key: b.key(n.id), baseline: n.text ?? 'default', preImage: u.text ?? 'default' });
  });
  P.forEach((u) => {
    if (u.kind !== 'decode') return;
    const base = baseline.decode[instruction][u.field!];
    if (exprForm(base) !== u.form) {
      b.driftEdits.push({ op: 'set-decode', instruction, field: u.field!, text: u.text ?? '' });
      b.drift.push({ key: `${instruction}/decode-${u.field}`, baseline: base, preImage: u.text ?? '' });
    }
  });

  // Align, then pair what the alignment left.
  const pairs = lcsPairs(
    P.map((u) => u.key),
    Q.map((u) => u.key),
  );
  const pairOfQ = new Map<number, number>();
  const pairOfP = new Map<number, number>();
  const link = (p: number, q: number) => {
    pairOfP.set(p, q);
    pairOfQ.set(q, p);
  };
  for (const [p, q] of pairs) link(p, q);
  const freeP = () => P.map((_, i) => i).filter((i) => !pairOfP.has(i));
  const freeQ = () => Q.map((_, i) => i).filter((i) => !pairOfQ.has(i));
  // Same key elsewhere: moved.
  for (const q of freeQ()) {
    const p = freeP().find((i) => P[i].key === Q[q].key);
    if (p !== undefined) link(p, q);
  }
  // The name the versions give the post unit's form is the pre unit's node: rewritten.
  for (const q of freeQ()) {
    const u = Q[q];
    const kind = knownKind(u);
    if (!kind) {
      const p = freeP().find((i) => P[i].kind === 'decode' && P[i].field === u.field);
      if (p !== undefined) link(p, q);
      continue;
    }
    const named = nameFromVersions(instruction, kind, u.form, u.kind === 'check' ? u.outcome : undefined);
    if (!named) continue;
    const p = freeP().find(
      (i) =>
        onBase[i]?.id === named.id ||
        (P[i].kind === kind && nameFromVersions(instruction, kind, P[i].form)?.id === named.id),
    );
    if (p !== undefined) link(p, q);
  }
  // Between the same aligned neighbours, the one free pre unit of that kind and outcome.
  for (const q of freeQ()) {
    const u = Q[q];
    let qa = q - 1;
    while (qa >= 0 && !pairOfQ.has(qa)) qa--;
    let qz = q + 1;
    while (qz < Q.length && !pairOfQ.has(qz)) qz++;
    const lo = qa >= 0 ? pairOfQ.get(qa)! : -1;
    const hi = qz < Q.length ? pairOfQ.get(qz)! : P.length;
    const candidates = freeP().filter(
      (p) =>
        p > lo &&
        p < hi &&
        P[p].kind === u.kind &&
        P[p].hunk === u.hunk &&
        (u.kind !== 'check' ||
          !u.outcome ||
          !P[p].outcome ||
          outcomeKey(u.outcome) === outcomeKey(P[p].outcome)) &&
        (u.kind !== 'decode' || P[p].field === u.field),
    );
    const rivals = freeQ().filter(
      (r) => r !== q && r > qa && r < qz && Q[r].kind === u.kind && Q[r].hunk === u.hunk,
    );
    if (
      candidates.length === 1 &&
      !rivals.some((r) => !Q[r].outcome || outcomeKey(Q[r].outcome) === outcomeKey(u.outcome))
    )
      link(candidates[0], q);
  }
  // Same kind and outcome, reading the same names, nearest first.
  for (const q of freeQ()) {
    const u = Q[q];
    if (u.text === null) continue;
    let best: number | undefined;
    let score = 0.34;
    for (const p of freeP()) {
      const v = P[p];
      if (v.kind !== u.kind || v.text === null) continue;
      if (u.kind === 'check' && u.outcome && v.outcome && outcomeKey(u.outcome) !== outcomeKey(v.outcome))
        continue;
      const s = nameOverlap(u.text, v.text);
      if (s >= score) {
        best = p;
        score = s;
      }
    }
    if (best !== undefined) link(best, q);
  }

  // Which pairs moved: those that left their hunk (context does not cross hunks), then those
  // outside a longest run the rest keeps in order.
  const paired = [...pairOfP.entries()].sort((x, y) => x[1] - y[1]);
  const moved = new Set<number>();
  for (const [p, q] of paired) if (P[p].hunk !== Q[q].hunk) moved.add(p);
  const stay = paired.filter(([p]) => !moved.has(p));
  const inOrder = lisIndices(stay.map(([p]) => p));
  stay.forEach(([p], k) => {
    if (!inOrder.has(k)) moved.add(p);
  });
  const nodeKey = (p: number) => (onBase[p] ? b.key(onBase[p]!.id) : unitText(P[p]));
  const movedPast = (p: number): string[] => {
    const q = pairOfP.get(p)!;
    return paired
      .filter(([p2, q2]) => p2 !== p && ((p2 < p && q2 > q) || (p2 > p && q2 < q)) && P[p2].kind === 'check')
      .map(([p2]) => nodeKey(p2));
  };

  // Ids in the derived version for paired post units (in order, so anchors exist).
  for (const [p, q] of pairOfP) {
    const n = onBase[p];
    if (n) b.postId.set(q, n.kind === 'case' ? `${n.branch}#${n.index}` : n.id);
  }
  for (const q of freeQ()) b.markPending(q);
  for (const [p, q] of paired) if (moved.has(p)) b.markPending(q);
  for (const [p] of paired) if (moved.has(p) && onBase[p]) b.noteRemoved(onBase[p]!.id);
  P.forEach((_, p) => {
    if (!pairOfP.has(p) && onBase[p]) b.noteRemoved(onBase[p]!.id);
  });

  const where = `${fn} (${file})`;
  const notModelled = (u: Unit, why: string) => `not modelled: ${unitText(u)} in ${where}: ${why}`;

  // Removed.
  P.forEach((u, p) => {
    if (pairOfP.has(p)) return;
    const n = onBase[p];
    if (!n) {
      if (u.touched)
        b.change({
          pre: [p],
          post: [],
          target: { kind: 'not-modelled', reason: `no node of ${baseline.id} matches it` },
          key: `not modelled: ${fn} in ${file}`,
          change: 'not-modelled',
          before: unitText(u),
          message: notModelled(u, `removed, and no node of ${baseline.id} matches it`),
          edits: [],
        });
      return;
    }
    if (u.kind === 'case') {
      b.change({
        pre: [p],
        post: [],
        target: { kind: 'not-modelled', reason: 'a branch case removed' },
        key: `not modelled: ${fn} in ${file}`,
        change: 'not-modelled',
        before: unitText(u),
        message: notModelled(u, `the case ${b.key(n.id)} is removed; the model keeps its cases`),
        edits: [],
      });
      return;
    }
    b.remove(n.id);
    b.change({
      pre: [p],
      post: [],
      target: { kind: 'node', instruction, id: n.id },
      key: b.key(n.id),
      change: 'removed',
      before: unitText(u),
      message: `${b.key(n.id)} removed: ${unitText(u)}${u.kind === 'check' ? ` (${outcomeText(u.outcome)})` : ''}`,
      edits: [{ op: 'remove-node', instruction, id: n.id }],
    });
  });

  const containerAdded = (q: number): boolean => {
    for (let c = Q[q].container, n = 0; c >= 0 && n < 64; c = Q[c].container, n++)
      if (!pairOfQ.has(c)) return true;
    return false;
  };
  /** Nodes to insert, done in post-image order once every removal is known. */
  const insertions: { q: number; node: BodyNode; edits: ZpciEdit[]; failed?: () => void }[] = [];

  // Paired: unchanged, reformatted, rewritten, moved.
  for (const [p, q] of [...pairOfP.entries()].sort((x, y) => x[1] - y[1])) {
    const u = P[p];
    const v = Q[q];
    const n = onBase[p];
    const isMoved = moved.has(p);
    const sameForm = u.key === v.key;
    if (sameForm && !isMoved) {
      if (u.touched || v.touched)
        b.change({
          pre: [p],
          post: [q],
          target: n ? nodeTarget(instruction, n) : { kind: 'none', reason: 'same expression form' },
          key: n ? b.key(n.id) : `${fn}: ${unitText(v)}`,
          change: 'reformatted',
          before: unitText(u),
          after: unitText(v),
          message: `${n ? b.key(n.id) : unitText(v)}: rewritten with the same expression form (no behaviour change)`,
          edits: [],
        });
      continue;
    }
    if (!n && v.kind !== 'decode') {
      b.change({
        pre: [p],
        post: [q],
        target: { kind: 'not-modelled', reason: `no node of ${baseline.id} matches the pre-image's text` },
        key: `not modelled: ${fn} in ${file}`,
        change: 'not-modelled',
        before: unitText(u),
        after: unitText(v),
        message: notModelled(v, `changed from ${unitText(u)}, and no node of ${baseline.id} matches it`),
        edits: [],
      });
      continue;
    }
    if (v.kind === 'decode') {
      const e: ZpciEdit = { op: 'set-decode', instruction, field: v.field!, text: v.text ?? '' };
      b.change({
        pre: [p],
        post: [q],
        target: { kind: 'decode', instruction, field: v.field! },
        key: `${instruction}/decode-${v.field}`,
        change: 'modified',
        before: unitText(u),
        after: unitText(v),
        message: `${instruction}: ${v.field} decoded as \`${v.text}\` (was \`${u.text}\`)`,
        edits: [e],
      });
      b.replacesDecode(e);
      continue;
    }
    const known = n!;
    if (v.kind === 'case') {
      const e: ZpciEdit = {
        op: 'set-case',
        instruction,
        branch: known.branch!,
        index: known.index!,
        when: v.text,
      };
      b.change({
        pre: [p],
        post: [q],
        target: { kind: 'case', instruction, branch: known.branch!, index: known.index! },
        key: b.key(`${known.branch}#${known.index}`),
        change: 'modified',
        before: unitText(u),
        after: unitText(v),
        message: `${instruction}/${known.branch} case "${known.label}": ${unitText(u)} -> ${unitText(v)}`,
        edits: [e],
      });
      b.replacesCase(e);
      continue;
    }
    const node = b.node(v, known.id, known);
    if (!node) continue;
    const kind: ZpciChangeKind = isMoved || containerAdded(q) ? 'moved' : 'modified';
    const edits: ZpciEdit[] = [];
    if (containerAdded(q)) {
      // Moved into a loop or case the patch adds: the container's node carries it.
      b.remove(known.id);
      edits.push({ op: 'remove-node', instruction, id: known.id });
    } else if (isMoved) {
      b.remove(known.id);
      edits.push({ op: 'remove-node', instruction, id: known.id });
      insertions.push({ q, node, edits });
    } else {
      b.replace(known.id, node);
      edits.push({ op: 'replace-node', instruction, id: known.id, node });
    }
    const past = isMoved ? movedPast(p) : [];
    const outcomes =
      v.kind === 'check' && outcomeKey(u.outcome) !== outcomeKey(v.outcome)
        ? `; outcome ${outcomeText(u.outcome)} -> ${outcomeText(v.outcome)}`
        : '';
    b.change({
      pre: [p],
      post: [q],
      target: { kind: 'node', instruction, id: known.id },
      key: b.key(known.id),
      change: kind,
      before: unitText(u),
      after: unitText(v),
      message:
        `${b.key(known.id)}: ${unitText(u)} -> ${unitText(v)}${outcomes}` +
        (past.length ? `; now on the other side of ${past.join(', ')}` : ''),
      edits,
      ...(past.length ? { movedPast: past } : {}),
    });
  }

  // Added (in post order, so a later addition can sit next to an earlier one).
  for (const q of freeQ()) {
    const v = Q[q];
    if (containerAdded(q)) continue; // part of an added loop or case, built with it
    if (v.kind === 'case' || v.kind === 'decode') {
      b.change({
        pre: [],
        post: [q],
        target: { kind: 'not-modelled', reason: v.kind === 'case' ? 'a new branch case' : 'a new decode' },
        key: `not modelled: ${fn} in ${file}`,
        change: 'not-modelled',
        after: unitText(v),
        message: notModelled(
          v,
          v.kind === 'case' ? 'a branch case the model does not have' : 'a decode the model does not have',
        ),
        edits: [],
      });
      continue;
    }
    const id = b.freshId(v);
    b.postId.set(q, id);
    const body = v.kind === 'loop' ? buildBody(b, q) : [];
    const node = b.node(v, id, undefined, body);
    if (!node) {
      b.change({
        pre: [],
        post: [q],
        target: { kind: 'not-modelled', reason: 'no model node for it' },
        key: `not modelled: ${fn} in ${file}`,
        change: 'not-modelled',
        after: unitText(v),
        message: notModelled(v, 'the model has no node for this statement'),
        edits: [],
      });
      continue;
    }
    const edits: ZpciEdit[] = [];
    const change: Omit<ZpciChange, 'place'> & { pre: number[]; post: number[] } = {
      pre: [],
      post: [q],
      target: { kind: 'node', instruction, id },
      key: b.key(id),
      change: 'added',
      after: unitText(v),
      message: `${b.key(id)} added: ${unitText(v)}${v.kind === 'check' ? ` (${outcomeText(v.outcome)})` : ''}`,
      edits,
    };
    b.change(change);
    const made = b.changes[b.changes.length - 1];
    insertions.push({
      q,
      node,
      edits,
      failed: () => {
        made.target = { kind: 'not-modelled', reason: 'no place for it in the body' };
        made.key = `not modelled: ${fn} in ${file}`;
        made.change = 'not-modelled';
        made.message = notModelled(v, 'the reader found no neighbour to place it by');
      },
    });
  }
  for (const ins of insertions.sort((x, y) => x.q - y.q)) {
    const e = b.insert(ins.q, ins.node);
    if (e) ins.edits.push(e);
    else ins.failed?.();
  }

  const units = P.filter((u) => u.kind !== 'decode').length;
  const matched = onBase.filter((n, i) => n && n.form === P[i].form).length;
  return { changes: b.changes, edits: b.edits(), drift: b.drift, driftEdits: b.driftEdits, matched, units };
}

function nodeTarget(instruction: ZpciInstruction, n: KnownNode): ZpciChange['target'] {
  return n.kind === 'case'
    ? { kind: 'case', instruction, branch: n.branch!, index: n.index! }
    : { kind: 'node', instruction, id: n.id };
}

/** The nodes of an added loop's body, from the post units inside it (paired ones are moved in). */
function buildBody(b: Builder, loop: number): BodyNode[] {
  const Q = b.input.post.units;
  const out: BodyNode[] = [];
  Q.forEach((u, i) => {
    if (u.container !== loop) return;
    const id = b.postId.get(i) ?? b.freshId(u);
    b.postId.set(i, id);
    const node = b.node(
      u,
      id,
      b.nodes.find((n) => n.id === id),
      u.kind === 'loop' ? buildBody(b, i) : [],
    );
    if (node) out.push(node);
  });
  return out;
}
