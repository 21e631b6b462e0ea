/**
 * One instruction's changes: the units of the pre-images placed on the baseline's nodes (by
 * their expression form and outcome; else by the name the versions give that form; else by the
 * names they read), the post-images' units aligned with the pre-images' (longest common
 * subsequence of their keys), the rest paired by node identity, and every pair, addition and
 * removal turned into model edits (replace, remove, insert next to its neighbours, move).
 */
import type { BodyNode, ZpciEdit, ZpciInstruction } from '../../model/zpci';
import { exprForm } from './cForm';
import { pairUnits, placePre } from './align';
import { Builder, type InstructionInput, type InstructionPlacement } from './bodyNodes';
import { type KnownNode, knownNodes } from './known';
import { outcomeKey, outcomeText } from './outcome';
import type { ZpciChange, ZpciChangeKind } from './types';
import { type Unit, unitText } from './units';

export type { InstructionInput, InstructionPlacement } from './bodyNodes';

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

  const { pairOfP, pairOfQ, moved, paired } = pairUnits(P, Q, onBase, instruction);
  const freeQ = () => Q.map((_, i) => i).filter((i) => !pairOfQ.has(i));
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
