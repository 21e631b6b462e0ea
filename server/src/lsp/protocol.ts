/**
 * The custom requests between the vfio-lens client (simulator panel, commands) and the server.
 * Shared by both sides; shapes match the CLI's JSON for the same question.
 */
import type {
  AccessOutcome,
  DeviceKindId,
  Difference,
  KernelId,
  RestoreObservation,
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
export interface SimulateResult {
  device: DeviceKindId;
  kernel: string;
  /** One entry per step; where unknown identifiers fork the run, the branch assuming them all 0. */
  trace: TraceEntry[];
  /** Every branch, when an unknown identifier made the run fork (absent otherwise). */
  branches?: { assumptions: Record<string, number>; trace: TraceEntry[] }[];
}

export interface CompareParams {
  a: KernelRef;
  b: KernelRef;
  device?: DeviceKindId;
  depth?: number;
  internal?: boolean;
}
export interface CompareResult {
  differences: Difference[];
  /** Size of the exploration: product states visited, transitions taken, depth. */
  stats?: { states: number; transitions: number; depth: number; devices: number };
}

export interface MatrixParams {
  /** Restrict to these kernels (default all), or a patch's before/after. */
  kernels?: KernelRef[];
}
export interface MatrixCell {
  scenario: string;
  device: DeviceKindId;
  kernel: string;
  summary: string;
  steps: string[];
}
export interface MatrixResult {
  scenarios: { id: string; steps: string[]; description: string }[];
  devices: DeviceKindId[];
  kernels: string[];
  cells: MatrixCell[];
}

export interface ExplainParams {
  uri: string;
  position: { line: number; character: number };
}
export interface ExplainResult {
  /** Markdown explanation of the decision at the position, or null when none is there. */
  markdown: string | null;
  decision?: string;
  before?: string;
  after?: string;
}

export const Requests = {
  simulate: 'vfioLens/simulate',
  compare: 'vfioLens/compare',
  matrix: 'vfioLens/matrix',
  explain: 'vfioLens/explain',
  summary: 'vfioLens/summary',
} as const;

export interface SummaryParams {
  uri: string;
}
export interface SummaryResult {
  /** Plain-text behaviour summary suitable for a reply on the list. */
  text: string;
}

/**
 * vfioLens/states (appended for the simulator's state diagram): the reachable states of one device
 * kind under one kernel side, breadth first from "opened", with the steps as edges.
 * A state's id is canonical (the same state has the same id under every kernel), so that the
 * client can mark the edges that exist under one kernel only.
 */
export const StatesRequest = 'vfioLens/states' as const;
export interface StatesParams {
  device: DeviceKindId;
  kernel: KernelRef;
  /** Steps to explore from the initial state (default: until no new state appears, bounded). */
  depth?: number;
  /** Steps to try from each state (default: the model's step table with representative values). */
  steps?: string[];
}
export interface ModelStateNode {
  /** Canonical id, e.g. "virt=0x0002 hw=0x0002 bars=saved map=zapped". */
  id: string;
  /** Short label for the diagram, e.g. "MEM on / hw MEM on". */
  label: string;
  virt: number;
  hw: number;
  barsValid: boolean;
  zap: boolean;
}
export interface StateEdge {
  from: string;
  to: string;
  /** The step as written ("write-cmd 0x0002"). */
  step: string;
  outcome?: AccessOutcome;
  restore?: RestoreObservation;
}
export interface StatesResult {
  device: DeviceKindId;
  kernel: string;
  initial: string;
  states: ModelStateNode[];
  edges: StateEdge[];
  /** True when the exploration stopped at the depth bound with unexplored states left. */
  truncated?: boolean;
}
