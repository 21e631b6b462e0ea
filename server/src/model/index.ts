/**
 * The model's public surface: nothing outside model/ imports another file of it (a lint rule
 * says so). Pure TypeScript; C text is parsed by the caller's parser.
 *   types.ts       shapes shared with analysis/ and lsp/
 *   ids.ts         RowTable: the one membership check and "unknown id" message of a table
 *   pci.ts         COMMAND bits (the one table of their names), offsets, power states
 *   markers.ts     the markers (pci_dev bitfields, dev_flags bits) and the dev_flags bits taken
 *   devices.ts     DEVICE_KINDS: one row per device kind (Command-register view and config space)
 *   commandKernels.ts the Command-register part of the kernels (C text per decision point, setters)
 *   kernels.ts     KERNELS: one row per kernel variant (its PolicySpec: Command and config parts)
 *   policy.ts      compilePolicy: a PolicySpec (built-in or from a patch) ready to run
 *   evaluate.ts    expressions against a state; unknown identifiers ask for an assumption
 *   scope.ts       what each name means for one device in one state (markers, locals, facts)
 *   steps.ts       step scripts, STEP_SYNTAX (every step of the model), the Command alphabet
 *   machine.ts     STEP_HANDLERS: the one state machine (config bytes and runtime state)
 *   observation.ts typed observations and the one formatter of their text
 *   system.ts      one policy on one device as a memoised transition system
 *   compare.ts     EXPLORATIONS (Command-register, config space), shortest distinguishing sequences
 *   vfio/config/   the config-space part: registers, spaces, variants, access, layout
 *   scenarios.ts   the behaviour matrix's named scenarios, the simulator's preset scripts
 *   registry.ts    MODELS: every model with its variants, device kinds, steps and presets
 *   zpci/          the zPCI model (its own index.ts): QEMU versions, zPCI kinds, host kernels
 *   cache.ts       BoundedCache, the one cache of the server's long-lived results; trimCaches;
 *                  ContentNames, short names of long contents for keys
 *   core/          the transition-system shape and the one breadth-first walk
 */
export * from './types';
export { RowTable, UnknownIdError } from './ids';
export { BoundedCache, trimCaches } from './cache';
export {
  PCI_COMMAND_BITS,
  PCI_COMMAND_IO,
  PCI_COMMAND_MEMORY,
  VIRTUAL_COMMAND_BITS,
  decodeCommand,
  hex4,
} from './pci';
export {
  DEV_FLAG_NAME,
  LATER_MAINLINE_DEV_FLAG_BITS,
  MARKER_FIELDS,
  PCI_DEV_MEMBERS,
  PROPOSED_MARKER_FIELDS,
  devFlagBitInV5_9,
  devFlagMarker,
  devFlagNamesIn,
  markerFlag,
  markerName,
  markerNamesIn,
} from './markers';
export { DEVICE_KINDS, DEVICE_KIND_IDS, DEVICE_KIND_TABLE, deviceKind, kindsOf } from './devices';
export {
  COMMAND_ORIGINS,
  KERNELS,
  KERNEL_IDS,
  KERNEL_SPECS,
  KERNEL_TABLE,
  configPart,
  policyOfVariant,
  type KernelVariant,
} from './kernels';
export { compilePolicy, policyContentKey, type Policy } from './policy';
export {
  parseSteps,
  parseStep,
  splitScript,
  StepScriptError,
  EXPLORATION_ALPHABET,
  STEP_ACTIONS,
  STEP_SYNTAX,
  stepPart,
  type Step,
  type StepPart,
} from './steps';
export { CLOSED_STATE, allDecisionsOf, type DeviceState } from './machine';
export { DeviceScope } from './scope';
export { policySystem } from './system';
export {
  explorePair,
  exploration,
  EXPLORATIONS,
  DEFAULT_DEPTH,
  CONFIG_DEPTH,
  visibleObservation,
  internalObservation,
  type CompareOptions,
  type Exploration,
} from './compare';
export { reachable, type ReachableEdge } from './core/explore';
export {
  SCENARIOS,
  SIMULATOR_PRESETS,
  runScenario,
  scenarioSummary,
  type Scenario,
  type Preset,
} from './scenarios';
export {
  DISPLAY_COLUMNS,
  OBSERVATION_TERMS,
  RESTORE_WORDS,
  annotatedExpression,
  commandText,
  configHintParts,
  observationOf,
  observedText,
  stepDisplay,
  stepSummary,
  type Observation,
} from './observation';
export { MODELS, VFIO_PCI_MODEL, ZPCI_MODEL, type ModelVocabulary } from './registry';
