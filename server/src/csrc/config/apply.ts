/**
 * The post-image variant: a baseline with the edits of a reading's model changes applied by the
 * model's deriveConfigVariant, each change tried alone first so one the model cannot compile
 * (a name it does not know) is refused with the reason at its place while the rest apply.
 */
import {
  ConfigCompileError,
  compileConfigVariant,
  deriveConfigVariant,
  type ConfigEdit,
  type ConfigVariantSpec,
  type DerivedVariantMeta,
  type Parse,
} from '../../model/vfio/config';
import { parseCExpression } from '../cexpr';
import type { ConfigChange } from './types';
import { constantOf } from './values';

export interface AppliedVariant {
  variant: ConfigVariantSpec;
  applied: ConfigChange[];
  refused: { change: ConfigChange; reason: string }[];
}

/** `alloc_perm_bits(perm, pci_cap_length[PCI_CAP_ID_PM])`: the size is that table entry of the variant. */
function resolveSizes(edits: ConfigEdit[], base: ConfigVariantSpec, all: ConfigEdit[]): ConfigEdit[] {
  return edits.map((e) => {
    if (e.kind !== 'perm-entry' || e.field !== 'alloc' || e.value === null) return e;
    const m = /^pci_(ext_)?cap_length\[(\w+)\]$/.exec(e.value.replace(/\s+/g, ''));
    if (!m) return e;
    const id = constantOf(m[2]);
    const space = m[1] ? 'ext' : 'std';
    const own = all.find((x) => x.kind === 'length' && x.space === space && x.id === id);
    const text =
      own?.kind === 'length'
        ? own.text
        : id === undefined
          ? undefined
          : (m[1] ? base.ecapLengths : base.capLengths)[id];
    return text ? { ...e, value: text } : e;
  });
}

export function applyConfigChanges(
  base: ConfigVariantSpec,
  changes: readonly ConfigChange[],
  meta: Partial<DerivedVariantMeta> = {},
  parse: Parse = parseCExpression,
): AppliedVariant {
  const full: DerivedVariantMeta = {
    id: meta.id ?? `${base.id}+patch`,
    label: meta.label ?? `${base.label} + patch`,
    description: meta.description ?? `${base.id} with the patch's config-space changes`,
    commit: meta.commit ?? 'patch',
  };
  const model = changes.filter((c) => c.kind === 'model');
  const all = model.flatMap((c) => c.edits);
  const applied: ConfigChange[] = [];
  const refused: AppliedVariant['refused'] = [];
  let accepted: ConfigEdit[] = [];
  for (const c of model) {
    const edits = resolveSizes(c.edits, base, all);
    try {
      compileConfigVariant(deriveConfigVariant(base, [...accepted, ...edits], full, parse), parse);
      accepted = [...accepted, ...edits];
      applied.push(c);
    } catch (e) {
      if (!(e instanceof ConfigCompileError)) throw e;
      refused.push({ change: c, reason: e.message });
    }
  }
  return { variant: deriveConfigVariant(base, accepted, full, parse), applied, refused };
}
