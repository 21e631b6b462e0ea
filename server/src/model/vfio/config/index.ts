/**
 * The config-space part of the one vfio-pci model (issue 11): the whole config space of a device
 * under a kernel, as bytes and tables. Pure TypeScript importing only model/; C text is parsed by
 * the parser handed to compilePolicy (csrc/ parseCExpression). The kernels (model/kernels.ts),
 * device kinds (model/devices.ts), steps (model/steps.ts), machine (model/machine.ts) and system
 * (model/system.ts) are the model's own; this folder holds what they take from the config space.
 *
 *   registers.ts  pci_regs.h facts: offsets, bits, capability IDs, lengths (PCI_CONFIG_CONSTANTS)
 *   types.ts      config spaces, config rows, typed observations
 *   spaces.ts     CONFIG_SPACES: each device kind's capability list with register values
 *   image.ts      a kind's hardware config space as bytes (values, stored/W1C bits, reset image)
 *   variants.ts   CONFIG_VARIANTS: v3.6 written out, every later row = previous + its commits
 *   compilePart.ts the config part of a kernel compiled (C text -> masks, lengths, Expr)
 *   compile.ts    compileConfigVariant: a config row as the one model's compiled kernel
 *   derive.ts     deriveConfigVariant: a row plus the edits a patch's C makes (csrc/config reads them)
 *   scope.ts      what names mean (locals, vdev/pdev facts, markers through model/scope.ts)
 *   run.ts        one step's working state: hardware, vconfig, decisions with explanations
 *   layout.ts     vfio_config_init, vfio_cap_init, vfio_ecap_init
 *   access.ts     vfio_pci_config_rw: chopping, dispatch, read/write functions, vfio_bar_fixup
 *   machine.ts    CONFIG_STEP_HANDLERS (rows of the one STEP_HANDLERS), the config part of open
 *   steps.ts      config offsets by register name, the register names of a kind
 *   system.ts     the config observation key, the config alphabet per kind
 *   format.ts     the one text form of a config observation
 *   describe.ts   a config difference in a reviewer's words (field fates, visibility, values)
 */
export * from './types';
export {
  PCI_CONFIG_CONSTANTS,
  PCI_CONFIG_MACROS,
  CAP_IDS,
  ECAP_IDS,
  capabilityName,
  hex,
  type ConfigMacro,
} from './registers';
export { CONFIG_SPACES } from './spaces';
export { CONFIG_VARIANTS, CONFIG_VARIANT_IDS, VARIANT_CHANGES, configVariant } from './variants';
export {
  compileConfigVariant,
  commandSpec,
  ConfigCompileError,
  type CompiledConfig,
  type CompiledVariant,
  type Parse,
} from './compile';
export {
  deriveConfigVariant,
  sameExpr,
  tableDefault,
  type ConfigEdit,
  type DerivedVariantMeta,
  type PermField,
} from './derive';
export { CLOSED_CFG_STATE, type CfgState } from './run';
export { CONFIG_STEP_HANDLERS } from './machine';
export { resolveOffset, registerNames, checkRegisterToken, ConfigStepError } from './steps';
export { configAlphabet, visibleConfigObservation, WRITE_VALUES } from './system';
export { formatConfigObservation, configObserved, configObservedText, type ConfigObserved } from './format';
