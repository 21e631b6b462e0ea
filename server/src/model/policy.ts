/**
 * A kernel's logic ready to run: its PolicySpec with every C text parsed into Expr (by the parser
 * handed in: csrc/ uses tree-sitter-c), its traits completed and its config-space part compiled
 * (vfio/config/compilePart.ts). A PolicySpec built from a patch compiles exactly like a built-in
 * variant.
 */
import type { CreationPath, DecisionPoint, Expr, KernelTraits, PolicySpec } from './types';
import { DECISION_POINTS } from './types';
import { compileConfigPart, configContentKey, type CompiledConfig } from './vfio/config/compilePart';

export interface CompiledSetter {
  path: CreationPath;
  marker: string;
  condition: Expr | null;
  conditionText?: string;
}

export interface Policy {
  spec: PolicySpec;
  /** The policy's content (decisions, markers, constants, traits): the cache key. */
  key: string;
  decisions: Record<DecisionPoint, Expr | null>;
  setters: CompiledSetter[];
  traits: KernelTraits;
  constants: Record<string, number>;
  /** The config-space part, compiled. */
  config: CompiledConfig;
}

/** The log line of v5.9 and later (pci_info; the device name is the prefix). */
export const RESTORE_LOG_DEFAULT = 'vfio_bar_restore: reset recovery - restoring BARs';

/** Traits a spec does not state follow from its decisions (MMIO gating came with the predicate). */
function completeTraits(spec: PolicySpec): KernelTraits {
  const gated = spec.decisions['memory-enabled'] !== null;
  return {
    zapOnMemoryDisable: gated,
    mmapFaulting: gated,
    ioeventfdGated: gated,
    zapOnD3hot: /current_state/.test(spec.decisions['memory-enabled'] ?? ''),
    restoreLog: RESTORE_LOG_DEFAULT,
    ...spec.traits,
  };
}

/** A stable text of the spec's content (its id and label do not change behaviour). */
export function policyContentKey(spec: PolicySpec): string {
  const traits = completeTraits(spec);
  return JSON.stringify([
    DECISION_POINTS.map((d) => spec.decisions[d]),
    spec.markers.map((m) => [m.path, m.marker, m.condition ?? null]),
    Object.entries(spec.constants ?? {}).sort(),
    Object.entries(traits).sort(),
    configContentKey(spec.config),
  ]);
}

export function compilePolicy(spec: PolicySpec, parse: (c: string) => Expr): Policy {
  const decisions = {} as Record<DecisionPoint, Expr | null>;
  for (const point of DECISION_POINTS) {
    const text = spec.decisions[point];
    decisions[point] = text === null || text === undefined ? null : parse(text);
  }
  return {
    spec,
    key: policyContentKey(spec),
    decisions,
    setters: spec.markers.map((m) => ({
      path: m.path,
      marker: m.marker,
      condition: m.condition ? parse(m.condition) : null,
      conditionText: m.condition,
    })),
    traits: completeTraits(spec),
    constants: { ...(spec.constants ?? {}) },
    config: compileConfigPart(spec.config, parse, spec.id),
  };
}
