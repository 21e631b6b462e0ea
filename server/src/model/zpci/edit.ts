/**
 * Versions from patches: every node of a version is keyed by (instruction, id), which is how a
 * recogniser of changed checks in s390-pci-inst.c hunks finds the node a hunk touches
 * (checkIndex lists them with their C text), and replaceNode derives the post-image's version.
 */
import { MAX_BODY_DEPTH } from './compile';
import type { BodyNode, CheckOutcome, ZpciInstruction, ZpciVersionSpec } from './types';
import { ZPCI_INSTRUCTIONS } from './types';

export interface CheckIndexEntry {
  instruction: ZpciInstruction;
  id: string;
  /** Where it sits: "pcilg/pcias=BAR (PCIAS 0-5)/bar-length". */
  path: string;
  kind: BodyNode['kind'];
  label: string;
  /** The C text: a check's condition, a branch case's test, an access's statement, a loop's test. */
  text: string;
  guard?: string;
  outcome?: CheckOutcome;
}

function walk(
  nodes: readonly BodyNode[],
  instruction: ZpciInstruction,
  prefix: string,
  depth: number,
  out: CheckIndexEntry[],
): void {
  if (depth > MAX_BODY_DEPTH) return;
  for (const n of nodes) {
    const path = `${prefix}/${n.id}`;
    switch (n.kind) {
      case 'check':
        out.push({
          instruction,
          id: n.id,
          path,
          kind: n.kind,
          label: n.label,
          text: n.condition,
          outcome: n.outcome,
          ...(n.guard ? { guard: n.guard } : {}),
        });
        break;
      case 'access':
        out.push({ instruction, id: n.id, path, kind: n.kind, label: n.label, text: n.statement });
        break;
      case 'loop':
        out.push({ instruction, id: n.id, path, kind: n.kind, label: n.label, text: n.test });
        walk(n.body, instruction, path, depth + 1, out);
        break;
      case 'branch':
        for (const c of n.cases) {
          out.push({
            instruction,
            id: n.id,
            path: `${path}=${c.label}`,
            kind: n.kind,
            label: c.label,
            text: c.when ?? 'default',
          });
          walk(c.body, instruction, `${path}=${c.label}`, depth + 1, out);
        }
        break;
    }
  }
}

/** Every node of every instruction body, in QEMU's order, with its key and C text. */
export function checkIndex(spec: ZpciVersionSpec): CheckIndexEntry[] {
  const out: CheckIndexEntry[] = [];
  for (const instruction of ZPCI_INSTRUCTIONS)
    walk(spec.instructions[instruction], instruction, instruction, 0, out);
  return out;
}

function replaceIn(
  nodes: readonly BodyNode[],
  id: string,
  f: (n: BodyNode) => BodyNode[],
  depth: number,
  hit: { found: boolean },
): BodyNode[] {
  if (depth > MAX_BODY_DEPTH) return [...nodes];
  return nodes.flatMap((n) => {
    if (n.id === id && n.kind !== 'branch' && !hit.found) {
      hit.found = true;
      return f(n);
    }
    if (n.kind === 'loop') return [{ ...n, body: replaceIn(n.body, id, f, depth + 1, hit) }];
    if (n.kind === 'branch') {
      if (n.id === id && !hit.found) {
        hit.found = true;
        return f(n);
      }
      return [
        { ...n, cases: n.cases.map((c) => ({ ...c, body: replaceIn(c.body, id, f, depth + 1, hit) })) },
      ];
    }
    return [n];
  });
}

/**
 * A new spec where the node `id` of `instruction` is replaced by what `f` returns (none: removed,
 * several: inserted around it). The caller gives the new spec its id and label.
 * Throws when the instruction has no node of that id.
 */
export function replaceNode(
  spec: ZpciVersionSpec,
  instruction: ZpciInstruction,
  id: string,
  f: (node: BodyNode) => BodyNode[],
  change: { id: string; label: string; description?: string },
): ZpciVersionSpec {
  const hit = { found: false };
  const body = replaceIn(spec.instructions[instruction], id, f, 0, hit);
  if (!hit.found) throw new Error(`${spec.id} has no node "${id}" in ${instruction}`);
  return {
    ...spec,
    ...change,
    description: change.description ?? `${spec.description} (${instruction}/${id} changed)`,
    instructions: { ...spec.instructions, [instruction]: body },
  };
}
