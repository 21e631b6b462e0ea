/**
 * The model's nodes as the reader compares them: every node of a version's instruction bodies
 * (checks, branch cases, accesses, loops), its plug checks, CLP checks and decode fields, each
 * with the expression form of its C text. Over all built-in versions this is the dictionary that
 * names a check a patch writes (`pcias > ZPCI_IO_BAR_MAX` is pcistb/pcias-invalid, as v2.12 has
 * it), whatever version the patch applies to.
 */
import {
  ZPCI_INSTRUCTIONS,
  ZPCI_VERSION_SPECS,
  type BodyNode,
  type CheckOutcome,
  type ZpciInstruction,
  type ZpciVersionSpec,
} from '../../model/zpci';
import { exprForm } from './cForm';
import { outcomeKey } from './outcome';

export type KnownKind = 'check' | 'case' | 'access' | 'loop';

export interface KnownNode {
  instruction: ZpciInstruction;
  id: string;
  kind: KnownKind;
  label: string;
  /** The C text: a check's condition, a case's test (null: default), an access's statement, a loop's test. */
  text: string | null;
  form: string;
  outcome?: CheckOutcome;
  guard?: string;
  /** Branch cases: the branch id and the case's index. */
  branch?: string;
  index?: number;
  /** Loops: the step. Accesses: the node itself (for effect, buffer). */
  node: BodyNode;
  /** Path of container ids ("pcias#0/", "range-loop/") the node sits in. */
  container: string;
}

/** An access statement without a leading `x = `, and the x. */
export function splitAssignment(statement: string): { assign?: string; call: string } {
  const m = /^\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/s.exec(statement);
  return m ? { assign: m[1], call: m[2] } : { call: statement };
}

/** An access's form: the call, with `result=` when its MemTxResult is kept (the model's `assign`). */
export function accessForm(call: string, assign: string | undefined): string {
  return `${assign === 'result' ? 'result=' : ''}${exprForm(splitAssignment(call).call)}`;
}

export function caseForm(when: string | null): string {
  return when === null ? 'default' : exprForm(when);
}

export function checkKey(form: string, outcome: unknown, guard: string | undefined): string {
  return `${form}|${outcomeKey(outcome as never)}|${guard ? exprForm(guard) : ''}`;
}

function walk(
  nodes: readonly BodyNode[],
  instruction: ZpciInstruction,
  container: string,
  out: KnownNode[],
  depth: number,
): void {
  if (depth > 16) return;
  for (const n of nodes) {
    switch (n.kind) {
      case 'check':
        out.push({
          instruction,
          id: n.id,
          kind: 'check',
          label: n.label,
          text: n.condition,
          form: exprForm(n.condition),
          outcome: n.outcome,
          ...(n.guard ? { guard: n.guard } : {}),
          node: n,
          container,
        });
        break;
      case 'access':
        out.push({
          instruction,
          id: n.id,
          kind: 'access',
          label: n.label,
          text: n.statement,
          form: accessForm(n.statement, n.assign ?? splitAssignment(n.statement).assign),
          node: n,
          container,
        });
        break;
      case 'loop':
        out.push({
          instruction,
          id: n.id,
          kind: 'loop',
          label: n.label,
          text: n.test,
          form: `${exprForm(n.test)}|${n.step}`,
          node: n,
          container,
        });
        walk(n.body, instruction, `${container}${n.id}/`, out, depth + 1);
        break;
      case 'branch':
        n.cases.forEach((c, index) => {
          out.push({
            instruction,
            id: `${n.id}#${index}`,
            kind: 'case',
            label: c.label,
            text: c.when,
            form: caseForm(c.when),
            branch: n.id,
            index,
            node: n,
            container,
          });
          walk(c.body, instruction, `${container}${n.id}#${index}/`, out, depth + 1);
        });
        break;
    }
  }
}

const bySpec = new WeakMap<ZpciVersionSpec, Map<ZpciInstruction, KnownNode[]>>();

/** Every node of one version's instruction body, in QEMU's order. */
export function knownNodes(spec: ZpciVersionSpec, instruction: ZpciInstruction): KnownNode[] {
  let m = bySpec.get(spec);
  if (!m) {
    m = new Map();
    for (const i of ZPCI_INSTRUCTIONS) {
      const out: KnownNode[] = [];
      walk(spec.instructions[i], i, '', out, 0);
      m.set(i, out);
    }
    bySpec.set(spec, m);
  }
  return m.get(instruction) ?? [];
}

/** The first node of any built-in version (newest first) with this form: the name the models give it. */
export function nameFromVersions(
  instruction: ZpciInstruction,
  kind: KnownKind,
  form: string,
  outcome?: unknown,
): KnownNode | undefined {
  for (let i = ZPCI_VERSION_SPECS.length - 1; i >= 0; i--) {
    const hit = knownNodes(ZPCI_VERSION_SPECS[i], instruction).find(
      (n) =>
        n.kind === kind &&
        n.form === form &&
        (outcome === undefined || outcomeKey(n.outcome) === outcomeKey(outcome as never)),
    );
    if (hit) return hit;
  }
  return undefined;
}

/** The subjects the versions' branch cases test (`pcias`), for cases of a switch whose head is not in a hunk. */
export function caseSubjects(instruction: ZpciInstruction): string[] {
  const out = new Set<string>();
  for (const spec of ZPCI_VERSION_SPECS)
    for (const n of knownNodes(spec, instruction))
      if (n.kind === 'case' && n.text) {
        const m = /^\s*([A-Za-z_][\w>.-]*)\s*(==|<|>=|<=|>)/.exec(n.text);
        if (m) out.add(m[1]);
      }
  return [...out];
}
