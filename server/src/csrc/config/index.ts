/**
 * The C-reading step between a patch and the config-space model (issue 11): given the image
 * lines of a patch's hunks (each side as lines with a changed mark, with the function and file),
 * what changed in vfio-pci's config-space handling, as model slots with their C text before and
 * after, "no behaviour change" with the reason, or "not modelled: <function> in <file>"; the
 * baseline variant the pre-images match; the kernel line the mail names; and the post-image
 * variant the changes give. Call `await initCParser()` (csrc/treeSitter.ts) once first.
 *
 *   types.ts          image lines in, facts and changes out
 *   side.ts           one side parsed (csrc/fragment.ts), node helpers
 *   values.ts         values compared with names replaced and macros expanded, probed if need be
 *   context.ts        what a recogniser gets; recognisers.ts the table of them
 *   permTables.ts     p_set* rows, alloc/readfn/writefn, cap_perms bindings, length tables
 *   layoutDecisions.ts vfio_cap_init, vfio_ecap_init, vfio_config_init, vfio_config_do_rw
 *   lengths.ts        vfio_cap_len / vfio_ext_cap_len / vfio_msi_cap_len against the model's lengths
 *   writeDecisions.ts the capability write functions, vfio_bar_fixup, the PM helpers
 *   otherDecisions.ts the Command-register decisions, drivers/pci/ats.c VF rules
 *   changes.ts        facts -> changes; residue.ts the changed lines nothing placed
 *   read.ts           readConfigPatch; baseline.ts detectConfigBaseline; kernelLine.ts the mail's line
 *   apply.ts          applyConfigChanges (model/vfio/config/derive.ts does the editing)
 */
export type * from './types';
export { readConfigPatch, type ConfigPatchReading } from './read';
export { detectConfigBaseline, variantVersion, type ConfigBaseline, type BaselineEvidence } from './baseline';
export { kernelLineFromMail, type KernelLineReading } from './kernelLine';
export { applyConfigChanges, type AppliedVariant } from './apply';
export { sameValue, type Sameness } from './values';
export { RECOGNISERS, UNMODELLED } from './recognisers';
