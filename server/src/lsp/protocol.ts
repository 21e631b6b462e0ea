/**
 * The custom requests between the vfio-lens client (commands, simulator panel, any other editor)
 * and the server, as typed RequestTypes: the one module the client imports (a lint rule says so).
 * The shapes are the analysis' and the model's own (re-exported here, never defined here), and
 * match the CLI's JSON for the same question.
 */
import { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type {
  CompareResult,
  MatrixResult,
  SimulateResult,
  StatesResult,
  ZpciCompareResult,
  ZpciMatrixResult,
  ZpciSimulateResult,
  ZpciStatesResult,
} from '../analysis/types';
import type { DeviceKindId, KernelId, ModelVocabulary } from '../model/index';

export type {
  CompareResult,
  MatrixCell,
  MatrixPair,
  MatrixResult,
  ModelStateNode,
  SimulateResult,
  StateEdge,
  StatesResult,
  ZpciCompareResult,
  ZpciMatrixResult,
  ZpciSimulateResult,
  ZpciStatesResult,
  ZpciTraceStep,
} from '../analysis/types';
export type {
  AccessOutcome,
  DeviceKindId,
  Difference,
  ExplainedDecision,
  KernelId,
  ModelVocabulary,
  OperandValue,
  RestoreObservation,
  StepDisplay,
  TraceEntry,
} from '../model/index';

/** A kernel side: a named variant, or the before/after policy of a patch hunk in an open document. */
export type KernelRef = { kernel: KernelId } | { uri: string; patch?: number; side: 'before' | 'after' };

export interface SimulateParams {
  device: DeviceKindId;
  kernel: KernelRef;
  /** Step script: "open; write-cmd 0x0002; read-cmd; mmio-read". */
  steps: string;
  explain?: boolean;
}

export interface CompareParams {
  a: KernelRef;
  b: KernelRef;
  device?: DeviceKindId;
  depth?: number;
  internal?: boolean;
}

export interface MatrixParams {
  /** Restrict to these kernels (default all), or a patch's before/after. */
  kernels?: KernelRef[];
}

export interface ExplainParams {
  uri: string;
  position: { line: number; character: number };
}
export interface ExplainResult {
  /** Markdown explanation of the decision at the position, or null when none is there. */
  markdown: string | null;
  /** Why there is none ("no vfio decision at the cursor"). */
  reason?: string;
  decision?: string;
  before?: string;
  after?: string;
}

export interface SummaryParams {
  uri: string;
}
export interface SummaryResult {
  /** Plain-text behaviour summary suitable for a reply on the list. */
  text: string;
}

/**
 * The reachable states of one device kind under one kernel side, breadth first from the closed
 * device, with the steps as edges. A state's id is canonical (the same state has the same id
 * under every kernel), so that the client can mark the edges that exist under one kernel only.
 */
export interface StatesParams {
  device: DeviceKindId;
  kernel: KernelRef;
  /** Steps to explore from the initial state (default: until no new state appears, bounded). */
  depth?: number;
  /** Steps to try from each state (default: the model's step table with representative values). */
  steps?: string[];
}

/** What the client offers people to pick: every model's variants, device kinds, steps, presets. */
export interface VocabularyResult {
  /**
   * The first model (vfio-pci) is the one the commands' pickers offer and the simulator panel
   * starts with; the panel offers every model (its model picker).
   */
  models: ModelVocabulary[];
}

/** Internal, for benchmarks and health checks: the server's memory use. */
export interface ServerStats {
  /** The server's process id (health checks, and the end-to-end tests that stop it). */
  pid: number;
  /** The server's RSS with its analysis process's (bytes). */
  rss: number;
  /** The analysis process's RSS (0 when none runs, or where /proc cannot tell). */
  analysisRss: number;
  /** The analysis process's id while one runs (the one the server's loader started early included). */
  analysisPid?: number;
  heapUsed: number;
  /**
   * The size of the server's young generation (V8's new space, bytes): it stays at its first size
   * (scripts/cli-loader.cjs), as V8 never gives a grown one back.
   */
  youngGeneration: number;
  documents: number;
  /**
   * How often the server's analysis processes, idle after a job with more than 64 MB of heap held
   * by V8 (by default), kept only their newest cache entries and compacted their heap (their
   * memory went back).
   */
  analysisTrims: number;
}

/**
 * A zPCI side: a QEMU version (the zPCI model's variants, `variantParam: 'qemu'`) on a host kernel
 * (default the model's `hosts.default`). Given where a KernelRef goes, it runs the zPCI model.
 */
export type ZpciRef = { qemu: string; host?: string };

export interface ZpciSimulateParams {
  /** A zPCI device kind ("ism"). */
  device: string;
  kernel: ZpciRef;
  steps: string;
  explain?: boolean;
}
export interface ZpciCompareParams {
  a: ZpciRef;
  b: ZpciRef;
  device?: string;
  depth?: number;
  internal?: boolean;
}
export interface ZpciMatrixParams {
  model: 'zpci';
  /** Restrict to these QEMU versions (default all); one host for all of them. */
  kernels?: ZpciRef[];
}
export interface ZpciStatesParams {
  device: string;
  kernel: ZpciRef;
  depth?: number;
  steps?: string[];
}

export const SimulateRequest = new RequestType<SimulateParams, SimulateResult, void>('vfioLens/simulate');
export const CompareRequest = new RequestType<CompareParams, CompareResult, void>('vfioLens/compare');
export const MatrixRequest = new RequestType<MatrixParams, MatrixResult, void>('vfioLens/matrix');
export const ExplainRequest = new RequestType<ExplainParams, ExplainResult, void>('vfioLens/explain');
export const SummaryRequest = new RequestType<SummaryParams, SummaryResult, void>('vfioLens/summary');
export const StatesRequest = new RequestType<StatesParams, StatesResult, void>('vfioLens/states');
/** The same methods typed for the zPCI model: the server answers by the kind of reference given. */
export const ZpciSimulateRequest = new RequestType<ZpciSimulateParams, ZpciSimulateResult, void>(
  'vfioLens/simulate',
);
export const ZpciCompareRequest = new RequestType<ZpciCompareParams, ZpciCompareResult, void>(
  'vfioLens/compare',
);
export const ZpciMatrixRequest = new RequestType<ZpciMatrixParams, ZpciMatrixResult, void>('vfioLens/matrix');
export const ZpciStatesRequest = new RequestType<ZpciStatesParams, ZpciStatesResult, void>('vfioLens/states');
export const VocabularyRequest = new RequestType0<VocabularyResult, void>('vfioLens/vocabulary');
export const ServerStatsRequest = new RequestType0<ServerStats, void>('vfioLens/stats');

/** What the server made of one open document (the status bar and the output channel show it). */
export interface DocumentStatusParams {
  uri: string;
}
export interface DocumentStatus {
  uri: string;
  version: number;
  /** analysed; not-a-patch (plain text without mail or diff); too-large; failed; c-source (lints only). */
  state: 'analysed' | 'not-a-patch' | 'too-large' | 'failed' | 'c-source';
  /** The kernel the patches were read against: detected from the pre-images, set, or assumed. */
  baseline?: { kernel: string | null; how: 'detected' | 'set' | 'assumed'; detectedFrom: string };
  patches: number;
  /** The device kinds whose behaviour the document's patches change, visibly first (pickers list them first). */
  changedDevices: string[];
  /**
   * The document's patch sides as the simulator offers them, named as a reviewer names them
   * ("before [PATCH v5 3/3] vfio/pci: ..."): the whole series first (no `patch`), then each patch
   * of a series. A side is requested as the KernelRef `{ uri, patch?, side }`.
   */
  sides?: PatchSides[];
  /** Findings shown, by severity (after the severity settings). */
  findings: { error: number; warning: number; information: number; hint: number };
  /** Milliseconds the analysis took. */
  ms?: number;
  /** Why a document was not analysed (too large, the failure). */
  message?: string;
}

/** The names of one patch side pair (`patch` as KernelRef.patch; none: the whole series). */
export interface PatchSides {
  patch?: number;
  before: string;
  after: string;
}

export const DocumentStatusRequest = new RequestType<DocumentStatusParams, DocumentStatus, void>(
  'vfioLens/documentStatus',
);
