/**
 * The vfio-pci config-space model (issue 11, model part): the whole config space of one device
 * under one kernel variant, as bytes and tables. Pure TypeScript importing only model/; C text is
 * parsed by the parser handed to compileConfigVariant (csrc/ parseCExpression).
 *
 *   registers.ts  pci_regs.h facts: offsets, bits, capability IDs, lengths (PCI_CONFIG_CONSTANTS)
 *   types.ts      device kinds, variant rows, steps, typed observations
 *   devices.ts    CONFIG_DEVICE_KINDS: capability lists with register values and hardware behaviour
 *   image.ts      a kind's hardware config space as bytes (values, stored/W1C bits, reset image)
 *   variants.ts   CONFIG_VARIANTS: v3.6 written out, every later row = previous + its commits
 *   compile.ts    compileConfigVariant: C text -> masks, lengths, Expr; Command part by compilePolicy
 *   derive.ts     deriveConfigVariant: a variant plus the edits a patch's C makes (csrc/config reads them)
 *   scope.ts      what names mean (locals, vdev/pdev facts, markers through model/scope.ts)
 *   run.ts        one step's working state: hardware, vconfig, decisions with explanations
 *   layout.ts     vfio_config_init, vfio_cap_init, vfio_ecap_init
 *   access.ts     vfio_pci_config_rw: chopping, dispatch, read/write functions, vfio_bar_fixup
 *   machine.ts    CONFIG_STEP_HANDLERS, forking on unknown identifiers
 *   steps.ts      cfg-read/cfg-write/... parsing, offsets by register name
 *   system.ts     TransitionSystem per (variant, kind), alphabet per kind, observation keys
 *   format.ts     the one text form of an observation
 *
 * Joining the Command-register machine (model/machine.ts) — the next step, kept out of this
 * folder while the layers around the model are refactored:
 *   - DeviceState {virt, hw, power} becomes CfgState's vconfig/hw bytes at 0x04 and `power`;
 *     {barsValid} is derived (Run.barsNeedRestore), {open} stays, {mapped} joins CfgState.
 *   - KERNEL_SPECS stay the Command-register rows: a config variant names its `commandKernel`
 *     (and overrides, v3.6); decisions 'read-or-in', 'restore-condition', 'restore-skip',
 *     'init-force-memory' already run here inside vfio_basic_config_read/write and
 *     vfio_config_init; 'memory-enabled' and the traits serve the BAR-access steps.
 *   - STEP_HANDLERS: write-cmd V = cfg-write PCI_COMMAND 2|4 V; write-cmd-byte O V = cfg-write O 1 V;
 *     read-cmd = cfg-read PCI_COMMAND 2; d3hot/d0 = set-power; mmio-read/-write, mmap-touch,
 *     ioeventfd-write, ioport-read and backdoor-reset move over unchanged, reading COMMAND and
 *     power from the bytes; the 280 domain-table cells then run on the joined machine.
 *   - DEVICE_KINDS become the `pci` part of CONFIG_DEVICE_KINDS (same ids, same rows).
 */
export * from './types';
export {
  PCI_CONFIG_CONSTANTS,
  PCI_CONFIG_MACROS,
  CAP_IDS,
  ECAP_IDS,
  capabilityName,
  type ConfigMacro,
} from './registers';
export { CONFIG_DEVICE_KINDS, CONFIG_DEVICE_KIND_IDS, configDeviceKind } from './devices';
export { CONFIG_VARIANTS, CONFIG_VARIANT_IDS, VARIANT_CHANGES, configVariant } from './variants';
export {
  compileConfigVariant,
  commandSpec,
  ConfigCompileError,
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
export { applyConfigStep, configStepRefusal, CONFIG_STEP_HANDLERS } from './machine';
export {
  parseConfigStep,
  parseConfigSteps,
  resolveOffset,
  ConfigStepError,
  CONFIG_STEP_ACTIONS,
} from './steps';
export {
  configSystem,
  configAlphabet,
  configStateKey,
  visibleConfigObservation,
  WRITE_VALUES,
  ConfigSpaceSystem,
} from './system';
export { formatConfigObservation } from './format';
