/**
 * The model's public surface (pure TypeScript; C text is parsed by the caller's parser).
 *   types.ts     shapes shared with analysis/ and lsp/
 *   pci.ts       COMMAND bits, offsets, power states
 *   devices.ts   DEVICE_KINDS: creation paths, environment facts, what the hardware implements
 *   kernels.ts   KERNEL_SPECS: C text per decision point, marker setters, traits
 *   policy.ts    compilePolicy: a PolicySpec (built-in or from a patch) ready to run
 *   evaluate.ts  expressions against a state; unknown identifiers ask for an assumption
 *   scope.ts     what each name means for one device in one state (markers, locals, facts)
 *   steps.ts     step scripts, STEP_SYNTAX, the exploration alphabet
 *   machine.ts   STEP_HANDLERS: the config-space state machine, observations, explanations
 *   system.ts    one policy on one device as a memoised transition system
 *   compare.ts   breadth-first product exploration, shortest distinguishing sequences
 *   scenarios.ts the behaviour matrix's named scenarios
 *   observation.ts typed observations and the one formatter of their text
 */
export * from './types';
export { DEVICE_KINDS, deviceKind } from './devices';
export { KERNEL_SPECS, KERNEL_VARIANTS, kernelSpecById } from './kernels';
export { compilePolicy, policyContentKey, type Policy } from './policy';
export {
  parseSteps,
  parseStep,
  StepScriptError,
  EXPLORATION_ALPHABET,
  STEP_SYNTAX,
  type Step,
} from './steps';
export { CLOSED_STATE, applyStep, stepRefusal, type DeviceState } from './machine';
export { policySystem } from './system';
export {
  explorePair,
  DEFAULT_DEPTH,
  visibleObservation,
  internalObservation,
  type CompareOptions,
} from './compare';
export { SCENARIOS, runScenario, scenarioSummary, type Scenario } from './scenarios';
export {
  annotatedExpression,
  observationOf,
  observedText,
  stepDisplay,
  stepSummary,
  type Observation,
} from './observation';
export { decodeCommand, hex4 } from './pci';
