/**
 * Aligning an instruction's units: the pre-images' units placed on the baseline's nodes (their
 * expression form and outcome; the name the versions give that form; the one node of that kind
 * between two placed neighbours; the names they read), then the post-images' units paired with
 * them (longest common subsequence of their keys; the same key elsewhere; the same node by the
 * versions' name; the one free unit between aligned neighbours; the names read), and which
 * pairs moved (left their hunk, or fell out of the longest run kept in order).
 */
import type { ZpciInstruction } from '../../model/zpci';
import { exprForm, nameOverlap } from './cForm';
import { type KnownNode, nameFromVersions } from './known';
import { outcomeKey } from './outcome';
import type { Unit } from './units';

/** Sequences longer than this are aligned greedily (the LCS table would grow quadratically). */
const MAX_LCS_CELLS = 250_000;

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
export function lisIndices(seq: readonly number[]): Set<number> {
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
export const knownKind = (u: Unit) => (u.kind === 'decode' ? null : u.kind);

/** Places pre-image units on baseline nodes: exact form, then the versions' name, then the names read. */
export function placePre(
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

export interface Pairing {
  pairOfP: Map<number, number>;
  pairOfQ: Map<number, number>;
  /** Pre units whose pair moved. */
  moved: Set<number>;
  /** Every pair [pre, post], in post order. */
  paired: [number, number][];
}

/** Pairs the post units with the pre units (see the head of this file). */
export function pairUnits(
  P: readonly Unit[],
  Q: readonly Unit[],
  onBase: readonly (KnownNode | undefined)[],
  instruction: ZpciInstruction,
): Pairing {
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
  return { pairOfP, pairOfQ, moved, paired };
}
