/**
 * A config row (vfio/config/variants.ts, or one derive.ts made from a patch) ready to run: its
 * PolicySpec (model/kernels.ts policyOfVariant: the Command-register part it names and its config
 * part) compiled by compilePolicy like every kernel of the one model.
 */
import { commandPartOf, policyOfVariant } from '../../kernels';
import { compilePolicy, type Policy } from '../../policy';
import type { PolicySpec } from '../../types';
import type { Parse } from './compilePart';
import type { ConfigVariantSpec } from './types';

export {
  ConfigCompileError,
  constantValue,
  compileConfigPart,
  type CompiledConfig,
  type CompiledPerms,
  type CompiledRow,
  type Parse,
} from './compilePart';

/** A compiled kernel of the one model (the name the config-space code and its tests use). */
export type CompiledVariant = Policy;

/** The Command-register part of a config row, with its overrides. */
export function commandSpec(spec: ConfigVariantSpec): Omit<PolicySpec, 'config'> {
  return commandPartOf(spec);
}

export function compileConfigVariant(spec: ConfigVariantSpec, parse: Parse): CompiledVariant {
  return compilePolicy(policyOfVariant(spec), parse);
}
