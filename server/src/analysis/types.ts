/**
 * The analysis' results: what a patch or series changes, for which device, on which line; and what
 * the model's runs answer (simulate, compare, matrix, states). lsp/protocol.ts re-exports them.
 */
import type { Range } from '../common/position';
import type {
  AccessOutcome,
  DecisionPoint,
  DeviceKindId,
  Difference,
  ExplainedDecision,
  KernelId,
  Observation,
  RestoreObservation,
  TraceEntry,
} from '../model/index';
import type { ZpciBehaviourChange } from './zpciTypes';

export type * from './zpciTypes';

export const FINDING_KINDS = [
  'behaviour-change',
  'marker-defined',
  'marker-set',
  'unmodeled-change',
  'lint',
  'bisect',
  'read-problem',
  'series-incomplete',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One side of a behaviour change: the step that shows it, what it observes there, and why. */
export interface ChangeSide extends Observation {
  /**
   * The decisions that step took, each with its C expression and every operand's value and
   * meaning; a decision longer than attribute.ts's bounds is cut there and says so in `cut`.
   */
  why: (ExplainedDecision & { cut?: { expression: number; operands: number } })[];
}

export interface BehaviourChange {
  device: DeviceKindId;
  steps: string[];
  /** The first step whose observation differs, before and after (`text`: "mmio-read: EIO" -> "mmio-read: ok"). */
  before: ChangeSide;
  after: ChangeSide;
  /** Only internal paths differ (a restore called that returns early, ...). */
  internal?: boolean;
}

/** A case of either model: vfio-pci's, or the zPCI model's (`model: 'zpci'`). */
export type AnyBehaviourChange = BehaviourChange | ZpciBehaviourChange;

/**
 * What a related place is to a reviewer, most useful first (the editor shows only the first):
 * `review` a reviewer's own words after a quote of the hunk; `marker` where a marker the finding
 * rests on is defined or set; `site` another changed line the same change makes ("also changes
 * <decision>"); `quote` where a reply quotes the hunk ("quoted by X"); `more` the entry that
 * stands for `count` places left out of the list.
 */
export type RelatedKind = 'review' | 'marker' | 'site' | 'quote' | 'more';

export interface RelatedInfo {
  range: Range;
  message: string;
  kind?: RelatedKind;
  /** For `kind: 'more'`: how many places the entry stands for. */
  count?: number;
}

export interface Finding {
  code: string;
  kind: FindingKind;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** Index of the patch in the document's patches (0-based position in ReadResult.patches). */
  patch?: number;
  diffFile?: string;
  function?: string;
  decision?: DecisionPoint;
  /** vfio-pci cases (BehaviourChange) or zPCI cases (ZpciBehaviourChange, `model: 'zpci'`). */
  changes: AnyBehaviourChange[];
  related: RelatedInfo[];
  /** A short inlay-hint text for the line, e.g. "s390-vf-detached: open+mmio EIO→ok". */
  hint?: string;
  /** About code the patch leaves as it was: said in the message, ranked one severity lower. */
  preExisting?: boolean;
}

export interface PatchSummary {
  index?: number;
  total?: number;
  version: number;
  subject: string;
  range: Range;
}

export interface DocumentAnalysis {
  file: string;
  /**
   * The kernel the vfio-pci hunks apply to; `qemu` the QEMU version the zPCI hunks apply to and
   * `host` the host kernel of the kernel's zPCI hunks, each with what it was detected from (only
   * when the document has such hunks).
   */
  baseline: {
    kernel: KernelId | null;
    /** Read from the pre-images (false when set by the user or assumed). */
    detected: boolean;
    detectedFrom: string;
    qemu?: { id: string; detectedFrom: string };
    host?: { id: string; detectedFrom: string };
  };
  patches: PatchSummary[];
  findings: Finding[];
  /** The hunks outside every model's scope (analysis/scope.ts), when there are any: counted, not hinted. */
  outsideScope?: { hunks: number; files: string[] };
}

export interface AnalyzeOptions {
  /** Display name or URI of the document, used in findings. */
  file: string;
  /** Overrides baseline detection. */
  baseline?: KernelId;
  /** Device kinds to report (default: all). */
  devices?: DeviceKindId[];
  /** Give up (and say so in a finding) after this many milliseconds. */
  budgetMs?: number;
  /** Cooperative cancellation: checked between patches. */
  isCancelled?: () => boolean;
}

/* ---- What the model's runs answer (modelRuns.ts): the CLI prints these, the server sends them. ---- */

export interface SimulateResult {
  device: DeviceKindId;
  kernel: string;
  /** One entry per step; where unknown identifiers fork the run, the branch assuming them all 0. */
  trace: TraceEntry[];
  /** Every branch, when an unknown identifier made the run fork (absent otherwise). */
  branches?: { assumptions: Record<string, number>; trace: TraceEntry[] }[];
}

export interface CompareResult {
  differences: Difference[];
  /** Size of the exploration: product states visited, transitions taken, depth; and per exploration. */
  stats?: {
    states: number;
    transitions: number;
    depth: number;
    devices: number;
    parts?: { part: string; depth: number; devices: number; states: number; transitions: number }[];
  };
  /** Ended by `stop` (the analysis budget) before its depth: the differences found until then. */
  stopped?: boolean;
}

export interface MatrixCell {
  scenario: string;
  device: DeviceKindId;
  kernel: string;
  summary: string;
  steps: string[];
}
/** A device's scenario under the two kernels of a two-kernel matrix: the same, or where it first differs. */
export interface MatrixPair {
  scenario: string;
  device: DeviceKindId;
  differs: boolean;
  /** "=" when every step observes the same; else the first differing step, "mmio-read: EIO → ok". */
  text: string;
  /** How many steps differ in all. */
  differingSteps: number;
}
export interface MatrixResult {
  scenarios: { id: string; steps: string[]; description: string }[];
  devices: DeviceKindId[];
  kernels: string[];
  cells: MatrixCell[];
  /** With exactly two kernels: each device's scenario compared between them. */
  pairs?: MatrixPair[];
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
