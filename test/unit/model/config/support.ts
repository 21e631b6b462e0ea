/** Running the one vfio-pci model's config space in tests: compiled kernels (tree-sitter-c), scripts, comparisons. */
import { initCParser } from '../../../../server/src/csrc/treeSitter';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import { explorePair } from '../../../../server/src/model/core/explore';
import {
  KERNEL_SPECS,
  compilePolicy,
  deviceKind,
  parseSteps,
  policySystem,
  visibleObservation,
  type Policy,
  type TraceEntry,
} from '../../../../server/src/model/index';
import { configAlphabet, type CfgObservation } from '../../../../server/src/model/vfio/config';

let compiled: Policy[] | undefined;

export async function ready(): Promise<void> {
  await initCParser();
  compiled ??= KERNEL_SPECS.map((v) => compilePolicy(v, parseCExpression));
}

export function variant(id: string): Policy {
  const v = compiled?.find((c) => c.spec.id === id);
  if (!v) throw new Error(`no variant ${id}`);
  return v;
}

export function kind(id: string) {
  return deviceKind(id);
}

/** The config part of a step's observation (a Command-register step, as `open`, has none: an empty one). */
export function configOf(e: TraceEntry): CfgObservation {
  return (
    e.config ?? {
      step: e.action,
      outcome: 'ok',
      hardware: [],
      dropped: [],
      effects: [],
      chunks: [],
      notes: [],
    }
  );
}

/** The trace of the first branch (every unknown identifier 0). */
export function trace(kindId: string, variantId: string, script: string): CfgObservation[] {
  return branches(kindId, variantId, script)[0].trace;
}

/** Every branch of a script (unknown identifiers 0 first). */
export function branches(kindId: string, variantId: string, script: string) {
  return policySystem(variant(variantId), kind(kindId))
    .run(parseSteps(script))
    .map((b) => ({ assumptions: b.assumptions, trace: b.trace.map(configOf) }));
}

/** The last step's observation. */
export function last(kindId: string, variantId: string, script: string): CfgObservation {
  const t = trace(kindId, variantId, script);
  return t[t.length - 1];
}

export function compare(a: string, b: string, kindId: string, depth = 2) {
  const k = kind(kindId);
  return explorePair(policySystem(variant(a), k), policySystem(variant(b), k), {
    depth,
    alphabet: configAlphabet(
      k,
      (compiled ?? []).map((c) => c.spec.config),
    ),
    observe: visibleObservation,
  });
}
