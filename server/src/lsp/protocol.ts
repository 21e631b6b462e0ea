/**
 * The custom requests between the vfio-lens client (simulator panel, commands) and the server.
 * Shared by both sides; shapes match the CLI's JSON for the same question.
 */
import type { DeviceKindId, Difference, KernelId, TraceEntry } from '../model/types';

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
  trace: TraceEntry[];
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
