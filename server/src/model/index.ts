/** The model's public surface (pure TypeScript; C text is parsed by the caller's parser). */
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
export { SCENARIOS, runScenario, scenarioSummary, summariseEntry, type Scenario } from './scenarios';
export { decodeCommand, hex4 } from './pci';
