/** Running the config-space model in tests: compiled variants (tree-sitter-c), scripts, comparisons. */
import { initCParser } from '../../../../server/src/csrc/treeSitter';
import { parseCExpression } from '../../../../server/src/csrc/cexpr';
import { explorePair } from '../../../../server/src/model/core/explore';
import {
  CONFIG_VARIANTS,
  compileConfigVariant,
  configAlphabet,
  configDeviceKind,
  configSystem,
  parseConfigSteps,
  visibleConfigObservation,
  type CfgObservation,
  type CompiledVariant,
} from '../../../../server/src/model/vfio/config';

let compiled: CompiledVariant[] | undefined;

export async function ready(): Promise<void> {
  await initCParser();
  compiled ??= CONFIG_VARIANTS.map((v) => compileConfigVariant(v, parseCExpression));
}

export function variant(id: string): CompiledVariant {
  const v = compiled?.find((c) => c.spec.id === id);
  if (!v) throw new Error(`no variant ${id}`);
  return v;
}

export function kind(id: string) {
  const k = configDeviceKind(id);
  if (!k) throw new Error(`no kind ${id}`);
  return k;
}

/** The trace of the first branch (every unknown identifier 0). */
export function trace(kindId: string, variantId: string, script: string): CfgObservation[] {
  const k = kind(kindId);
  return configSystem(variant(variantId), k).run(parseConfigSteps(script, k))[0].trace;
}

/** Every branch of a script (unknown identifiers 0 first). */
export function branches(kindId: string, variantId: string, script: string) {
  const k = kind(kindId);
  return configSystem(variant(variantId), k).run(parseConfigSteps(script, k));
}

/** The last step's observation. */
export function last(kindId: string, variantId: string, script: string): CfgObservation {
  const t = trace(kindId, variantId, script);
  return t[t.length - 1];
}

export function compare(a: string, b: string, kindId: string, depth = 2) {
  const k = kind(kindId);
  return explorePair(configSystem(variant(a), k), configSystem(variant(b), k), {
    depth,
    alphabet: configAlphabet(k, compiled ?? []),
    observe: visibleConfigObservation,
  });
}
