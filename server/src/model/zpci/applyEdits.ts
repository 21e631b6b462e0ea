/**
 * A version (or host kernel) from a patch: the edits a reader of QEMU's or the kernel's C
 * (csrc/zpci) derives from a hunk's pre- and post-image, applied to a baseline through
 * replaceNode and plain field changes. Pure data in, data out; an edit that does not fit the
 * spec (no node of that id, no such case) is reported as a problem, never thrown.
 */
import { MAX_BODY_DEPTH } from './compile';
import { replaceNode } from './edit';
import type { HostKernelSpec, MmioForm } from './host';
import type {
  BodyNode,
  BranchNode,
  CheckNode,
  PlugCheck,
  ZpciInstruction,
  ZpciVersionSpec,
  ZpciVersionTraits,
} from './types';

/** Where a new node goes: next to a node, first in a branch case or a loop, or first in the body. */
export type NodePosition =
  | { after: string }
  | { before: string }
  | { caseStart: { branch: string; index: number } }
  | { loopStart: string }
  | { bodyStart: true };

type TraitEdit = {
  [K in keyof ZpciVersionTraits]-?: { op: 'set-trait'; trait: K; value: ZpciVersionTraits[K] };
}[keyof ZpciVersionTraits];

export type ZpciEdit =
  | { op: 'replace-node'; instruction: ZpciInstruction; id: string; node: BodyNode }
  | { op: 'remove-node'; instruction: ZpciInstruction; id: string }
  | { op: 'insert-node'; instruction: ZpciInstruction; node: BodyNode; at: NodePosition }
  /** A branch case's test (`null`: the default). */
  | { op: 'set-case'; instruction: ZpciInstruction; branch: string; index: number; when: string | null }
  | { op: 'set-decode'; instruction: ZpciInstruction; field: 'len' | 'pcias'; text: string }
  /** Replaces the plug check `id` (inserted after `after`, or first, when absent); `check: null` removes it. */
  | { op: 'set-plug-check'; id: string; check: PlugCheck | null; after?: string }
  | { op: 'set-interpretation'; text: string | null }
  /** Replaces the CLP check `id` of a request (inserted after `after`, or last, when absent); null removes it. */
  | {
      op: 'set-clp-check';
      request: 'enable' | 'disable';
      id: string;
      check: CheckNode | null;
      after?: string;
    }
  | TraitEdit;

type HostFlag =
  'zdevCaps' | 'imaxstbl' | 'kvmInterpretation' | 'relaxedFlag' | 'zpciIoRegion' | 'ismVariantDriver';
type MmioEdit = { [K in keyof MmioForm]-?: { op: 'set-mmio'; field: K; value: MmioForm[K] } }[keyof MmioForm];

export type HostEdit = { op: 'set-host'; field: HostFlag; value: boolean } | MmioEdit;

export interface Applied<S> {
  spec: S;
  /** Edits that did not fit, each saying why (the spec is left as it was for them). */
  problems: string[];
}

function containerEdit(
  nodes: readonly BodyNode[],
  match: (n: BodyNode) => BodyNode | null,
  depth: number,
  hit: { found: boolean },
): BodyNode[] {
  if (depth > MAX_BODY_DEPTH) return [...nodes];
  return nodes.map((n) => {
    if (hit.found) return n;
    const changed = match(n);
    if (changed) {
      hit.found = true;
      return changed;
    }
    if (n.kind === 'loop') return { ...n, body: containerEdit(n.body, match, depth + 1, hit) };
    if (n.kind === 'branch')
      return {
        ...n,
        cases: n.cases.map((c) => ({ ...c, body: containerEdit(c.body, match, depth + 1, hit) })),
      };
    return n;
  });
}

function withBody(spec: ZpciVersionSpec, instruction: ZpciInstruction, body: BodyNode[]): ZpciVersionSpec {
  return { ...spec, instructions: { ...spec.instructions, [instruction]: body } };
}

function insertNode(
  spec: ZpciVersionSpec,
  instruction: ZpciInstruction,
  node: BodyNode,
  at: NodePosition,
): ZpciVersionSpec {
  const keep = { id: spec.id, label: spec.label, description: spec.description };
  if ('after' in at) return replaceNode(spec, instruction, at.after, (n) => [n, node], keep);
  if ('before' in at) return replaceNode(spec, instruction, at.before, (n) => [node, n], keep);
  if ('bodyStart' in at) return withBody(spec, instruction, [node, ...spec.instructions[instruction]]);
  const hit = { found: false };
  const body = containerEdit(
    spec.instructions[instruction],
    (n) => {
      if ('loopStart' in at && n.kind === 'loop' && n.id === at.loopStart)
        return { ...n, body: [node, ...n.body] };
      if ('caseStart' in at && n.kind === 'branch' && n.id === at.caseStart.branch) {
        const i = at.caseStart.index;
        if (!n.cases[i]) return null;
        return { ...n, cases: n.cases.map((c, j) => (j === i ? { ...c, body: [node, ...c.body] } : c)) };
      }
      return null;
    },
    0,
    hit,
  );
  if (!hit.found)
    throw new Error(`${spec.id} has no ${'loopStart' in at ? 'loop' : 'branch case'} to insert into`);
  return withBody(spec, instruction, body);
}

