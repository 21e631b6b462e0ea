/**
 * The zPCI model's public surface (pure TypeScript; C text is parsed by the caller's parser, as
 * compilePolicy does: the server hands in csrc/cexpr.ts parseCExpression). Code map: README.md.
 */
export * from './types';
export * from './constants';
export { ZPCI_DEVICE_KINDS, zpciDeviceKind, isZpciDeviceKindId } from './devices';
export { ZPCI_VERSION_SPECS, zpciVersionSpec, MSIX_MESSAGE } from './versions';
export { check, handleChecks, loadStoreBody, storeBlockBody } from './bodies';
export { compileZpciVersion, zpciVersionContentKey, MAX_BODY_DEPTH, type ZpciVersion } from './compile';
export { checkIndex, replaceNode, type CheckIndexEntry } from './edit';
export {
  HOST_KERNELS,
  DEFAULT_HOST,
  ZPCI_MAX_WRITE_SIZE,
  ISM_WRITE_RULE,
  hostKernel,
  compileHost,
  hostMmio,
  hostStores,
  hostLoad,
  zdevGroupInfo,
  vfioCoreSplit,
  type HostKernelSpec,
  type CompiledHost,
  type MmioForm,
  type ZdevGroupInfo,
} from './host';
export {
  mmioChecks,
  maxIoSize,
  maxWriteSizePowerOfTwo,
  type MmioRequest,
  type MmioResult,
  type MmioChunk,
} from './mmio';
export { functionGroup, type FunctionGroup } from './clp';
export { accessValid, barRegion, type ZpciState } from './scope';
export {
  UNPLUGGED,
  applyZpciStep,
  zpciModel,
  zpciStepRefusal,
  zpciStateKey,
  type ZpciModel,
} from './machine';
export {
  ZPCI_STEP_SYNTAX,
  ZPCI_EXPLORATION_ALPHABET,
  EXPLORED_LENGTHS,
  EXPLORED_OFFSETS,
  parseZpciStep,
  parseZpciSteps,
  zpciStepText,
} from './steps';
export {
  formatObservation,
  formatOutcome,
  formatDelivery,
  formatHostDelivery,
  formatExplanation,
  annotate,
  decidingExplanation,
  visibleZpciObservation,
  internalZpciObservation,
} from './format';
export { ZpciSystem, zpciSystem } from './system';
export {
  compareZpci,
  ZPCI_DEFAULT_DEPTH,
  type ZpciCompareOptions,
  type ZpciCompareResult,
  type ZpciDifference,
} from './compare';
export { ZpciCatalogue } from './catalogue';
export {
  applyZpciEdits,
  applyHostEdits,
  describeZpciEdit,
  type ZpciEdit,
  type HostEdit,
  type NodePosition,
  type Applied,
} from './applyEdits';
export { clpValues, clpDifferences, type ClpValues, type ClpDifference } from './clpCompare';