function setCase(spec: ZpciVersionSpec, e: Extract<ZpciEdit, { op: 'set-case' }>): ZpciVersionSpec {
  const hit = { found: false };
  const body = containerEdit(
    spec.instructions[e.instruction],
    (n) => {
      if (n.kind !== 'branch' || n.id !== e.branch || !n.cases[e.index]) return null;
      const cases = n.cases.map((c, j) => (j === e.index ? { ...c, when: e.when } : c));
      return { ...n, cases } as BranchNode;
    },
    0,
    hit,
  );
  if (!hit.found)
    throw new Error(`${spec.id} has no case ${e.index} of branch "${e.branch}" in ${e.instruction}`);
  return withBody(spec, e.instruction, body);
}

function setListed<T extends { id: string }>(
  list: readonly T[],
  id: string,
  item: T | null,
  after?: string,
  atEnd = false,
): T[] {
  const i = list.findIndex((c) => c.id === id);
  if (i >= 0) return item ? list.map((c, j) => (j === i ? item : c)) : list.filter((_, j) => j !== i);
  if (!item) throw new Error(`no check "${id}" to remove`);
  const a = after === undefined ? -1 : list.findIndex((c) => c.id === after);
  if (after !== undefined && a < 0) throw new Error(`no check "${after}" to insert "${id}" after`);
  const at = after === undefined ? (atEnd ? list.length : 0) : a + 1;
  return [...list.slice(0, at), item, ...list.slice(at)];
}

function applyOne(spec: ZpciVersionSpec, e: ZpciEdit): ZpciVersionSpec {
  const keep = { id: spec.id, label: spec.label, description: spec.description };
  switch (e.op) {
    case 'replace-node':
      return replaceNode(spec, e.instruction, e.id, () => [e.node], keep);
    case 'remove-node':
      return replaceNode(spec, e.instruction, e.id, () => [], keep);
    case 'insert-node':
      return insertNode(spec, e.instruction, e.node, e.at);
    case 'set-case':
      return setCase(spec, e);
    case 'set-decode':
      return {
        ...spec,
        decode: { ...spec.decode, [e.instruction]: { ...spec.decode[e.instruction], [e.field]: e.text } },
      };
    case 'set-plug-check':
      return { ...spec, plug: { ...spec.plug, checks: setListed(spec.plug.checks, e.id, e.check, e.after) } };
    case 'set-interpretation':
      return { ...spec, plug: { ...spec.plug, interpretation: e.text } };
    case 'set-clp-check':
      return {
        ...spec,
        clp: { ...spec.clp, [e.request]: setListed(spec.clp[e.request], e.id, e.check, e.after, true) },
      };
    case 'set-trait':
      return { ...spec, traits: { ...spec.traits, [e.trait]: e.value } };
  }
}

/** Describes an edit in a line ("pcistb: replace node length"), for problems and reports. */
export function describeZpciEdit(e: ZpciEdit): string {
  switch (e.op) {
    case 'replace-node':
    case 'remove-node':
      return `${e.instruction}: ${e.op} ${e.id}`;
    case 'insert-node':
      return `${e.instruction}: insert ${e.node.id} at ${JSON.stringify(e.at)}`;
    case 'set-case':
      return `${e.instruction}: case ${e.index} of ${e.branch} = ${e.when ?? 'default'}`;
    case 'set-decode':
      return `${e.instruction}: ${e.field} = ${e.text}`;
    case 'set-plug-check':
      return `plug: ${e.check ? 'set' : 'remove'} ${e.id}`;
    case 'set-interpretation':
      return `plug: interpretation = ${e.text ?? 'none'}`;
    case 'set-clp-check':
      return `clp ${e.request}: ${e.check ? 'set' : 'remove'} ${e.id}`;
    case 'set-trait':
      return `trait ${e.trait} = ${String(e.value)}`;
  }
}

/**
 * The spec the edits make of `base`, in order, named by `change`. An edit that does not fit
 * leaves the spec as it was and says so in `problems`.
 */
export function applyZpciEdits(
  base: ZpciVersionSpec,
  edits: readonly ZpciEdit[],
  change: { id: string; label: string; description?: string },
): Applied<ZpciVersionSpec> {
  let spec: ZpciVersionSpec = {
    ...base,
    id: change.id,
    label: change.label,
    description: change.description ?? `${base.description} (patched)`,
  };
  const problems: string[] = [];
  for (const e of edits) {
    try {
      spec = applyOne(spec, e);
    } catch (err) {
      problems.push(`${describeZpciEdit(e)}: ${(err as Error).message}`);
    }
  }
  return { spec, problems };
}

/** A host kernel from a patch (what vfio-pci reports, s390_pci_mmio_* form), named by `change`. */
export function applyHostEdits(
  base: HostKernelSpec,
  edits: readonly HostEdit[],
  change: { id: string; label: string; description?: string },
): Applied<HostKernelSpec> {
  let spec: HostKernelSpec = {
    ...base,
    id: change.id,
    label: change.label,
    description: change.description ?? `${base.description} (patched)`,
  };
  for (const e of edits) {
    if (e.op === 'set-host') spec = { ...spec, [e.field]: e.value };
    else spec = { ...spec, mmio: { ...spec.mmio, [e.field]: e.value } };
  }
  return { spec, problems: [] };
}
